"""The moderators' work through the API: the held and reported posts, and decisions on
them, only with the moderate scope of an account that may moderate."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Permission, User

from knowhow.antiabuse.models import BlockedTerm
from knowhow.api import schemas
from knowhow.articles.models import Article
from knowhow.discussion import services as posting
from knowhow.discussion.models import Post
from knowhow.moderation.models import ModerationAction
from tests.api.conftest import TokenClient


def _decision(article: Article, number: int) -> str:
    return f"/api/v1/moderation/posts/{article.slug}/{number}/decision/"


def test_a_moderator_approves_a_held_post_and_it_shows_at_once(
    moderator: User, make_token: Callable[..., str], article: Article, reader: User
) -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    posting.post_comment(article=article, body="Near the casino, cramps", author=reader)
    bot = TokenClient(make_token(moderator, ("read", "moderate")))
    held = bot.get("/api/v1/moderation/held/").json()
    schemas.ModeratedList.model_validate(held)
    assert [(p["number"], p["status"]) for p in held["items"]] == [(1, "held")]
    assert "casino" in held["items"][0]["held_because"]
    assert TokenClient().get(f"/api/v1/articles/{article.slug}/posts/").json()["items"] == []
    approved = bot.send("POST", _decision(article, 1), {"decision": "approve", "note": "fine"})
    assert approved.status_code == 200
    assert approved.json()["status"] == "published"
    shown = TokenClient().get(f"/api/v1/articles/{article.slug}/posts/").json()["items"]
    assert [p["number"] for p in shown] == [1]
    assert ModerationAction.objects.filter(actor=moderator, action="approve").count() == 1
    again = bot.send("POST", _decision(article, 1), {"decision": "approve"})
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"
    assert bot.get("/api/v1/moderation/held/").json()["items"] == []


def test_reported_posts_and_their_removal(
    moderator: User,
    make_token: Callable[..., str],
    article: Article,
    reader: User,
    outsider: User,
) -> None:
    posting.post_comment(article=article, body="Rude", author=outsider)
    TokenClient(make_token(reader)).send(
        "POST", f"/api/v1/articles/{article.slug}/posts/1/report/", {"reason": "abuse"}
    )
    bot = TokenClient(make_token(moderator, ("moderate",)))
    reported = bot.get("/api/v1/moderation/reported/").json()
    assert [p["reports"][0]["reason"] for p in reported["items"]] == ["abuse"]
    assert bot.send("POST", _decision(article, 1), {"decision": "remove"}).status_code == 200
    assert Post.objects.get().status == Post.Status.REMOVED
    assert bot.get("/api/v1/moderation/reported/").json()["items"] == []
    wrong = bot.send("POST", _decision(article, 1), {"decision": "banish"})
    assert wrong.status_code == 400
    assert list(wrong.json()["errors"]) == ["decision"]


def test_a_reader_cannot_moderate_even_with_a_token_made_before_losing_the_right(
    moderator: User, make_token: Callable[..., str], article: Article, reader: User
) -> None:
    token = make_token(moderator, ("moderate",))
    posting.post_comment(article=article, body="Fine words", author=reader)
    moderator.user_permissions.remove(Permission.objects.get(codename="moderate_post"))
    refused = TokenClient(token).send("POST", _decision(article, 1), {"decision": "remove"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "missing_scope"
    assert TokenClient(token).get("/api/v1/moderation/held/").status_code == 403
    assert TokenClient().get("/api/v1/moderation/held/").status_code == 401
    assert Post.objects.get().status == Post.Status.PUBLISHED


def test_a_moderator_bans_a_reader_whose_token_then_cannot_post(
    moderator: User,
    make_token: Callable[..., str],
    article: Article,
    reader: User,
) -> None:
    readers_app = TokenClient(make_token(reader))
    assert readers_app.send("POST", f"/api/v1/articles/{article.slug}/posts/",
                            {"body": "Before"}).status_code == 201  # fmt: skip
    bot = TokenClient(make_token(moderator, ("moderate",)))
    banned = bot.send("POST", "/api/v1/moderation/bans/",
                      {"username": "reader", "reason": "flooding", "days": 7,
                       "remove_posts": True})  # fmt: skip
    assert banned.status_code == 201, banned.content
    assert banned.json()["kinds"] == ["account"]
    assert Post.objects.get().status == Post.Status.REMOVED
    refused = readers_app.send("POST", f"/api/v1/articles/{article.slug}/posts/", {"body": "After"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "banned"
    again = bot.send("POST", "/api/v1/moderation/bans/", {"username": "reader"})
    assert again.status_code == 409
    assert again.json()["code"] == "already_banned"
    for wrong, field in (({"username": "nobody"}, "username"),
                         ({"username": "reader", "kind": "range"}, "kind")):  # fmt: skip
        response = bot.send("POST", "/api/v1/moderation/bans/", wrong)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]
    log = bot.get("/api/v1/moderation/log/").json()
    schemas.LogList.model_validate(log)
    assert [entry["action"] for entry in log["items"]][-1] == "ban"
    assert log["items"][-1]["ban"]["reader"] == "reader"
