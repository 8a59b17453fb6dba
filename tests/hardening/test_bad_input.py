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
