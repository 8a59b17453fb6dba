"""Sessions and accounts kept in memory still end the moment they end in the database."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article
from tests import people

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in_client(user: User) -> Client:
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/accounts/login/",
        {"username": user.username, "password": people.PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
    return client


def _reader_name_shown(client: Client, article: Article, name: str) -> bool:
    return f">{name}</a>" in client.get(article.get_absolute_url()).content.decode()


def test_signing_out_ends_the_session_everywhere(article: Article, reader: User) -> None:
    client = _signed_in_client(reader)
    assert _reader_name_shown(client, article, "reader")
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    other = Client()
    other.cookies["sessionid"] = stolen
    page = other.get(article.get_absolute_url()).content.decode()
    assert ">reader</a>" not in page and "Sign in" in page


def test_a_new_password_signs_out_other_devices(article: Article, reader: User) -> None:
    laptop = _signed_in_client(reader)
    assert _reader_name_shown(laptop, article, "reader")
    reader.set_password("a brand new passphrase 7")
    reader.save()
    assert not _reader_name_shown(laptop, article, "reader")


def test_a_deactivated_account_is_signed_out(article: Article, reader: User) -> None:
    client = _signed_in_client(reader)
    assert _reader_name_shown(client, article, "reader")
    reader.is_active = False
    reader.save()
    assert not _reader_name_shown(client, article, "reader")


def test_permissions_learned_in_one_request_do_not_outlive_it(moderator: User) -> None:
    client = _signed_in_client(moderator)
    assert ">Moderation</a>" in client.get("/").content.decode()
    moderator.user_permissions.clear()
    assert ">Moderation</a>" not in client.get("/").content.decode()


def test_what_one_request_adds_to_its_session_reaches_no_other_request_until_saved() -> None:
    from knowhow.pagecache.sessions import SessionStore

    stored = SessionStore()
    stored["own-posts"] = [3, 5, 8]
    stored["nested"] = {"ids": [1]}
    stored.save()
    first, second = SessionStore(stored.session_key), SessionStore(stored.session_key)
    first["own-posts"].append(13)  # changed in place by one request, never saved
    first["nested"]["ids"].append(2)
    assert second["own-posts"] == [3, 5, 8]
    assert second["nested"] == {"ids": [1]}
    assert SessionStore(stored.session_key)["own-posts"] == [3, 5, 8]
