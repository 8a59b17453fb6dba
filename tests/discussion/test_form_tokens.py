"""A form makes one post, within a few hours of being shown."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion import history
from knowhow.discussion.forms import FORM_MAX_AGE, issue_token, shared_token
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, submit_post
from tests.pages import visible_text


def _send(client: Client, article: Article, token: str, text: str):  # type: ignore[no-untyped-def]
    return client.post(f"{article.get_absolute_url()}posts/", {"issued": token, "body": text})


def test_one_form_makes_one_post(article: Article) -> None:
    token = issue_token(article.pk, time.time() - 30)
    script = Client()
    assert _send(script, article, token, "First from this form.").status_code == 302
    replay = _send(Client(), article, token, "Second from the same form.")
    assert replay.status_code == 400
    page = replay.content.decode()
    assert "already used for a post" in visible_text(replay.content)
    assert "Second from the same form." in page  # the reader's text stays
    assert Post.objects.count() == 1


def test_sending_the_same_post_twice_from_one_form_gives_it_back(article: Article) -> None:
    browser = Client()
    token = issue_token(article.pk, time.time() - 30)
    assert _send(browser, article, token, "Pressed post twice.").status_code == 302
    assert _send(browser, article, token, "Pressed post twice.").status_code == 302
    assert Post.objects.count() == 1


def test_a_form_older_than_a_few_hours_has_expired(article: Article) -> None:
    old = issue_token(article.pk, time.time() - FORM_MAX_AGE - 5)
    answer = _send(Client(), article, old, "Written long ago.")
    assert answer.status_code == 400 and "This form has expired" in visible_text(answer.content)
    fresh = issue_token(article.pk, time.time() - 30)
    assert _send(Client(), article, fresh, "Written just now.").status_code == 302


def test_a_forged_or_borrowed_token_is_refused(article: Article, make_article) -> None:  # type: ignore[no-untyped-def]
    other = make_article("Why do Knees Click?")
    borrowed = issue_token(other.pk, time.time() - 30)
    assert _send(Client(), article, borrowed, "Borrowed form.").status_code == 400
    forged = issue_token(article.pk, time.time() - 30)[:-3] + "abc"
    assert _send(Client(), article, forged, "Forged form.").status_code == 400
    assert not Post.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_with_one_form_store_one_post_and_no_gap(
    article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both passed the "used already?" look before either stored: the database decides.
    monkeypatch.setattr(history.ThreadHistory, "form_used", lambda self, nonce: False)
    submit_post(article=article, body="The first of the race.", form_nonce="race-nonce")
    with pytest.raises(PostRefused) as refused:
        submit_post(article=article, body="The second of the race.", form_nonce="race-nonce")
    assert refused.value.code == "form_used"
    submit_post(article=article, body="A later post from a new form.", form_nonce="next")
    assert sorted(Post.objects.values_list("number", flat=True)) == [1, 2]


def _with_cookie(secret: str) -> Client:
    browser = Client()
    browser.cookies["csrftoken"] = secret
    return browser


def test_a_shared_form_time_makes_one_post_per_visitor(article: Article) -> None:
    """The form time an edge hands to everyone for two seconds: each visitor's form (their
    CSRF secret) posts once, whoever else had the same form time."""
    shared = shared_token(article.pk, time.time() - 30)
    first, second = _with_cookie("a" * 32), _with_cookie("b" * 32)
    assert _send(first, article, shared, "Mine, from a shared form.").status_code == 302
    assert _send(second, article, shared, "Theirs, from the same one.").status_code == 302
    replay = _send(first, article, shared, "Mine again, other words.")
    assert replay.status_code == 400
    assert "already used for a post" in visible_text(replay.content)
    assert Post.objects.count() == 2


def test_a_post_without_the_token_gets_its_form_back_to_send_again(article: Article) -> None:
    """A page an edge kept has no token in its form (the page's script fills it in); sent
    without script, nothing is posted and the form comes back with the text, the same
    form time and the visitor's token. A post from another site is refused as before."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = "c" * 32
    issued = shared_token(article.pk, time.time() - 30)
    fields = {"issued": issued, "body": "Sent without script.", "csrfmiddlewaretoken": ""}
    url = f"{article.get_absolute_url()}posts/"
    back = browser.post(url, fields)
    assert back.status_code == 400 and not Post.objects.exists()
    page = back.content.decode()
    assert "press Post once more" in visible_text(back.content)
    assert "Sent without script." in page and f'value="{issued}"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    again = browser.post(url, {**fields, "csrfmiddlewaretoken": token.group(1)})
    assert again.status_code == 302 and Post.objects.count() == 1
    elsewhere = browser.post(
        url, {**fields, "body": "From elsewhere."}, headers={"Origin": "https://evil.example"}
    )
    assert elsewhere.status_code == 403 and "From elsewhere." not in elsewhere.content.decode()
