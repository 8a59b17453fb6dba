"""Sending a post's text again never hands that post to someone else."""

from __future__ import annotations

from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from tests.conftest import form_data


def _post(client: Client, article: Article, text: str) -> str:
    answer = client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, text), REMOTE_ADDR="192.0.2.9"
    )
    assert answer.status_code == 302
    return answer["Location"]


def test_a_second_browser_on_the_same_address_cannot_take_over_a_post(
    article: Article,
) -> None:
    first, second = Client(), Client()
    _post(first, article, "My calf cramps every night.")
    # The same words, differently cased and punctuated, from another browser behind the
    # same address (a shared proxy, an office network).
    _post(second, article, "my calf cramps, every night!")
    edit = f"{article.get_absolute_url()}posts/1/edit/"
    assert second.get(edit).status_code == 403
    assert second.post(edit, {"body": "Taken over."}).status_code == 403
    assert Post.objects.get(number=1).body == "My calf cramps every night."
    assert first.get(edit).status_code == 200


def test_the_same_browser_resending_gets_its_post_back(article: Article) -> None:
    browser = Client()
    _post(browser, article, "Stretching before bed helps me.")
    _post(browser, article, "Stretching before bed helps me.")
    assert Post.objects.filter(article=article).count() == 1
