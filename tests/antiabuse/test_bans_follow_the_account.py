"""A ban follows the signed-in account whatever name it acts under."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services as moderation
from knowhow.moderation.models import Flag
from tests.conftest import form_data
from tests.pages import visible_text
from tests.people import signed_in


def test_a_banned_reader_cannot_post_anonymously_instead(
    article: Article, reader: User, moderator: User
) -> None:
    moderation.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="trolling", user=reader)
    answer = signed_in(reader).post(
        f"{article.get_absolute_url()}posts/",
        form_data(article, "Posting under no name to get round the ban.", **{"as": "anonymous"}),
    )
    assert answer.status_code == 403
    assert "suspended" in visible_text(answer.content)
    assert "get round the ban" in answer.content.decode()  # the text stays in the form
    assert not Post.objects.exists()


def test_a_shadow_hidden_reader_posting_anonymously_stays_hidden(
    article: Article, reader: User, moderator: User
) -> None:
    moderation.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="spam", user=reader)
    answer = signed_in(reader).post(
        f"{article.get_absolute_url()}posts/",
        form_data(article, "Nobody else should read this.", **{"as": "anonymous"}),
    )
    assert answer.status_code == 302
    assert Post.objects.get().shadow
    assert "Nobody else should read this." not in visible_text(
        Client().get(article.get_absolute_url()).content
    )


def test_posting_anonymously_from_an_account_counts_against_its_rate_limit(
    article: Article,
    reader: User,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.POST_RATE_ACCOUNT = [(1, 600)]
    client = signed_in(reader)
    url = f"{article.get_absolute_url()}posts/"
    assert client.post(url, form_data(article, "Under my name.")).status_code == 302
    again = client.post(url, form_data(article, "Now without it.", **{"as": "anonymous"}))
    assert again.status_code == 429


def test_a_banned_reader_can_neither_edit_nor_report(
    article: Article, reader: User, outsider: User, moderator: User
) -> None:
    post_comment(article=article, body="Said before the ban.", author=reader)
    post_comment(article=article, body="Someone else's post.", author=outsider)
    moderation.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="trolling", user=reader)
    client = signed_in(reader)
    edit = client.post(f"{article.get_absolute_url()}posts/1/edit/", {"body": "Changed after."})
    assert edit.status_code == 403
    assert Post.objects.get(number=1).body == "Said before the ban."
    report = client.post(f"{article.get_absolute_url()}posts/2/report/", {"reason": "spam"})
    assert report.status_code == 403
    assert not Flag.objects.exists()


@pytest.mark.parametrize("kind", [Ban.Kind.ADDRESS, Ban.Kind.NETWORK])
def test_an_address_ban_stops_reports_from_that_address(
    article: Article, moderator: User, kind: str
) -> None:
    from knowhow.antiabuse.addresses import address_of
    from knowhow.discussion.services import submit_post

    sent = submit_post(
        article=article, body="From the banned network.", address=address_of("203.0.113.5")
    ).post
    post_comment(article=article, body="A fine post.")
    moderation.ban(kind=kind, moderator=moderator, reason="abuse", post=sent)
    report = Client().post(
        f"{article.get_absolute_url()}posts/2/report/",
        {"reason": "spam"},
        REMOTE_ADDR="203.0.113.5",
    )
    assert report.status_code == 403
    assert not Flag.objects.exists()
