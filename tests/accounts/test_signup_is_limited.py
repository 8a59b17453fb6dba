"""One address makes only so many accounts; the refused one keeps what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from tests.pages import visible_text

PASSPHRASE = "a long unusual passphrase"


def sign_up(client: Client, name: str, password: str | None = None) -> Any:
    password = password or PASSPHRASE
    return client.post(
        "/accounts/signup/",
        {
            "username": name,
            "email": f"{name}@example.net",
            "password1": password,
            "password2": password,
        },
    )


def test_a_third_account_from_one_address_waits(db: None, settings: Any) -> None:
    settings.SIGNUP_RATE_ADDRESS = [(2, 3600)]
    assert sign_up(Client(), "first").status_code == 302
    assert sign_up(Client(), "second").status_code == 302
    answer = sign_up(Client(), "third")
    assert answer.status_code == 429
    assert 0 < int(answer["Retry-After"]) <= 3600
    assert "Several accounts were made from your network" in visible_text(answer.content)
    assert 'value="third"' in answer.content.decode()
    assert 'value="third@example.net"' in answer.content.decode()
    assert not User.objects.filter(username="third").exists()
    # Elsewhere, sign-up is open.
    assert sign_up(Client(REMOTE_ADDR="203.0.113.9"), "third").status_code == 302


def test_a_form_sent_back_for_a_mistake_uses_up_nothing(db: None, settings: Any) -> None:
    settings.SIGNUP_RATE_ADDRESS = [(1, 3600)]
    for _ in range(3):
        assert sign_up(Client(), "typo", password="short").status_code == 200
    assert sign_up(Client(), "typo").status_code == 302
    assert sign_up(Client(), "other").status_code == 429
