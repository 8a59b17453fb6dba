"""Emails speak the language the reader used: a reply email in the language the replied-to
reader posted in, else the site's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import translation

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from tests.notifications.conftest import opted_in

pytestmark = pytest.mark.django_db


def test_a_reader_who_posted_in_arabic_gets_the_reply_email_in_arabic(
    several_languages: None,
    article: Article,
    reader: User,
    outsider: User,
    publish: Callable[..., Post],
    run_worker: Any,
) -> None:
    opted_in(reader)
    with translation.override("ar"):
        publish(article=article, body="تشنجات الليل توقظني.", author=reader)
    with translation.override("en"):
        publish(article=article, body="Stretch before bed.", author=outsider, reply_to=1)
    run_worker()
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == f"[Knowhow] ردّ outsider على مشاركتك 1 حول «{article.title}»"
    assert message.body.startswith("مرحبًا reader،")
    assert "اقرأ المشاركة كاملة وردّ عليها:" in message.body
    assert "Stretch before bed." in message.body
    assert "أوقف هذه الرسائل بنقرة واحدة:" in message.body


def test_a_reply_email_falls_back_to_the_sites_language(
    settings: Any,
    article: Article,
    reader: User,
    outsider: User,
    publish: Callable[..., Post],
    run_worker: Any,
) -> None:
    """A reader who posted in Arabic, on a site that no longer offers it, is written to in
    the site's language."""
    opted_in(reader)
    with translation.override("ar"):
        publish(article=article, body="تشنجات الليل توقظني.", author=reader)
    publish(article=article, body="Stretch before bed.", author=outsider, reply_to=1)
    assert Post.objects.get(number=1).language == "ar"
    run_worker()
    (message,) = mail.outbox
    assert message.subject == f"[Knowhow] outsider replied to your Post 1 on “{article.title}”"
    assert message.body.startswith("Hello reader,")
