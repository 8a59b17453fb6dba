"""Writes: posting, correcting and deleting one's own posts, and reporting, through the same
services and anti-abuse checks as the pages, with the outsider refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.api import schemas
from knowhow.articles.models import Article
from knowhow.discussion import services as posting
from knowhow.discussion.models import Post
from knowhow.moderation.models import Flag
from tests.api.conftest import TokenClient


def _posts(article: Article) -> str:
    return f"/api/v1/articles/{article.slug}/posts/"


def test_a_token_posts_as_its_account(as_reader: TokenClient, article: Article) -> None:
    response = as_reader.send("POST", _posts(article), {"body": "Stretching *helps* me."})
    assert response.status_code == 201
    body = response.json()
    schemas.PostWritten.model_validate(body)
    assert body["number"] == 1
    assert body["author"] == "reader"
    assert body["held"] is False
    assert body["body_html"] == "<p>Stretching <em>helps</em> me.</p>\n"
    assert response["Location"].endswith(f"/api/v1/articles/{article.slug}/posts/1/")
    post = Post.objects.get()
    assert post.author is not None and post.author.username == "reader"
    shown = TokenClient().get(_posts(article)).json()["items"]
    assert [p["number"] for p in shown] == [1]


def test_a_reply_and_posting_anonymously_from_a_token(
    as_reader: TokenClient, article: Article
) -> None:
    as_reader.send("POST", _posts(article), {"body": "First"})
    reply = as_reader.send("POST", _posts(article), {"body": "Me again", "reply_to": 1,
                                                     "anonymous": True})  # fmt: skip
    assert reply.status_code == 201
    assert reply.json()["author"] is None
    assert reply.json()["reply_to"] == 1


def test_anyone_may_post_anonymously_as_on_the_page(anyone: TokenClient, article: Article) -> None:
    response = anyone.send("POST", _posts(article), {"body": "An anonymous thought"})
    assert response.status_code == 201
    assert response.json()["author"] is None


def test_sending_the_same_post_again_gives_back_the_stored_one(
    as_reader: TokenClient, article: Article
) -> None:
    as_reader.send("POST", _posts(article), {"body": "Only once, please"})
    again = as_reader.send("POST", _posts(article), {"body": "Only once, please"})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert Post.objects.count() == 1


def test_a_post_the_spam_guard_doubts_is_held_and_shown_to_nobody_else(
    as_reader: TokenClient, article: Article
) -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    response = as_reader.send("POST", _posts(article), {"body": "Visit my casino"})
    assert response.status_code == 201
    assert response.json()["held"] is True
    assert response.json()["status"] == "held"
    assert TokenClient().get(_posts(article)).json()["items"] == []
    assert TokenClient().get(_posts(article) + "1/").status_code == 404


def test_a_blocked_word_refuses_the_post_as_the_page_does(
    as_reader: TokenClient, article: Article
) -> None:
    BlockedTerm.objects.create(kind="word", value="crypto", action="refuse")
    response = as_reader.send("POST", _posts(article), {"body": "Buy crypto now"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "blocked"
    assert body["errors"]["body"] == [body["message"]]
    assert not Post.objects.exists()


def test_a_banned_account_is_refused_with_its_token(
    reader: User, as_reader: TokenClient, article: Article
) -> None:
    Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=reader, reason="flooding")
    for anonymous in (False, True):
        response = as_reader.send("POST", _posts(article), {"body": "Let me in",
                                                            "anonymous": anonymous})  # fmt: skip
        assert response.status_code == 403
        assert response.json()["code"] == "banned"
    assert not Post.objects.exists()


def test_posting_faster_than_the_site_allows_is_refused_with_retry_after(
    as_reader: TokenClient, article: Article, settings: object
) -> None:
    settings.POST_RATE_ACCOUNT = [(2, 600)]  # type: ignore[attr-defined]
    for i in range(2):
        assert as_reader.send("POST", _posts(article), {"body": f"Post {i}"}).status_code == 201
    refused = as_reader.send("POST", _posts(article), {"body": "One more"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 600


def test_a_post_under_a_draft_or_with_no_text_is_refused(
    as_reader: TokenClient, make_article: Callable[..., Article], article: Article
) -> None:
    draft = make_article("Draft", status=Article.Status.DRAFT, published_at=None)
    assert as_reader.send("POST", _posts(draft), {"body": "Hi"}).status_code == 404
    empty = as_reader.send("POST", _posts(article), {"body": "   "})
    assert empty.status_code == 400
    assert empty.json()["code"] == "invalid"
    assert empty.json()["errors"] == {"body": ["Please write something before posting."]}
    missing = as_reader.send("POST", _posts(article), {})
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid"
    assert list(missing.json()["errors"]) == ["body"]
    bad_json = as_reader.post(_posts(article), "{not json", content_type="application/json")
    assert bad_json.status_code == 400
    assert set(bad_json.json()) == {"code", "message", "errors"}


def test_posting_needs_the_post_scope(
    reader: User, make_token: Callable[..., str], article: Article
) -> None:
    response = TokenClient(make_token(reader, ("read",))).send(
        "POST", _posts(article), {"body": "Hello"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    assert not Post.objects.exists()


def test_an_author_corrects_and_deletes_their_post_within_the_window(
    as_reader: TokenClient, article: Article
) -> None:
    as_reader.send("POST", _posts(article), {"body": "Teh first"})
    edited = as_reader.send("PATCH", _posts(article) + "1/", {"body": "The first"})
    assert edited.status_code == 200
    assert edited.json()["body_html"] == "<p>The first</p>\n"
    assert edited.json()["edited_at"] is not None
    assert Post.objects.get().body == "The first"
    deleted = as_reader.send("DELETE", _posts(article) + "1/")
    assert deleted.status_code == 204
    shown = TokenClient().get(_posts(article)).json()["items"]
    assert [(p["number"], p["status"], p["body_html"]) for p in shown] == [(1, "deleted", None)]


def test_nobody_changes_another_readers_post(
    outsider: User, make_token: Callable[..., str], as_reader: TokenClient, article: Article
) -> None:
    as_reader.send("POST", _posts(article), {"body": "Mine"})
    for client in (TokenClient(make_token(outsider)), TokenClient()):
        edit = client.send("PATCH", _posts(article) + "1/", {"body": "Yours now"})
        assert edit.status_code in (401, 403)
        assert edit.json()["code"] in ("cannot_change", "not_signed_in")
        delete = client.send("DELETE", _posts(article) + "1/")
        assert delete.status_code in (401, 403)
    assert Post.objects.get().body == "Mine"
    assert Post.objects.get().status == Post.Status.PUBLISHED


def test_an_anonymous_post_cannot_be_changed_by_someone_else(
    anyone: TokenClient, article: Article
) -> None:
    anyone.send("POST", _posts(article), {"body": "Anonymous words"})
    other = TokenClient()
    response = other.send("PATCH", _posts(article) + "1/", {"body": "Changed"})
    assert response.status_code == 403
    assert response.json()["code"] == "cannot_change"
    assert Post.objects.get().body == "Anonymous words"


def test_the_window_to_change_a_post_closes(
    as_reader: TokenClient, article: Article, time_machine: object
) -> None:
    as_reader.send("POST", _posts(article), {"body": "Quick"})
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=16))  # type: ignore[attr-defined]
    response = as_reader.send("PATCH", _posts(article) + "1/", {"body": "Too late"})
    assert response.status_code == 403
    assert response.json()["code"] == "cannot_change"
    assert as_reader.send("DELETE", _posts(article) + "1/").status_code == 403


def test_a_banned_author_cannot_correct_their_post(
    reader: User, as_reader: TokenClient, article: Article
) -> None:
    as_reader.send("POST", _posts(article), {"body": "Fine words"})
    Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=reader, reason="flooding")
    response = as_reader.send("PATCH", _posts(article) + "1/", {"body": "Worse words"})
    assert response.status_code == 403
    assert response.json()["code"] == "banned"
    assert Post.objects.get().body == "Fine words"


def test_a_reader_reports_a_post_once(
    as_reader: TokenClient, article: Article, outsider: User
) -> None:
    posting.post_comment(article=article, body="Nonsense", author=outsider)
    address = _posts(article) + "1/report/"
    first = as_reader.send("POST", address, {"reason": "spam", "note": "Ads"})
    assert first.status_code == 201
    assert first.json()["reported"] is True
    again = as_reader.send("POST", address, {"reason": "spam"})
    assert again.status_code == 200
    assert again.json()["reported"] is False
    flag = Flag.objects.get()
    assert (flag.reporter.username if flag.reporter else None, flag.note) == ("reader", "Ads")


def test_a_report_must_say_why_and_needs_the_post_scope(
    reader: User, make_token: Callable[..., str], as_reader: TokenClient, article: Article
) -> None:
    posting.post_comment(article=article, body="Nonsense")
    address = _posts(article) + "1/report/"
    wrong = as_reader.send("POST", address, {"reason": "boredom"})
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"reason": ["Choose why you are reporting this post."]}
    long = as_reader.send("POST", address, {"reason": "spam", "note": "x" * 501})
    assert long.status_code == 400
    assert list(long.json()["errors"]) == ["note"]
    read_only = TokenClient(make_token(reader, ("read",)))
    assert read_only.send("POST", address, {"reason": "spam"}).status_code == 403
    unknown = as_reader.send("POST", _posts(article) + "9/report/", {"reason": "spam"})
    assert unknown.status_code == 404
    assert not Flag.objects.exists()


def test_the_site_session_writes_only_with_its_csrf_token(reader: User, article: Article) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    refused = client.post(_posts(article), {"body": "From a script"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    client.get("/accounts/settings/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    made = client.post(_posts(article), {"body": "From a script"},
                       content_type="application/json", HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert made.status_code == 201
    assert made.json()["author"] == "reader"
    assert client.get("/api/v1/me/").json()["username"] == "reader"


def test_the_sites_scripts_may_correct_an_anonymous_post_of_the_same_browser(
    article: Article,
) -> None:
    browser = Client()
    made = browser.post(_posts(article), {"body": "Anonymous typo"},
                        content_type="application/json")  # fmt: skip
    assert made.status_code == 201
    edit = browser.patch(_posts(article) + "1/", {"body": "Anonymous, fixed"},
                         content_type="application/json")  # fmt: skip
    assert edit.status_code == 200
    assert Post.objects.get().body == "Anonymous, fixed"
