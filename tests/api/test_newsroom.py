"""The newsroom through the API: drafts started, saved and taken through the workflow by the
newsroom's staff, with the workflow's own refusals; readers see nothing until it is live."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.api import schemas
from knowhow.articles.models import Article, Topic
from tests.api.conftest import TokenClient


def _token(make_token: Callable[..., str], user: User) -> TokenClient:
    return TokenClient(make_token(user, ("read", "newsroom")))


def test_a_writer_drafts_an_editor_publishes_and_readers_see_it_at_once(
    writer_account: User, editor_account: User, topic: Topic, make_token: Callable[..., str]
) -> None:
    writer = _token(make_token, writer_account)
    started = writer.send("POST", "/api/v1/newsroom/articles/",
                          {"title": "What is a Shin Splint?", "topic": "health",
                           "body": "Pain."})  # fmt: skip
    assert started.status_code == 201, started.content
    draft = started.json()
    schemas.Draft.model_validate(draft)
    assert (draft["status"], draft["stage"], draft["revision"]) == ("draft", "writing", 1)
    assert TokenClient().get(f"/api/v1/articles/{draft['slug']}/").status_code == 404
    saved = writer.send("PATCH", draft["api_url"], {"base": 1, "body": "Pain along the shin."})
    assert saved.status_code == 200
    assert saved.json()["revision"] == 2
    stale = writer.send("PATCH", draft["api_url"], {"base": 1, "body": "Overwrite?"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_edit"
    # A writer may not publish: the workflow says so.
    refused = writer.send("POST", draft["api_url"] + "steps/", {"action": "publish"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    submitted = writer.send("POST", draft["api_url"] + "steps/", {"action": "submit"})
    assert submitted.json()["stage"] == "in_review"
    editor = _token(make_token, editor_account)
    steps = draft["api_url"] + "steps/"
    assert editor.send("POST", steps, {"action": "approve", "revision": 2}).status_code == 200
    published = editor.send("POST", steps, {"action": "publish", "revision": 2})
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    live = TokenClient().get(f"/api/v1/articles/{draft['slug']}/").json()
    assert live["body_markdown"] == "Pain along the shin."


def test_an_editor_schedules_and_the_article_waits_for_its_time(
    editor_account: User, topic: Topic, make_token: Callable[..., str], time_machine: object
) -> None:
    editor = _token(make_token, editor_account)
    draft = editor.send("POST", "/api/v1/newsroom/articles/",
                        {"title": "Later", "topic": "health", "body": "Soon."}).json()  # fmt: skip
    steps = draft["api_url"] + "steps/"
    editor.send("POST", steps, {"action": "submit"})
    editor.send("POST", steps, {"action": "approve", "revision": 1})
    when = timezone.now() + dt.timedelta(hours=2)
    naive = editor.send("POST", steps, {"action": "schedule",
                                        "at": when.replace(tzinfo=None).isoformat()})  # fmt: skip
    assert naive.status_code == 400
    assert list(naive.json()["errors"]) == ["at"]
    scheduled = editor.send("POST", steps, {"action": "schedule", "at": when.isoformat(),
                                            "revision": 1})  # fmt: skip
    assert scheduled.status_code == 200, scheduled.content
    assert TokenClient().get("/api/v1/articles/later/").status_code == 404
    assert TokenClient().get("/api/v1/articles/").json()["items"] == []


def test_the_newsroom_is_closed_to_readers_and_to_other_writers_drafts(
    reader: User,
    writer_account: User,
    editor_account: User,
    topic: Topic,
    make_token: Callable[..., str],
) -> None:
    editor = _token(make_token, editor_account)
    draft = editor.send("POST", "/api/v1/newsroom/articles/",
                        {"title": "Editor's own", "topic": "health"}).json()  # fmt: skip
    # A writer sees only their own articles: another's is not there for them.
    other = _token(make_token, writer_account).get(draft["api_url"])
    assert other.status_code == 404
    # A reader cannot even make a newsroom token, and their other tokens are refused.
    assert (
        TokenClient(make_token(reader, ("read", "post"))).get(draft["api_url"]).status_code == 403
    )
    assert TokenClient().get(draft["api_url"]).status_code == 401
    bad_topic = editor.send("POST", "/api/v1/newsroom/articles/", {"title": "X", "topic": "no"})
    assert bad_topic.status_code == 400
    assert list(bad_topic.json()["errors"]) == ["topic"]
    no_title = editor.send("POST", "/api/v1/newsroom/articles/", {"title": " ", "topic": "health"})
    assert no_title.status_code == 400
    assert Article.objects.count() == 1
    unknown = editor.send("POST", draft["api_url"] + "steps/", {"action": "celebrate"})
    assert unknown.status_code == 403
