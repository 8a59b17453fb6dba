"""Reply and mention emails: who gets one, what it says, and who never does."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import announce_published
from knowhow.links import site_url
from knowhow.moderation.services import approve, remove_post
from knowhow.notifications.confirmations import confirm_address
from knowhow.notifications.models import EmailOptOut
from knowhow.notifications.recipients import recipients_for
from tests.notifications.conftest import opted_in
from tests.people import make_reader

SITE = "https://knowhow.example.org"


@pytest.fixture(autouse=True)
def _site_address(settings: Any) -> None:
    settings.SITE_URL = SITE


def test_author_of_the_replied_to_post_gets_an_email_with_the_link_and_unsubscribe_headers(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    publish(article=article, body="Night cramps wake me up.", author=reader)
    publish(
        article=article, body="Try stretching your calves before bed.", author=outsider, reply_to=1
    )
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert message.subject == (f"[Knowhow] outsider replied to your Post 1 on “{article.title}”")
    assert f"{SITE}/articles/{article.slug}/posts/2/" in message.body
    assert "Try stretching your calves before bed." in message.body
    unsubscribe = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"])
    assert unsubscribe and unsubscribe.group(1).startswith(f"{SITE}/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.group(1) in message.body


def test_a_mentioned_reader_who_opted_in_gets_an_email(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    publish(article=article, body="Magnesium helped me.", author=reader)
    publish(article=article, body="As @Reader said, magnesium.", author=outsider)
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert f"outsider mentioned you in Post 2 on “{article.title}”" in mail.outbox[0].body


def test_readers_who_did_not_opt_in_get_no_email(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    publish(article=article, body="Magnesium helped me.", author=reader)
    publish(article=article, body="Thanks @reader.", author=outsider, reply_to=1)
    run_worker()
    assert mail.outbox == []


def test_an_opted_in_reader_without_an_email_address_gets_nothing(
    article: Article, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    silent = opted_in(User.objects.create_user("silent", password="correct horse 42"))
    publish(article=article, body="No address here.", author=silent)
    publish(article=article, body="Hello @silent.", author=outsider, reply_to=1)
    run_worker()
    assert mail.outbox == []


def test_the_poster_is_never_emailed_about_their_own_post(
    article: Article, reader: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    publish(article=article, body="First thought.", author=reader)
    publish(article=article, body="Adding to my own point, as @reader.", author=reader, reply_to=1)
    run_worker()
    assert mail.outbox == []


def test_one_address_gets_one_email_when_both_replied_to_and_mentioned(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    publish(article=article, body="@reader same here.", author=outsider, reply_to=1)
    run_worker()
    assert len(mail.outbox) == 1
    assert "replied to your Post 1" in mail.outbox[0].subject


def test_a_post_announced_twice_still_emails_each_address_once(
    article: Article,
    reader: User,
    outsider: User,
    publish: Callable[..., Post],
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    reply = publish(article=article, body="Same here.", author=outsider, reply_to=1)
    run_worker()
    # Hidden by reports and then approved, a post is announced a second time.
    with django_capture_on_commit_callbacks(execute=True):
        announce_published(reply)
    run_worker()
    assert len(mail.outbox) == 1


def test_each_reader_gets_their_own_email(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    other = opted_in(make_reader("other"))
    publish(article=article, body="Cramps at night.", author=reader)
    publish(article=article, body="Me too.", author=other)
    publish(article=article, body="@other you should see this.", author=outsider, reply_to=1)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [other.email, reader.email]


def test_finding_recipients_takes_four_queries_however_many_readers_are_mentioned(
    article: Article, outsider: User, publish: Callable[..., Post], django_assert_num_queries: Any
) -> None:
    names = [f"reader{n}" for n in range(8)]
    for name in names:
        publish(article=article, body="Here.", author=opted_in(make_reader(name)))
    post = publish(
        article=article, body=" ".join(f"@{n}" for n in names), author=outsider, reply_to=1
    )
    post = Post.objects.select_related("article", "author", "reply_to").get(pk=post.pk)
    with django_assert_num_queries(4):
        found = recipients_for(post)
    assert [r.username for r in found] == names  # the replied-to reader0 first, then in order
    assert [r.reason for r in found][:2] == ["reply", "mention"]


def test_an_unsubscribed_address_gets_nothing(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    EmailOptOut.objects.create(email=reader.email.upper())
    publish(article=article, body="Cramps at night.", author=reader)
    publish(article=article, body="@reader same here.", author=outsider, reply_to=1)
    run_worker()
    assert mail.outbox == []


def test_an_inbox_that_opted_out_gets_nothing_at_a_variant_of_its_address(
    article: Article, publish: Callable[..., Post], run_worker: Any
) -> None:
    """The opt-out is checked on the inbox, whichever way the address was typed: the same
    rule as the one that decides whether to ask the address to confirm."""
    confirm_address(email="Asker+Cramps@example.net")
    EmailOptOut.objects.create(email="asker@example.net")
    publish(article=article, body="Does quinine help?", notify_email="Asker+Cramps@example.net")
    post = publish(article=article, body="Ask your doctor first.", reply_to=1)
    run_worker()
    assert mail.outbox == []
    assert recipients_for(Post.objects.get(pk=post.pk)) == []


def test_an_anonymous_posters_confirmed_notify_email_gets_the_reply(
    article: Article, reader: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    confirm_address(email="asker@example.net")
    publish(article=article, body="Does quinine help?", notify_email="asker@example.net")
    publish(article=article, body="Ask your doctor first.", author=reader, reply_to=1)
    run_worker()
    assert [m.to for m in mail.outbox] == [["asker@example.net"]]
    message = mail.outbox[0]
    assert "reader replied to your Post 1" in message.subject
    assert f"{SITE}/articles/{article.slug}/posts/2/" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_an_anonymous_reply_to_an_anonymous_post_from_the_same_address_sends_nothing(
    article: Article, publish: Callable[..., Post], run_worker: Any
) -> None:
    confirm_address(email="asker@example.net")
    publish(article=article, body="Does quinine help?", notify_email="asker@example.net")
    publish(
        article=article, body="Answering myself: no.", notify_email="Asker@example.net", reply_to=1
    )
    run_worker()
    assert mail.outbox == []


def test_a_held_post_sends_nothing_until_a_moderator_approves_it(
    article: Article,
    reader: User,
    outsider: User,
    publish: Callable[..., Post],
    run_worker: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    settings.HOLD_FIRST_POSTS = True
    held = publish(article=article, body="@reader same here.", author=outsider, reply_to=1)
    assert held.status == Post.Status.HELD
    run_worker()
    assert mail.outbox == []
    moderator = make_reader("moderator", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        approve(post=held, moderator=moderator)
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_a_post_removed_before_the_worker_runs_sends_nothing(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    reply = publish(article=article, body="Buy pills at spam.example", author=outsider, reply_to=1)
    remove_post(post=reply)
    run_worker()
    assert mail.outbox == []


def test_without_a_site_url_links_use_the_first_allowed_host(settings: Any) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["*", "knowhow.example.net", "www.knowhow.example.net"]
    assert site_url() == "http://knowhow.example.net"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert site_url() == "https://knowhow.example.net"
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    assert site_url() == "http://127.0.0.1:8000"
