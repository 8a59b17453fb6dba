"""A moderator's edit and redaction of a post through the API, logged as the edit page's
are and shown on the kept article page at once; appeals against bans and requests for a
second look, listed and decided as from the queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.api import schemas
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from knowhow.moderation import services
from knowhow.moderation.models import Appeal, Flag, ModerationAction
from tests import people
from tests.api.conftest import TokenClient
from tests.pagecache.conftest import Clock, Server

PHONE = "0171 555 0199"


def _edit(article: Article, number: int) -> str:
    return f"/api/v1/moderation/posts/{article.slug}/{number}/edit/"


def _post(article: Article, body: str, author: User | None = None) -> Post:
    return submit_post(article=article, body=body, author=author,
                       address=address_of("203.0.113.7")).post  # fmt: skip


@pytest.fixture
def bot(moderator: User, make_token: Callable[..., str]) -> TokenClient:
    return TokenClient(make_token(moderator, ("read", "moderate")))


def test_a_redaction_is_logged_as_the_edit_pages_and_keeps_no_removed_words(
    article: Article, reader: User, moderator: User, bot: TokenClient
) -> None:
    by_page = _post(article, f"Call Ann on {PHONE}.", reader)
    by_api = _post(article, f"Call Bob on {PHONE}.", reader)
    services.edit_post(post=by_api, moderator=moderator, body=f"Ring Bob on {PHONE}.",
                       note="Wording.")  # fmt: skip
    page = Client()
    page.force_login(moderator)
    page.post(reverse("moderation-edit", args=[by_page.pk]),
              {"body": "Call Ann.", "note": "Phone number.", "personal_data": "on",
               "save": "1"})  # fmt: skip
    redacted = bot.send("POST", _edit(article, by_api.number),
                        {"body": "Call Bob.", "note": "Phone number.",
                         "personal_data": True})  # fmt: skip
    assert redacted.status_code == 200, redacted.content
    schemas.Moderated.model_validate(redacted.json())
    assert redacted.json()["body"] == "Call Bob."
    entries = ModerationAction.objects.filter(action="edit").order_by("-pk")
    api_entry, page_entry = entries[0], entries[1]
    assert (api_entry.note, api_entry.before, api_entry.after) == (
        page_entry.note, page_entry.before, page_entry.after)  # fmt: skip
    assert api_entry.note.startswith(services.REDACTED)
    for row in ModerationAction.objects.values("note", "before", "after"):
        assert PHONE not in " ".join(row.values())
    log = bot.get("/api/v1/moderation/log/").text
    assert PHONE not in log


def test_an_edit_needs_a_reason_and_changes_nothing_without_one(
    article: Article, reader: User, bot: TokenClient
) -> None:
    post = _post(article, "Original words", reader)
    refused = bot.send("POST", _edit(article, post.number), {"body": "New", "note": "  "})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["note"]
    post.refresh_from_db()
    assert post.body == "Original words"
    assert not ModerationAction.objects.exists()
    empty = bot.send("POST", _edit(article, post.number), {"body": " ", "note": "Why"})
    assert (empty.status_code, list(empty.json()["errors"])) == (400, ["body"])


def test_an_edit_closes_the_reports_it_dealt_with_unless_asked_not_to(
    article: Article, reader: User, outsider: User, bot: TokenClient
) -> None:
    post = _post(article, "Rude words", reader)
    services.flag_post(post=post, reason="abuse", reporter=outsider,
                       address=address_of("192.0.2.1"))  # fmt: skip
    kept = bot.send("POST", _edit(article, post.number),
                    {"body": "Kind words", "note": "Rudeness", "close_reports": False})  # fmt: skip
    assert kept.json()["reports"] != []
    closed = bot.send("POST", _edit(article, post.number), {"body": "Kinder words", "note": "More"})
    assert closed.json()["reports"] == []
    assert not Flag.objects.open().exists()
    assert ModerationAction.objects.filter(action="dismiss").count() == 1


@pytest.fixture
def make_server(transactional_db: None) -> Callable[[], Server]:
    clock = Clock()
    return lambda: Server(clock)


def test_a_redaction_shows_on_the_kept_article_page_at_once(
    make_server: Callable[[], Server], article: Article, make_token: Callable[..., str]
) -> None:
    one, two = make_server(), make_server()
    reader, moderator = people.make_reader(), people.make_moderator()
    post = _post(article, f"Call Ann on {PHONE}.", reader)
    page = article.get_absolute_url()
    for process in (one, two):
        process.request(page)
        assert PHONE in process.request(page).text
    bot = TokenClient(make_token(moderator, ("moderate",)))
    done = bot.send("POST", _edit(article, post.number),
                    {"body": "Call Ann.", "note": "Phone", "personal_data": True})  # fmt: skip
    assert done.status_code == 200
    for process in (one, two):
        fresh = process.request(page)
        assert fresh.cache == "MISS"
        assert PHONE not in fresh.text
        assert "Call Ann." in fresh.text


APPEALS = "/api/v1/moderation/appeals/"


def test_appeals_are_listed_and_a_lifted_ban_is_logged_as_the_queues(
    article: Article, reader: User, moderator: User, bot: TokenClient
) -> None:
    ban = services.ban(kind="account", user=reader, moderator=moderator, reason="Flood")
    appeal = services.appeal_ban(ban_record=ban, user=reader, email="", text="It was my cat")
    listed = bot.get(APPEALS).json()
    schemas.AppealList.model_validate(listed)
    assert [(a["id"], a["kind"], a["reader"], a["text"]) for a in listed["items"]] == [
        (appeal.pk, "ban", "reader", "It was my cat")
    ]
    wrong = bot.send("POST", f"{APPEALS}{appeal.pk}/decision/", {"outcome": "restored"})
    assert (wrong.status_code, list(wrong.json()["errors"])) == (400, ["outcome"])
    decided = bot.send("POST", f"{APPEALS}{appeal.pk}/decision/",
                       {"outcome": "lifted", "answer": "Fair enough."})  # fmt: skip
    assert decided.status_code == 200, decided.content
    assert decided.json()["outcome"] == "lifted"
    ban.refresh_from_db()
    assert not ban.is_active
    entry = ModerationAction.objects.get(action="lift_ban")
    assert (entry.actor, entry.note) == (moderator, "On appeal: Fair enough.")
    assert bot.get(APPEALS).json()["items"] == []
    again = bot.send("POST", f"{APPEALS}{appeal.pk}/decision/", {"outcome": "upheld"})
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")
    assert bot.send("POST", f"{APPEALS}99999/decision/", {"outcome": "upheld"}).status_code == 404


def test_a_second_look_restores_the_post_and_tells_its_author(
    article: Article,
    reader: User,
    moderator: User,
    bot: TokenClient,
    django_capture_on_commit_callbacks: Callable[..., object],
    run_worker: Callable[[], None],
) -> None:
    post = _post(article, "Fair words", reader)
    services.remove_post(post=post, moderator=moderator, note="Hasty")
    appeal = services.ask_second_look(post=post, user=reader, text="Please look again")
    listed = bot.get(APPEALS).json()["items"]
    assert listed[0]["post"] == {"article": article.slug, "number": post.number}
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        decided = bot.send("POST", f"{APPEALS}{appeal.pk}/decision/", {"outcome": "restored"})
    assert decided.status_code == 200, decided.content
    run_worker()
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert ModerationAction.objects.filter(action="undo", post=post).count() == 1
    assert Appeal.objects.get().decided_by == moderator
    assert [m.to for m in mail.outbox] == [[reader.email]]
    shown = TokenClient().get(f"/api/v1/articles/{article.slug}/posts/").json()["items"]
    assert [p["status"] for p in shown] == ["published"]


def test_a_banned_reader_appeals_through_the_api_once_and_within_the_allowance(
    article: Article, reader: User, outsider: User, moderator: User, bot: TokenClient,
    make_token: Callable[..., str],
) -> None:  # fmt: skip
    services.ban(kind="account", user=reader, moderator=moderator, reason="Flood")
    banned = TokenClient(make_token(reader))
    sent = banned.send("POST", "/api/v1/appeals/", {"text": "It was my cat"})
    assert sent.status_code == 201, sent.content
    listed = bot.get(APPEALS).json()["items"]
    assert [(a["reader"], a["text"], a["ban"]["kind"]) for a in listed] == [
        ("reader", "It was my cat", "account")
    ]
    again = banned.send("POST", "/api/v1/appeals/", {"text": "Really"})
    assert (again.status_code, again.json()["code"]) == (409, "already_appealed")
    banned.send("POST", "/api/v1/appeals/", {"text": "Really!"})
    limited = banned.send("POST", "/api/v1/appeals/", {"text": "Really!!"})
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited["Retry-After"]) > 0
    free = TokenClient(make_token(outsider)).send("POST", "/api/v1/appeals/", {"text": "Me?"})
    assert (free.status_code, free.json()["code"]) == (403, "not_banned")
    assert Appeal.objects.count() == 1


def test_an_anonymous_reader_banned_by_address_gives_an_email_to_appeal(
    article: Article, moderator: User
) -> None:
    post = submit_post(article=article, body="Rude.", address=address_of("127.0.0.1")).post
    services.ban(kind="address", moderator=moderator, reason="Rude.", post=post)
    anonymous = TokenClient()
    missing = anonymous.send("POST", "/api/v1/appeals/", {"text": "Sorry"})
    assert (missing.status_code, list(missing.json()["errors"])) == (400, ["email"])
    empty = anonymous.send("POST", "/api/v1/appeals/", {"text": " ", "email": "a@example.org"})
    assert (empty.status_code, list(empty.json()["errors"])) == (400, ["text"])
    sent = anonymous.send("POST", "/api/v1/appeals/", {"text": "Sorry", "email": "a@example.org"})
    assert sent.status_code == 201
    assert Appeal.objects.get().reply_to == "a@example.org"


def test_the_author_of_a_removed_post_asks_once_for_a_second_look(
    article: Article, reader: User, outsider: User, moderator: User,
    make_token: Callable[..., str],
) -> None:  # fmt: skip
    post = _post(article, "Fair words", reader)
    look = f"/api/v1/articles/{article.slug}/posts/{post.number}/second-look/"
    author = TokenClient(make_token(reader))
    early = author.send("POST", look, {"text": "Why?"})
    assert (early.status_code, early.json()["code"]) == (409, "not_removed")
    services.remove_post(post=post, moderator=moderator)
    other = TokenClient(make_token(outsider)).send("POST", look, {"text": "Mine!"})
    assert (other.status_code, other.json()["code"]) == (403, "not_yours")
    assert TokenClient().send("POST", look, {"text": "Mine!"}).status_code == 401
    asked = author.send("POST", look, {"text": "Please look again"})
    assert asked.status_code == 201
    twice = author.send("POST", look, {"text": "Again"})
    assert (twice.status_code, twice.json()["code"]) == (409, "asked_already")
    assert [(a.kind, a.post_id, a.user) for a in Appeal.objects.all()] == [
        ("post", post.pk, reader)
    ]
