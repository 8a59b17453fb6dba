"""Posting through the article page's form, as a visitor and as a signed-in reader."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.events import post_published
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from tests.conftest import form_data
from tests.pages import post_numbers, visible_text


def _post(client: Client, article: Article, body: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(reverse_post(article), form_data(article, body, **extra))


def reverse_post(article: Article) -> str:
    return f"{article.get_absolute_url()}posts/"


def test_visitor_posts_anonymously_and_sees_post_on_top(article: Article, client: Client) -> None:
    post_comment(article=article, body="An earlier post.")
    response = _post(client, article, "Stretching before bed helps me.", **{"as": "anonymous"})
    assert response.status_code == 302
    assert response["Location"].endswith("#post-2")
    page = client.get(article.get_absolute_url()).content.decode()
    assert post_numbers(page) == [2, 1]
    assert "Stretching before bed helps me." in visible_text(page)
    assert Post.objects.get(number=2).author is None
    assert "anonymous" in visible_text(page).split("Post 2")[1][:40]


def test_signed_in_reader_posts_under_their_name(
    article: Article, reader: User, client: Client
) -> None:
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Post as reader" in page and "Post Anonymously" in page
    _post(client, article, "Mine.", **{"as": "me"})
    post = Post.objects.get(article=article)
    assert post.author == reader
    # The heading names the author, linked to their page; the meta line does not repeat it.
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Post 1, by reader " in visible_text(page)
    assert "Post 1, by reader reader" not in visible_text(page)
    assert 'href="/readers/reader/"' in page


def test_signed_in_reader_may_post_anonymously(
    article: Article, reader: User, client: Client
) -> None:
    client.force_login(reader)
    _post(client, article, "Not under my name.", **{"as": "anonymous"})
    assert Post.objects.get(article=article).author is None


def test_empty_post_is_refused_with_a_message(article: Article, client: Client) -> None:
    response = _post(client, article, "   \n  ")
    assert response.status_code == 400
    assert "Please write something before posting." in visible_text(response.content)
    assert not Post.objects.exists()


def test_too_long_post_keeps_the_readers_text(article: Article, client: Client) -> None:
    text = "word " * 1100  # 5,500 characters
    response = _post(client, article, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 5,000 characters" in page
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)
    assert textarea and textarea.group(1).strip() == text.strip()
    assert not Post.objects.exists()
    assert Article.objects.get(pk=article.pk).last_post_number == 0


def test_posting_needs_a_csrf_token(article: Article) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse_post(article), {"body": "hello"})
    assert response.status_code == 403
    assert not Post.objects.exists()


def test_unpublished_article_takes_no_posts(make_article, client: Client) -> None:  # type: ignore[no-untyped-def]
    draft = make_article("What is a Draft?", status=Article.Status.DRAFT)
    assert _post(client, draft, "hello").status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_mention_links_to_latest_earlier_post_of_that_reader(
    article: Article, reader: User, outsider: User, client: Client
) -> None:
    post_comment(article=article, body="first by reader", author=reader)
    post_comment(article=article, body="by outsider", author=outsider)
    post_comment(article=article, body="second by reader", author=reader)
    reply = post_comment(article=article, body="@Reader I agree. @nobody thinks so too.")
    assert (
        f'href="{article.get_absolute_url()}posts/3/" class="mention">@Reader</a>'
        in reply.body_html
    )
    assert "@nobody" in reply.body_html and 'class="mention">@nobody' not in reply.body_html


def test_post_links_are_nofollow_ugc(article: Article) -> None:
    post = post_comment(article=article, body="See [this page](https://example.org/x) *now*.")
    assert 'rel="nofollow ugc noopener"' in post.body_html
    assert "<em>now</em>" in post.body_html


def test_discussion_pages_after_fifty_posts(article: Article, client: Client) -> None:
    for i in range(53):
        post_comment(article=article, body=f"post number {i + 1}")
    first = client.get(article.get_absolute_url()).content.decode()
    assert post_numbers(first) == list(range(53, 3, -1))
    assert "Older posts" in first
    second = client.get(article.get_absolute_url() + "?before=4").content.decode()
    assert post_numbers(second) == [3, 2, 1]
    permalink = client.get(f"{article.get_absolute_url()}posts/2/")
    assert permalink["Location"].endswith("?before=51#post-2")
    assert 2 in post_numbers(client.get(permalink["Location"]).content.decode())
    recent = client.get(f"{article.get_absolute_url()}posts/52/")
    assert recent["Location"] == f"{article.get_absolute_url()}#post-52"


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_never_turns_a_stored_post_into_an_error(
    article: Article, client: Client
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("the mail queue is down")

    post_published.connect(broken, dispatch_uid="broken-subscriber")
    try:
        response = client.post(
            f"{article.get_absolute_url()}posts/", form_data(article, "Still stored, still told.")
        )
    finally:
        post_published.disconnect(dispatch_uid="broken-subscriber")
    assert response.status_code == 302
    assert Post.objects.filter(article=article, body="Still stored, still told.").exists()
