"""The Atom feed of an article's discussion: visible posts only, valid Atom, fixed queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import delete_own_post, post_comment
from knowhow.moderation.services import remove_post

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client: Client, article: Article) -> ET.Element:
    response = client.get(f"/articles/{article.slug}/posts/feed/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed in a test


def _entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def test_feed_lists_visible_posts_newest_first_as_valid_atom(
    article: Article, reader: User, client: Client
) -> None:
    post_comment(article=article, body="Stretch *first*.", author=reader)
    post_comment(article=article, body="Anonymous advice.")
    feed = _feed(client, article)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == f"Posts on {article.title}"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == f"http://testserver/articles/{article.slug}/posts/feed/"
    newest, oldest = _entries(feed)
    assert newest.findtext(f"{ATOM}title") == f"Post 2 on {article.title}"
    assert newest.findtext(f"{ATOM}author/{ATOM}name") == "anonymous"
    assert oldest.findtext(f"{ATOM}author/{ATOM}name") == "reader"
    link = oldest.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"http://testserver/articles/{article.slug}/posts/1/"
    content = oldest.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert (content.text or "").strip() == "<p>Stretch <em>first</em>.</p>"
    for entry in (newest, oldest):
        assert entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")


def test_feed_leaves_out_held_shadow_and_removed_posts(
    article: Article, reader: User, outsider: User, client: Client
) -> None:
    post_comment(article=article, body="Visible one.", author=reader)
    held = post_comment(article=article, body="Held one.", author=outsider)
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    shadow = post_comment(article=article, body="Shadow one.", author=outsider)
    Post.objects.filter(pk=shadow.pk).update(shadow=True)
    remove_post(post=post_comment(article=article, body="Removed one.", author=outsider))
    delete_own_post(post=post_comment(article=article, body="Deleted one.", author=reader))
    post_comment(article=article, body="Visible two.")
    entries = _entries(_feed(client, article))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        f"Post 6 on {article.title}",
        f"Post 1 on {article.title}",
    ]
    text = b"".join(ET.tostring(e) for e in entries).decode()
    for hidden in ("Held one.", "Shadow one.", "Removed one.", "Deleted one."):
        assert hidden not in text


def test_feed_of_a_draft_or_unknown_article_is_not_found(
    make_article: Callable[..., Article], client: Client
) -> None:
    draft = make_article("Unfinished", status=Article.Status.DRAFT)
    assert client.get(f"/articles/{draft.slug}/posts/feed/").status_code == 404
    assert client.get("/articles/no-such-article/posts/feed/").status_code == 404


def test_feed_uses_the_configured_site_address(
    article: Article, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    post_comment(article=article, body="Hello.")
    feed = _feed(client, article)
    (entry,) = _entries(feed)
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"https://knowhow.example.org/articles/{article.slug}/posts/1/"


def test_feed_takes_the_same_number_of_queries_for_few_or_many_posts(
    article: Article, reader: User, outsider: User, client: Client, django_assert_num_queries: Any
) -> None:
    post_comment(article=article, body="One.", author=reader)
    with django_assert_num_queries(2):
        _feed(client, article)
    for number in range(60):
        post_comment(
            article=article,
            body=f"Post body {number}.",
            author=(reader, outsider, None)[number % 3],
        )
    with django_assert_num_queries(2):
        entries = _entries(_feed(client, article))
    assert len(entries) == 50
