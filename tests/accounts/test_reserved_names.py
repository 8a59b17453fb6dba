"""Readers cannot sign up under a name that passes for the site or its staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.pages import visible_text


def sign_up(client: Client, username: str) -> str:
    response = client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": "someone@example.org",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )
    return visible_text(response.content) if response.status_code == 200 else ""


@pytest.mark.parametrize(
    "name",
    ["admin", "Anonymous", "moderator", "STAFF", "root", "support", "Ad.Min", "mod_erator"],
)
def test_a_reserved_name_is_refused_and_the_form_kept(db: None, client: Client, name: str) -> None:
    page = sign_up(client, name)
    assert "That name is kept for the site and its staff" in page
    assert not User.objects.filter(username__iexact=name).exists()
    assert (
        f'value="{name}"'
        in client.post(
            "/accounts/signup/", {"username": name, "email": "someone@example.org"}
        ).content.decode()
    )


def test_the_sites_own_name_is_refused(db: None, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_NAME = "Health Answers"
    assert "That name is kept" in sign_up(client, "health-answers")
    assert not User.objects.filter(username="health-answers").exists()


def test_a_name_that_only_contains_a_reserved_word_is_fine(db: None, client: Client) -> None:
    assert sign_up(client, "adminton") == ""
    assert User.objects.filter(username="adminton").exists()
