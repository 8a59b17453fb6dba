"""Guessing passwords stops after a few wrong ones: per account, per address, at every door."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.pages import visible_text
from tests.people import PASSWORD, make_account, signed_in

WRONG = "not the password"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.SIGNIN_RATE_ACCOUNT = [(5, 900)]
    settings.SIGNIN_RATE_ADDRESS = [(8, 900)]


def sign_in(client: Client, username: str, password: str, door: str = "/accounts/login/") -> Any:
    return client.post(door, {"username": username, "password": password})


def assert_refused_for_a_while(answer: Any) -> None:
    assert answer.status_code == 429
    assert 0 < int(answer["Retry-After"]) <= 900
    text = visible_text(answer.content)
    assert "Too many wrong passwords" in text
    minutes = (int(answer["Retry-After"]) + 59) // 60
    assert f"Please wait {minutes} minute" in text


def test_after_five_wrong_passwords_even_the_right_one_is_refused(reader: User) -> None:
    for _ in range(6):  # right passwords use up no tries
        assert sign_in(Client(), "reader", PASSWORD).status_code == 302
    client = Client()
    for _ in range(5):
        assert sign_in(client, "reader", WRONG).status_code == 200
    answer = sign_in(client, "reader", PASSWORD)
    assert_refused_for_a_while(answer)
    assert 'value="reader"' in answer.content.decode()  # the form keeps the name
    assert "_auth_user_id" not in client.session


def test_another_browser_or_address_of_the_network_does_not_unlock_the_account(
    reader: User,
) -> None:
    for _ in range(5):
        sign_in(Client(REMOTE_ADDR="198.51.100.7"), "reader", WRONG)
    assert_refused_for_a_while(sign_in(Client(REMOTE_ADDR="198.51.100.99"), "reader", PASSWORD))


def test_the_name_in_another_case_is_the_same_account(reader: User) -> None:
    client = Client()
    for name in ("reader", "READER", "Reader", " reader", "rEaDeR"):
        sign_in(client, name, WRONG)
    assert_refused_for_a_while(sign_in(client, "reader", PASSWORD))


def test_the_admin_door_counts_with_the_site_door(moderator: User) -> None:
    client = Client()
    for _ in range(3):
        assert sign_in(client, "moderator", WRONG).status_code == 200
    for _ in range(2):
        assert sign_in(client, "moderator", WRONG, door="/admin/login/").status_code == 200
    answer = sign_in(client, "moderator", PASSWORD, door="/admin/login/")
    assert_refused_for_a_while(answer)
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_one_address_guessing_many_accounts_is_stopped(db: None) -> None:
    for name in ("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ida"):
        make_account(name)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for name in ("ann", "bob", "cat", "dan"):
        sign_in(client, name, WRONG)
    # Signing in to one's own account in between wipes nothing the address owes.
    assert sign_in(client, "eve", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for name in ("fay", "gus", "hal", "ann"):
        assert sign_in(client, name, WRONG).status_code == 200
    assert_refused_for_a_while(sign_in(client, "ida", PASSWORD))
    # Another address is not held back by it.
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "ida", PASSWORD).status_code == 302


def test_an_ipv6_network_counts_as_one_address(db: None) -> None:
    for name in ("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ida"):
        make_account(name)
    for number, name in enumerate(("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal")):
        sign_in(Client(REMOTE_ADDR=f"2001:db8:1:2::{number + 1}"), name, WRONG)
    answer = sign_in(Client(REMOTE_ADDR="2001:db8:1:2:ffff::9"), "ida", PASSWORD)
    assert_refused_for_a_while(answer)


def test_changing_the_password_is_no_way_around_the_limit(reader: User) -> None:
    client = signed_in(reader)
    for _ in range(5):
        answer = client.post(
            "/accounts/password_change/",
            {
                "old_password": WRONG,
                "new_password1": "a new one 77",
                "new_password2": "a new one 77",
            },
        )
        assert "Your old password was entered incorrectly" in visible_text(answer.content)
    answer = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new one 77",
            "new_password2": "a new one 77",
        },
    )
    assert_refused_for_a_while(answer)
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_wrong_sign_ins_hold_the_password_change_too(reader: User) -> None:
    for _ in range(5):
        sign_in(Client(), "reader", WRONG)
    answer = signed_in(reader).post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new one 77",
            "new_password2": "a new one 77",
        },
    )
    assert_refused_for_a_while(answer)


def test_deleting_the_account_is_no_way_around_the_limit(reader: User) -> None:
    client = signed_in(reader)
    for _ in range(5):
        answer = client.post("/accounts/delete/", {"password": WRONG, "posts": "keep"})
        assert "That is not your password." in visible_text(answer.content)
    answer = client.post("/accounts/delete/", {"password": PASSWORD, "posts": "keep"})
    assert_refused_for_a_while(answer)
    assert User.objects.filter(pk=reader.pk).exists()


def test_the_admin_password_change_is_the_counted_one(moderator: User) -> None:
    answer = signed_in(moderator).get("/admin/password_change/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password_change/"


def test_ipv4_clients_of_a_dual_stack_server_are_told_apart(db: None) -> None:
    for name in ("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal", "ida"):
        make_account(name)
    for number, name in enumerate(("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal")):
        sign_in(Client(REMOTE_ADDR=f"::ffff:198.51.100.{number + 1}"), name, WRONG)
    answer = sign_in(Client(REMOTE_ADDR="::ffff:203.0.113.9"), "ida", PASSWORD)
    assert answer.status_code == 302
