"""Every page names the site by KNOWHOW_SITE_NAME, whatever host it was reached by."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.pages import visible_text


@pytest.fixture(autouse=True)
def _named(settings: Any) -> None:
    settings.SITE_NAME = "Bright Notes"
    settings.ALLOWED_HOSTS = ["notes.example.org", "testserver"]


@pytest.mark.django_db
def test_the_sign_in_page_shows_the_site_name_not_the_host(client: Client) -> None:
    page = client.get("/accounts/login/", HTTP_HOST="notes.example.org").content.decode()
    assert "<title>Sign in · Bright Notes</title>" in page
    # The host may appear in the page's own address (its canonical link), never as its name.
    assert "notes.example.org" not in visible_text(page)


@pytest.mark.django_db
def test_the_admin_sign_in_page_shows_the_site_name(client: Client) -> None:
    page = client.get("/admin/login/", HTTP_HOST="notes.example.org").content.decode()
    assert "Bright Notes admin" in page
    assert "Django administration" not in page


def test_a_signed_in_readers_pages_show_the_site_name(client: Client, reader: User) -> None:
    client.force_login(reader)
    for path in ("/accounts/password_change/", "/accounts/settings/"):
        page = client.get(path, HTTP_HOST="notes.example.org").content.decode()
        assert "Bright Notes" in visible_text(page), path
        assert "notes.example.org" not in visible_text(page), path
