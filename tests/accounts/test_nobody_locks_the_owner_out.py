"""Guessing an account's password from elsewhere never locks its owner out: failures count
per account and network, a browser that signed in before keeps its own count, and past a
limit a one-time sign-in link comes by email."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.signing import get_cookie_signer
from django.test import Client

from knowhow.accounts import throttle
from tests.pages import visible_text
from tests.people import PASSWORD, make_account

WRONG = "not the password"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.SIGNIN_RATE_ACCOUNT = [(5, 900)]
    settings.SIGNIN_RATE_ACCOUNT_ALL = [(12, 900)]
    settings.SIGNIN_RATE_ADDRESS = [(50, 900)]


def sign_in(client: Client, password: str, username: str = "reader") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def stranger(number: int) -> Client:
    return Client(REMOTE_ADDR=f"198.51.{number}.7")


def test_guessing_from_one_network_leaves_the_owner_on_another_free(reader: User) -> None:
    for _ in range(5):
        sign_in(stranger(1), WRONG)
    assert sign_in(stranger(1), PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), PASSWORD).status_code == 302


def test_a_browser_that_signed_in_before_keeps_working_through_a_botnet(reader: User) -> None:
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(owner, PASSWORD).status_code == 302
    cookie = owner.cookies[throttle.DEVICE_COOKIE]
    assert cookie["path"] == "/accounts/" and cookie["httponly"]
    owner.post("/accounts/logout/")
    for number in range(12):  # twelve networks, each under its own limit
        sign_in(stranger(number), WRONG)
    assert sign_in(Client(REMOTE_ADDR="192.0.2.1"), PASSWORD).status_code == 429
    assert sign_in(owner, PASSWORD).status_code == 302
    assert owner.session["_auth_user_id"] == str(reader.pk)


def test_a_forged_device_cookie_or_one_for_another_account_is_no_key(reader: User) -> None:
    other = make_account("other")
    browser = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(browser, PASSWORD, username="other").status_code == 302
    browser.post("/accounts/logout/")
    for number in range(12):
        sign_in(stranger(number), WRONG)
    # Trusted for "other", not for "reader".
    assert sign_in(browser, PASSWORD).status_code == 429
    forged = Client(REMOTE_ADDR="203.0.113.10")
    mark = throttle.account_key("reader")[:20]
    forged.cookies[throttle.DEVICE_COOKIE] = f"device:{mark}"  # unsigned
    assert sign_in(forged, PASSWORD).status_code == 429
    resigned = get_cookie_signer(salt="wrong" + throttle.DEVICE_COOKIE).sign(f"d:{mark}")
    forged.cookies[throttle.DEVICE_COOKIE] = resigned
    assert sign_in(forged, PASSWORD).status_code == 429
    assert other.is_active


def _link_from_mail() -> str:
    assert len(mail.outbox) == 1
    found = re.search(r"https?://\S+/accounts/signin-link/\S+/", mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group().split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_past_the_limit_a_sign_in_link_arrives_and_signs_in_once(
    reader: User, run_worker: Callable[[], None]
) -> None:
    for _ in range(5):
        sign_in(stranger(1), WRONG)
    refused = sign_in(stranger(1), PASSWORD)
    assert refused.status_code == 429
    assert "Email me a sign-in link" in visible_text(refused.content)
    asked = stranger(1).post("/accounts/signin-link/", {"username": "reader"}, follow=True)
    assert "a sign-in link is on its way" in visible_text(asked.content)
    run_worker()
    assert mail.outbox[0].to == [reader.email]
    link = _link_from_mail()

    browser = stranger(1)
    page = browser.get(link)  # opening the link (as a mail scanner would) signs nobody in
    assert "Sign in as reader" in visible_text(page.content)
    assert "_auth_user_id" not in browser.session
    assert browser.post(link).status_code == 302
    assert browser.session["_auth_user_id"] == str(reader.pk)
    assert throttle.DEVICE_COOKIE in browser.cookies

    again = Client().post(link)  # a replayed link is refused
    assert again.status_code == 400
    assert "does not work" in visible_text(again.content)


def test_a_link_asked_for_an_unknown_account_reads_the_same_and_sends_nothing(
    db: None, run_worker: Callable[[], None]
) -> None:
    asked = Client().post("/accounts/signin-link/", {"username": "nobody"}, follow=True)
    assert "a sign-in link is on its way" in visible_text(asked.content)
    run_worker()
    assert mail.outbox == []


def test_links_asked_for_one_account_are_limited(
    reader: User, run_worker: Callable[[], None]
) -> None:
    for number in range(5):
        stranger(number).post("/accounts/signin-link/", {"username": "READER"})
    run_worker()
    assert len(mail.outbox) == 3
