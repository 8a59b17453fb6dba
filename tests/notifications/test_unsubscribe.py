"""The unsubscribe link of reply emails: a page with a button, the one-click POST, bad links."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.notifications.models import EmailOptOut, ReaderPreferences
from tests.notifications.conftest import opted_in
from tests.pages import visible_text


def _unsubscribe_path(message: Any) -> str:
    url = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"])
    assert url
    path = re.sub(r"^https?://[^/]+", "", url.group(1))
    assert path.startswith("/notifications/unsubscribe/")
    return path


def _reply_email(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> Any:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    publish(article=article, body="Same here.", author=outsider, reply_to=1)
    run_worker()
    (message,) = mail.outbox
    return message


def test_unsubscribe_page_names_the_address_and_changes_nothing_until_the_button(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    path = _unsubscribe_path(_reply_email(article, reader, outsider, publish, run_worker))
    response = Client().get(path)
    assert response.status_code == 200
    text = visible_text(response.content)
    assert reader.email in text
    assert re.search(
        rb'<form method="post">\s*<button type="submit">Unsubscribe</button>', response.content
    )
    assert not EmailOptOut.objects.exists()
    assert ReaderPreferences.objects.get(user=reader).notify_replies


def test_one_click_unsubscribe_without_a_csrf_token_stops_the_emails(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    path = _unsubscribe_path(_reply_email(article, reader, outsider, publish, run_worker))
    # What a mail client sends for List-Unsubscribe-Post (RFC 8058): no cookie, no token.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in visible_text(response.content)
    assert EmailOptOut.objects.filter(email=reader.email).exists()
    assert not ReaderPreferences.objects.get(user=reader).notify_replies
    mail.outbox.clear()
    publish(article=article, body="@reader one more thing.", author=outsider, reply_to=1)
    run_worker()
    assert mail.outbox == []


def test_a_tampered_unsubscribe_link_gets_a_clear_400_page(
    article: Article, reader: User, outsider: User, publish: Callable[..., Post], run_worker: Any
) -> None:
    path = _unsubscribe_path(_reply_email(article, reader, outsider, publish, run_worker))
    payload, signature = path.split("/")[-2].split(":", 1)
    # The same link naming another address, and a link cut short.
    other = base64.urlsafe_b64encode(b'{"e":"outsider@example.org","u":2}').rstrip(b"=")
    for bad in (f"{other.decode()}:{signature}", payload, "not-a-token"):
        url = f"/notifications/unsubscribe/{bad}/"
        for response in (Client().get(url), Client().post(url)):
            assert response.status_code == 400
            assert "This unsubscribe link is not valid" in visible_text(response.content)
    assert not EmailOptOut.objects.exists()
    assert ReaderPreferences.objects.get(user=reader).notify_replies
