"""An address typed into a form gets reply emails only after its owner confirms it.

The attack: post anonymously naming a stranger's address for replies, then reply to that
post with whatever one wants them to read. Now the stranger gets one confirmation email,
with nothing any reader wrote in it, and no reply until they follow its link.
"""

from __future__ import annotations

import re
import time
import types
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.notifications.models import ConfirmedAddress, EmailOptOut
from knowhow.notifications.tokens import make_confirm_token
from tests.conftest import form_data
from tests.notifications.conftest import opted_in
from tests.pages import visible_text
from tests.people import signed_in

STRANGER = "stranger@example.net"
INSULT = "Everyone reading this thread thinks you are a fraud."


@pytest.fixture(autouse=True)
def _site_address(settings: Any) -> None:
    settings.SITE_URL = "https://knowhow.example.org"


def _post_naming(
    client: Client, article: Article, capture: Any, email: str, body: str = "Does quinine help?"
) -> Any:
    with capture(execute=True):
        return client.post(
            f"{article.get_absolute_url()}posts/",
            form_data(article, body, notify_email=email),
            follow=True,
        )


def _confirm_path(message: Any) -> str:
    found = re.search(
        r"https://knowhow\.example\.org(/notifications/confirm/[^/\s]+/)", message.body
    )
    assert found, message.body
    return found.group(1)


