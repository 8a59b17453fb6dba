"""Account emails arrive in the language of the page that asked for them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_and_spanish(settings: Any) -> None:
    """KNOWHOW_LANGUAGES=en,es: readers choose English or Spanish."""
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    middleware = list(settings.MIDDLEWARE)
    if "django.middleware.locale.LocaleMiddleware" not in middleware:
        middleware.insert(
            middleware.index("django.middleware.common.CommonMiddleware"),
            "django.middleware.locale.LocaleMiddleware",
        )
        settings.MIDDLEWARE = middleware


def test_a_reset_asked_for_in_spanish_arrives_in_spanish(
    english_and_spanish: None, reader: User, run_worker: Any
) -> None:
    spanish = Client()
    spanish.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = spanish.post("/accounts/password_reset/", {"email": reader.email}, follow=True)
    assert "Revisa tu correo" in page.content.decode()
    english = Client()
    english.post("/accounts/password_reset/", {"email": reader.email})
    run_worker()
    first, second = mail.outbox
    assert first.subject == "Restablece tu contraseña de Knowhow"
    assert first.body.startswith("Hola, reader:")
    assert "Para elegir una contraseña nueva, abre este enlace:" in first.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", first.body)
    assert link, "the Spanish email carries the reset link"
    # The next reader, in English, gets English: the worker keeps no language between emails.
    assert second.subject == "Reset your Knowhow password"
    assert second.body.startswith("Hello reader,")


def test_the_reset_page_is_in_spanish(english_and_spanish: None) -> None:
    spanish = Client()
    spanish.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = spanish.get("/accounts/password_reset/").content.decode()
    assert '<html lang="es"' in page
    assert "Restablece tu contraseña" in page and "Enviar enlace" in page
