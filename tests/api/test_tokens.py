"""Personal API tokens: made on the settings page, shown once, stored hashed, scoped,
expiring, revocable, and never more than their account."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.accounts.models import ApiToken
from tests.api.conftest import TokenClient


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _made_token(page: str) -> str:
    found = re.search(r'id="new-token-text" type="text" readonly value="([^"]+)"', page)
    assert found, "the new token is shown"
    return found.group(1)


def test_a_reader_makes_a_token_on_the_settings_page_and_sees_it_once(reader: User) -> None:
    client = _signed_in(reader)
    page = client.get("/accounts/settings/")
    assert "API tokens" in page.text
    assert 'value="newsroom"' not in page.text, "a reader is offered only what they may do"
    made = client.post(
        "/accounts/settings/tokens/",
        {"token-name": "My reader app", "token-scopes": ["read", "post"], "token-days": "90"},
    )
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    text = _made_token(made.text)
    assert text.startswith("kh_")
    stored = ApiToken.objects.get(user=reader)
    assert text not in stored.secret_hash and text.split("_", 2)[2] not in str(stored.__dict__)
    assert stored.scopes == "post read"
    assert stored.expires_at is not None
    assert abs(stored.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(
        minutes=1
    )
    again = client.get("/accounts/settings/")
    assert text not in again.text, "shown only once"
    assert "My reader app" in again.text
    me = TokenClient(text).get("/api/v1/me/").json()
    assert me == {"username": "reader", "scopes": ["post", "read"], "token": "My reader app"}


def test_a_token_form_with_mistakes_says_what_is_wrong(reader: User) -> None:
    client = _signed_in(reader)
    page = client.post("/accounts/settings/tokens/", {"token-name": "  ", "token-days": "7"})
    assert page.status_code == 400
    assert "Give the token a name, to know it again later." in page.text
    assert "Choose at least one thing the token may do." in page.text
    assert not ApiToken.objects.exists()


def test_a_reader_cannot_give_a_token_more_than_their_account_has(reader: User) -> None:
    client = _signed_in(reader)
    page = client.post(
        "/accounts/settings/tokens/",
        {"token-name": "Sneaky", "token-scopes": ["read", "moderate"], "token-days": "30"},
    )
    assert page.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_moderator_may_give_the_moderate_scope(moderator: User) -> None:
    client = _signed_in(moderator)
    assert 'value="moderate"' in client.get("/accounts/settings/").text
    made = client.post(
        "/accounts/settings/tokens/",
        {"token-name": "Bot", "token-scopes": ["read", "moderate"], "token-days": "0"},
    )
    text = _made_token(made.text)
    assert ApiToken.objects.get().expires_at is None
    assert TokenClient(text).get("/api/v1/me/").json()["scopes"] == ["moderate", "read"]


def test_a_token_loses_what_its_account_loses(
    moderator: User, make_token: Callable[..., str]
) -> None:
    text = make_token(moderator, ("read", "moderate"))
    moderator.user_permissions.clear()
    moderator = User.objects.get(pk=moderator.pk)  # permissions are cached on the object
    assert TokenClient(text).get("/api/v1/me/").json()["scopes"] == ["read"]


def test_a_revoked_token_is_refused(reader: User, make_token: Callable[..., str]) -> None:
    text = make_token(reader)
    client = _signed_in(reader)
    token = ApiToken.objects.get()
    assert TokenClient(text).get("/api/v1/me/").status_code == 200
    response = client.post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    refused = TokenClient(text).get("/api/v1/articles/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid_token"
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert "Your tokens" not in client.get("/accounts/settings/").text


def test_nobody_revokes_another_readers_token(
    reader: User, outsider: User, make_token: Callable[..., str]
) -> None:
    text = make_token(reader)
    token = ApiToken.objects.get()
    response = _signed_in(outsider).post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert TokenClient(text).get("/api/v1/me/").status_code == 200
    # Nor anyone signed out, nor by a GET.
    assert Client().post(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert (
        _signed_in(reader).get(f"/accounts/settings/tokens/{token.pk}/revoke/").status_code == 405
    )
    assert TokenClient(text).get("/api/v1/me/").status_code == 200


def test_an_expired_token_is_refused(
    reader: User, make_token: Callable[..., str], time_machine: object
) -> None:
    text = make_token(reader, days=30)
    time_machine.move_to(timezone.now() + dt.timedelta(days=31))  # type: ignore[attr-defined]
    response = TokenClient(text).get("/api/v1/articles/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_token_of_a_deactivated_account_is_refused(
    reader: User, make_token: Callable[..., str]
) -> None:
    text = make_token(reader)
    reader.is_active = False
    reader.save()
    assert TokenClient(text).get("/api/v1/me/").status_code == 401


def test_made_up_and_mangled_tokens_are_refused(
    reader: User, make_token: Callable[..., str]
) -> None:
    text = make_token(reader)
    for wrong in (
        text[:-1] + ("A" if text[-1] != "A" else "B"),
        text.replace("kh_", "xx_"),
        "kh_" + text.split("_")[1],
        "kh__",
        "kh_" + "0" * 8 + "_" + text.split("_", 2)[2],
        "x" * 5000,
    ):
        response = TokenClient(wrong).get("/api/v1/me/")
        assert response.status_code == 401, wrong
        assert response.json()["code"] == "invalid_token"
    basic = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Basic cmVhZGVyOnB3")
    assert basic.status_code == 401
    assert basic.json()["code"] == "bad_authorization"


def test_a_token_notes_when_it_was_last_used(reader: User, make_token: Callable[..., str]) -> None:
    text = make_token(reader)
    assert ApiToken.objects.get().last_used_at is None
    TokenClient(text).get("/api/v1/me/")
    used = ApiToken.objects.get().last_used_at
    assert used is not None and timezone.now() - used < dt.timedelta(minutes=1)
    row = _signed_in(reader).get("/accounts/settings/").text.split("test client")[1]
    assert "last used" in row.split("Revoke")[0], "the settings page shows when"
    assert "not used yet" not in row.split("Revoke")[0]


def test_a_token_without_the_read_scope_cannot_read(
    reader: User, make_token: Callable[..., str]
) -> None:
    text = make_token(reader, ("post",))
    response = TokenClient(text).get("/api/v1/articles/")
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"


def test_the_settings_page_is_the_readers_own(outsider: User) -> None:
    assert Client().post("/accounts/settings/tokens/", {"token-name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
