"""Odd input gets a page or a clear refusal, never a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment


@pytest.mark.parametrize("number", ["²", "١", "99999999999999999999", "-1", "1.0", ""])
def test_an_odd_reply_number_is_ignored(article: Article, number: str) -> None:
    post_comment(article=article, body="Something to reply to.")
    answer = Client(raise_request_exception=False).get(
        f"{article.get_absolute_url()}?reply={number}"
    )
    assert answer.status_code == 200
    assert 'name="reply_to"' not in answer.content.decode()


def test_sign_up_with_a_bare_next_goes_there_after_the_account_is_made(db: None) -> None:
    client = Client(raise_request_exception=False)
    answer = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a long passphrase 93",
            "password2": "a long passphrase 93",
            "next": "x",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "x"
    assert Post.objects.count() == 0  # nothing else was written on the way


def test_a_bad_rate_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from knowhow import config

    monkeypatch.setenv("KNOWHOW_POST_RATE_ANONYMOUS", "²/10m")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_POST_RATE_ANONYMOUS"):
        config.env_rates("KNOWHOW_POST_RATE_ANONYMOUS", "5/10m")


def test_mail_files_are_private(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    import stat

    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "knowhow.mailfiles.PrivateFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    send_mail("Reset", "https://example.org/reset/secret/", "a@example.org", ["b@example.org"])
    (written,) = (tmp_path / "mail").iterdir()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "mail").stat().st_mode) == 0o700


def test_a_reset_link_never_takes_the_port_a_request_named(reader, settings, run_worker) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    settings.SITE_URL = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Client(HTTP_HOST="localhost:9999").post("/accounts/password_reset/", {"email": reader.email})
    run_worker()
    (message,) = mail.outbox
    assert "9999" not in message.body
    assert "http://127.0.0.1:8000/accounts/reset/" in message.body


def test_reset_emails_to_one_address_are_capped(reader, settings, run_worker) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    answers = [
        Client().post("/accounts/password_reset/", {"email": reader.email.upper()})
        for _ in range(30)
    ]
    assert all(a.status_code == 302 for a in answers)  # every asker hears the same
    run_worker()
    assert len(mail.outbox) == 3
