"""Sign up, sign in, sign out, reset a forgotten password, and the reader's profile page."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from knowhow.moderation.services import remove_post
from tests.pages import visible_text


def test_sign_up_signs_the_reader_in(client: Client, db: None) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newreader",
            "email": "new@example.org",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert "newreader" in visible_text(client.get("/").content)


def test_sign_up_refusal_keeps_the_form(db: None, client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": "other", "email": "other@example.org", "password1": "x", "password2": "x"},
    )
    assert "This password is too short" in visible_text(response.content)
    assert 'value="other"' in response.content.decode()
    assert 'value="other@example.org"' in response.content.decode()


def test_passwords_are_hashed_with_argon2(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create_user("hashme", password="a long unusual passphrase")
    assert user.password.startswith("argon2$")


def test_sign_in_and_out(reader: User, client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": "correct horse 42"}
    )
    assert response.status_code == 302
    assert "Sign out" in visible_text(client.get("/").content)
    client.post("/accounts/logout/")
    assert "Sign in" in visible_text(client.get("/").content)


def test_wrong_password_is_refused_with_a_message(reader: User, client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in visible_text(response.content)


def test_password_reset_by_email(reader: User, client: Client, run_worker: Any) -> None:
    client.post("/accounts/password_reset/", {"email": reader.email})
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    # On the site's own address, never the request's port (tests/server/test_bad_input.py).
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body)
    assert link, message.body
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in visible_text(form.content)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 9", "new_password2": "brand new passphrase 9"},
        follow=True,
    )
    assert "Your password has been changed" in visible_text(done.content)
    assert client.login(username="reader", password="brand new passphrase 9")
    # The link works once.
    assert "This link no longer works" in visible_text(
        client.get(link.group(1), follow=True).content
    )


def test_reset_for_unknown_email_reveals_nothing(client: Client, db: None, run_worker: Any) -> None:
    response = client.post(
        "/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True
    )
    assert "Check your email" in visible_text(response.content)
    run_worker()
    assert mail.outbox == []


def test_profile_lists_the_readers_visible_posts(
    article: Article, reader: User, client: Client
) -> None:
    post_comment(article=article, body="Kept post.", author=reader)
    remove_post(post=post_comment(article=article, body="Removed post.", author=reader))
    post_comment(article=article, body="Anonymous post.")
    text = visible_text(client.get("/readers/reader/").content)
    assert "Kept post." in text
    assert "Removed post." not in text and "Anonymous post." not in text
    assert article.title in text


def test_reset_link_uses_the_configured_site_address(
    reader: User,
    run_worker: Any,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    settings.ALLOWED_HOSTS = ["knowhow.example.org", "alias.example.net"]
    client = Client(HTTP_HOST="alias.example.net")
    client.post("/accounts/password_reset/", {"email": reader.email})
    run_worker()
    assert "https://knowhow.example.org/accounts/reset/" in mail.outbox[0].body
    assert "alias.example.net" not in mail.outbox[0].body
