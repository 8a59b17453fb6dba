"""Neither sign-up nor password reset tells whether an account has an email address."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from tests.pages import visible_text
from tests.people import make_account

PASSPHRASE = "a long unusual passphrase"
MAIL_SERVER_SECONDS = 0.05


class SlowMailBackend(EmailBackend):
    """The test outbox, as slow as a mail server across the network."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        time.sleep(MAIL_SERVER_SECONDS * len(messages))
        return super().send_messages(messages)


def sign_up(name: str, email: str) -> tuple[Client, Any]:
    client = Client()
    answer = client.post(
        "/accounts/signup/",
        {"username": name, "email": email, "password1": PASSPHRASE, "password2": PASSPHRASE},
    )
    return client, answer


def test_sign_up_with_a_known_address_answers_as_with_a_new_one(
    reader: User, run_worker: Any
) -> None:
    known_client, known = sign_up("newcomer", reader.email.upper())
    fresh_client, fresh = sign_up("stranger", "stranger@example.net")
    assert (known.status_code, known["Location"]) == (fresh.status_code, fresh["Location"])
    assert "An account already uses" not in visible_text(known.content)
    assert "newcomer" in visible_text(known_client.get("/").content)
    assert "stranger" in visible_text(fresh_client.get("/").content)
    run_worker()
    # The address's owner hears of it, with the way back in; the new address hears nothing.
    (note,) = mail.outbox
    assert note.to == [reader.email]
    assert '"newcomer"' in note.body and '"reader"' in note.body
    assert "/accounts/password_reset/" in note.body


def test_notes_to_one_address_are_capped(reader: User, run_worker: Any, settings: Any) -> None:
    settings.SIGNUP_RATE_ADDRESS = [(100, 3600)]
    for number in range(6):
        sign_up(f"squatter{number}", reader.email)
    run_worker()
    assert len(mail.outbox) == 3


def test_reset_takes_as_long_for_known_and_unknown_addresses(
    db: None, run_worker: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.SlowMailBackend"
    known = [make_account(f"known{n}").email for n in range(20)]
    unknown = [f"nobody{n}@example.org" for n in range(20)]
    client = Client()
    client.post("/accounts/password_reset/", {"email": "warm@example.org"})
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for known_email, unknown_email in zip(known, unknown, strict=True):
        for kind, email in (("known", known_email), ("unknown", unknown_email)):
            start = time.perf_counter()
            answer = client.post("/accounts/password_reset/", {"email": email})
            times[kind].append(time.perf_counter() - start)
            assert answer.status_code == 302
    gap = statistics.median(times["known"]) - statistics.median(times["unknown"])
    # Sending inside the request would add a whole mail-server wait to every known address.
    assert abs(gap) < MAIL_SERVER_SECONDS / 2, times
    assert mail.outbox == []
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(known)
    assert all("/accounts/reset/" in message.body for message in mail.outbox)