def _to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_stranger_named_for_replies_gets_one_confirmation_and_no_reply_until_confirming(
    article: Article,
    reader: User,
    publish: Callable[..., Post],
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    form = Client().get(article.get_absolute_url())
    assert "we email this address a link to confirm it" in visible_text(form.content)
    page = _post_naming(Client(), article, django_capture_on_commit_callbacks, STRANGER)
    assert "we sent a link to confirm this address" in visible_text(page.content)
    publish(article=article, body=INSULT, author=reader, reply_to=1)
    run_worker()
    (message,) = mail.outbox
    assert message.to == [STRANGER]
    assert message.subject == (
        f"[Knowhow] Confirm you want reply emails for your post on “{article.title}”"
    )
    # Nothing a reader wrote: neither the reply nor the post that named the address.
    assert INSULT not in message.body and "quinine" not in message.body
    assert not re.search(r"\breader\b", message.body)  # nor the replier's name
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "/notifications/unsubscribe/" in message.body
    assert not ConfirmedAddress.objects.exists()


def test_after_confirming_replies_arrive(
    article: Article,
    reader: User,
    publish: Callable[..., Post],
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _post_naming(Client(), article, django_capture_on_commit_callbacks, STRANGER)
    run_worker()
    path = _confirm_path(mail.outbox[0])
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200 and STRANGER in visible_text(page.content)
    yes = browser.post(path, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert yes.status_code == 200
    assert "Your address is confirmed" in visible_text(yes.content)
    mail.outbox.clear()
    publish(article=article, body="Quinine is not advised for cramps.", author=reader, reply_to=1)
    run_worker()
    (reply,) = mail.outbox
    assert reply.to == [STRANGER] and "reader replied to your Post 1" in reply.subject


def test_opening_the_link_confirms_nothing(
    article: Article,
    reader: User,
    publish: Callable[..., Post],
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _post_naming(Client(), article, django_capture_on_commit_callbacks, STRANGER)
    run_worker()
    path = _confirm_path(mail.outbox[0])
    for _ in range(3):  # a mail scanner opening the link, with and without HEAD
        assert Client().get(path).status_code == 200
        Client().head(path)
    assert not ConfirmedAddress.objects.exists()
    publish(article=article, body=INSULT, author=reader, reply_to=1)
    run_worker()
    assert all(INSULT not in m.body for m in mail.outbox)


def test_a_confirmed_address_is_not_asked_again(
    article: Article, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Client().post(_confirm_path_for(STRANGER))
    _post_naming(Client(), article, django_capture_on_commit_callbacks, STRANGER.upper())
    run_worker()
    assert mail.outbox == []


def _confirm_path_for(email: str) -> str:
    return f"/notifications/confirm/{make_confirm_token(email)}/"


def test_a_forged_link_is_refused(db: None) -> None:
    genuine = make_confirm_token("attacker@example.org")
    payload, rest = genuine.split(":", 1)
    other = signing.b64_encode(b'{"c":"stranger@example.net"}').decode()
    for bad in (f"{other}:{rest}", payload, "not-a-token", genuine[:-3] + "abc"):
        for answer in (
            Client().get(f"/notifications/confirm/{bad}/"),
            Client().post(f"/notifications/confirm/{bad}/"),
        ):
            assert answer.status_code == 400
            assert "This confirmation link is not valid" in visible_text(answer.content)
    assert not ConfirmedAddress.objects.exists()


def test_an_unsubscribe_token_is_no_confirmation_link(db: None) -> None:
    from knowhow.notifications.tokens import Subscriber, make_token

    answer = Client().post(f"/notifications/confirm/{make_token(Subscriber(STRANGER))}/")
    assert answer.status_code == 400
    assert not ConfirmedAddress.objects.exists()


def test_an_expired_link_is_refused(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    eight_days_ago = int(time.time()) - 8 * 86400
    with monkeypatch.context() as past:
        past.setattr(
            signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago)
        )
        path = _confirm_path_for(STRANGER)
    for answer in (Client().get(path), Client().post(path)):
        assert answer.status_code == 400
        assert "This confirmation link has expired" in visible_text(answer.content)
    assert not ConfirmedAddress.objects.exists()


def test_a_used_link_is_refused_when_replayed(db: None) -> None:
    path = _confirm_path_for(STRANGER)
    assert Client().post(path).status_code == 200
    for answer in (Client().post(path), Client().get(path)):
        assert answer.status_code == 400
        assert "This confirmation link was already used" in visible_text(answer.content)
    assert ConfirmedAddress.objects.count() == 1


def _at(monkeypatch: pytest.MonkeyPatch, moment: float) -> None:
    monkeypatch.setattr(
        "knowhow.antiabuse.ratelimit.time", types.SimpleNamespace(time=lambda: moment)
    )


def test_confirmation_emails_to_one_inbox_are_capped(
    article: Article,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    morning = (int(time.time()) // 86400) * 86400 + 3600  # one in the morning, UTC
    variants = [
        "victim@gmail.com",
        "Victim@Gmail.com",
        "vic.tim@gmail.com",
        "victim+a@gmail.com",
        "v.i.c.t.i.m+b@googlemail.com",
    ]
    for hour in range(6):
        _at(monkeypatch, morning + hour * 3600)
        for n, email in enumerate(variants):
            answer = _post_naming(
                Client(), article, django_capture_on_commit_callbacks, email, f"Flood {hour} {n}."
            )
            assert answer.status_code == 200  # every post is stored; only the emails stop
    run_worker()
    assert Post.objects.count() == 30
    assert len(mail.outbox) == 3  # one an hour, three a day, however the address is spelt
    assert all(m.subject.startswith("[Knowhow] Confirm") for m in mail.outbox)


def test_an_address_that_unsubscribed_gets_nothing(
    article: Article,
    reader: User,
    publish: Callable[..., Post],
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    EmailOptOut.objects.create(email="Stranger@example.net")
    page = _post_naming(Client(), article, django_capture_on_commit_callbacks, STRANGER)
    # The page says what it says to everyone, so it tells nobody who unsubscribed.
    assert "we sent a link to confirm this address" in visible_text(page.content)
    _post_naming(Client(), article, django_capture_on_commit_callbacks, "stranger+x@example.net")
    publish(article=article, body=INSULT, author=reader, reply_to=1)
    run_worker()
    assert mail.outbox == []
    answer = Client().post(_confirm_path_for(STRANGER))  # a link sent before unsubscribing
    assert answer.status_code == 400
    assert "This address has unsubscribed" in visible_text(answer.content)
    assert not ConfirmedAddress.objects.exists()


def test_unsubscribing_one_spelling_of_an_address_stops_confirmations_to_every_other(
    article: Article, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from knowhow.notifications.services import unsubscribe
    from knowhow.notifications.tokens import Subscriber

    unsubscribe(subscriber=Subscriber("Stranger+Threads@example.net"))
    for email in (STRANGER, "stranger+other@example.net", "STRANGER+x@example.net"):
        _post_naming(Client(), article, django_capture_on_commit_callbacks, email, email)
    run_worker()
    assert mail.outbox == []


def test_a_unicode_domain_and_its_ascii_spelling_share_the_cap(
    article: Article, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for email in (
        "victim@bücher.example",
        "victim@xn--bcher-kva.example",
        "Victim+1@BÜCHER.example",
    ):
        _post_naming(Client(), article, django_capture_on_commit_callbacks, email, email)
    run_worker()
    assert Post.objects.count() == 3
    assert len(mail.outbox) == 1


def test_an_account_address_is_confirmed_before_replies_go_to_it(
    article: Article,
    reader: User,
    outsider: User,
    publish: Callable[..., Post],
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Sign-up does not check addresses: anyone can open an account with a stranger's.
    browser = signed_in(reader)
    with django_capture_on_commit_callbacks(execute=True):
        saved = browser.post("/accounts/settings/", {"notify_replies": "on"}, follow=True)
    assert f"We sent a link to confirm {reader.email}" in visible_text(saved.content)
    publish(article=article, body="Cramps at night.", author=reader)
    publish(article=article, body=INSULT, author=outsider, reply_to=1)
    run_worker()
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "[Knowhow] Confirm you want reply emails from Knowhow"
    assert INSULT not in message.body and not re.search(r"\breader\b", message.body)
    assert "Save these settings again" in visible_text(browser.get("/accounts/settings/").content)
    Client().post(_confirm_path(message))
    mail.outbox.clear()
    publish(article=article, body="And another thing.", author=outsider, reply_to=1)
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "Save these settings again" not in visible_text(
        browser.get("/accounts/settings/").content
    )


def test_ticking_the_box_after_unsubscribing_a_tagged_address_asks_to_confirm_it(
    reader: User, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from knowhow.notifications.services import unsubscribe
    from knowhow.notifications.tokens import Subscriber

    reader.email = "reader+site@example.org"
    reader.save()
    unsubscribe(subscriber=Subscriber(reader.email, reader.pk))
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(reader).post("/accounts/settings/", {"notify_replies": "on"})
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert not EmailOptOut.objects.exists()


def test_a_confirmed_reader_ticking_the_box_again_gets_no_confirmation(
    reader: User, run_worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    opted_in(reader)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(reader).post("/accounts/settings/", {"notify_replies": "on"})
    run_worker()
    assert mail.outbox == []
