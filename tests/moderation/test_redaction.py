"""Personal data is redacted, not just edited: the log keeps that a redaction happened, by
whom and why, and no copy of the removed words anywhere; the kept thread shows the redacted
post at once; editing a reported post offers to close its reports."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from knowhow.moderation import services
from knowhow.moderation.models import Flag, ModerationAction
from tests.pages import visible_text

PHONE = "0171 555 0199"


@pytest.fixture
def doxxing(article: Article, reader: User, moderator: User) -> Post:
    """A post with a phone number, already edited once (so the log held it before/after)."""
    post = submit_post(
        article=article,
        body=f"Call my neighbour Ann on {PHONE} about cramps.",
        author=reader,
        address=address_of("203.0.113.7"),
    ).post
    services.edit_post(
        post=post,
        moderator=moderator,
        body=f"Call Ann on {PHONE} about cramps.",
        note="Shorter.",
    )
    return post


def edit(client: Client, post: Post, **fields: object) -> object:
    data = {"body": "Call my neighbour about cramps.", "note": "Phone number.", "save": "1"}
    return client.post(reverse("moderation-edit", args=[post.pk]), {**data, **fields})


def test_a_redaction_leaves_no_trace_of_the_number_in_the_log(
    article: Article, doxxing: Post, mod_client: Client
) -> None:
    public = Client().get(article.get_absolute_url()).content.decode()
    assert PHONE in public  # kept for everyone, before the redaction
    edit(mod_client, doxxing, personal_data="on")
    log = mod_client.get(reverse("moderation-log")).content.decode()
    assert PHONE not in log
    assert "Personal data redacted (the removed words are not kept): Phone number." in (
        visible_text(log)
    )
    for row in ModerationAction.objects.values("note", "before", "after"):
        assert PHONE not in " ".join(row.values())
    entry = ModerationAction.objects.filter(action="edit").first()
    assert entry is not None and entry.actor is not None and entry.actor.username == "moderator"
    assert PHONE not in Post.objects.get(pk=doxxing.pk).body
    assert PHONE not in Client().get(article.get_absolute_url()).content.decode()


def test_a_plain_edit_still_keeps_before_and_after(doxxing: Post, mod_client: Client) -> None:
    edit(mod_client, doxxing)
    entry = ModerationAction.objects.filter(action="edit").first()
    assert entry is not None and PHONE in entry.before


def test_a_redaction_needs_a_reason_and_keeps_what_was_typed(
    doxxing: Post, mod_client: Client
) -> None:
    refused = edit(mod_client, doxxing, personal_data="on", note="")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    typed = refused.content.decode()  # type: ignore[attr-defined]
    assert "Call my neighbour about cramps." in typed
    assert PHONE in Post.objects.get(pk=doxxing.pk).body


def test_editing_a_reported_post_offers_to_close_its_reports(
    doxxing: Post, mod_client: Client, report: object
) -> None:
    report(doxxing, times=1, reason="other", note="Has a phone number")  # type: ignore[operator]
    page = visible_text(mod_client.get(reverse("moderation-edit", args=[doxxing.pk])).content)
    assert "Close its 1 open report" in page
    done = edit(mod_client, doxxing, personal_data="on", close_reports="on")
    assert done.status_code == 302  # type: ignore[attr-defined]
    assert not Flag.objects.open().exists()


def test_reports_stay_open_unless_the_moderator_closes_them(
    doxxing: Post, mod_client: Client, report: object
) -> None:
    report(doxxing, times=1)  # type: ignore[operator]
    edit(mod_client, doxxing, personal_data="on")
    assert Flag.objects.open().count() == 1
