"""A post's Markdown is rendered once, and that one rendering serves the spam guard, the
fingerprint, the mentions and the stored HTML."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow import markup
from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.antiabuse.models import BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Mention, Post
from knowhow.discussion.services import edit_own_post, post_comment
from tests.conftest import form_data

TEXT = "@reader is *right*: see https://example.org/guide and [this](https://example.net/x)."


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Markdown text the post renderer is given, in order."""
    seen: list[str] = []
    render = markup._post_md.render

    def counted(text: str, *args: Any, **kwargs: Any) -> str:
        seen.append(text)
        return render(text, *args, **kwargs)

    monkeypatch.setattr(markup._post_md, "render", counted)
    return seen


def test_a_post_sent_through_the_page_is_rendered_once(
    article: Article, reader: User, client: Client, renders: list[str]
) -> None:
    post_comment(article=article, body="An earlier post.", author=reader)
    renders.clear()
    response = client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, TEXT, **{"as": "anonymous"})
    )
    assert response.status_code == 302
    assert renders == [TEXT]
    post = Post.objects.get(article=article, number=2)
    # The one rendering still gives everything the separate ones gave.
    assert 'class="mention"' in post.body_html
    assert 'rel="nofollow ugc noopener"' in post.body_html
    assert post.fingerprint == body_fingerprint(TEXT)
    assert list(Mention.objects.filter(post=post).values_list("user__username", flat=True)) == [
        "reader"
    ]


def test_a_post_the_guard_holds_is_rendered_once_and_still_held(
    article: Article, renders: list[str]
) -> None:
    BlockedTerm.objects.create(kind="domain", value="example.net")
    post = post_comment(article=article, body=TEXT)
    assert post.status == Post.Status.HELD
    assert "example.net" in post.held_because
    assert renders == [TEXT]


def test_an_edit_is_rendered_once(article: Article, renders: list[str]) -> None:
    post = post_comment(article=article, body="First words.")
    renders.clear()
    edit_own_post(post=post, body=TEXT)
    assert renders == [TEXT]
    post.refresh_from_db()
    assert post.fingerprint == body_fingerprint(TEXT)
    assert "https://example.org/guide" in post.body_html


def test_a_post_that_mentions_a_reader_costs_a_bounded_number_of_queries(
    article: Article, reader: User, outsider: User, django_assert_max_num_queries: Any
) -> None:
    """Every layer still asks what it must (ban, copy, form, rate, learned spam, repeats),
    and nothing is asked twice: one number, one mention lookup, one insert of each."""
    post_comment(article=article, body="An earlier post.", author=reader)
    post_comment(article=article, body="Warming the caches up.", author=outsider)
    with django_assert_max_num_queries(13):
        post = post_comment(article=article, body=TEXT, author=outsider, form_nonce="n1")
    assert post.status == Post.Status.PUBLISHED
