"""knowhow generate: varied synthetic content, the same for a seed, stored as the site's
own writers would store it, and never over a real site unless told."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client

from knowhow import markup
from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.articles.models import Article
from knowhow.demo.synthetic import generate
from knowhow.discussion.models import Mention, Post, permalink
from knowhow.discussion.services import render_body
from knowhow.exchange.backup import rebuild_search_index
from knowhow.facts.models import Event, Fact
from knowhow.images import in_bodies
from knowhow.search import selectors as search
from knowhow.search.models import Word

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[str, str, int]]:
    articles = Article.objects.order_by("pk").values_list("slug", "body", "last_post_number")
    return list(articles)


def test_the_same_seed_makes_the_same_site() -> None:
    with transaction.atomic():
        generate(articles=30, posts=200, seed=5)
        first = _snapshot()
        first_posts = list(Post.objects.order_by("pk").values_list("body", "status"))
        transaction.set_rollback(True)
    generate(articles=30, posts=200, seed=5)
    assert _snapshot() == first
    assert list(Post.objects.order_by("pk").values_list("body", "status")) == first_posts
    with transaction.atomic():
        generate(articles=30, posts=200, seed=6, force=True)
        assert _snapshot()[30:] != first


def test_content_is_varied_like_a_real_site() -> None:
    made = generate(articles=200, posts=3000, seed=1)
    assert made.articles == 200 and made.posts == 3000
    statuses = Counter(Post.objects.values_list("status", flat=True))
    for status in ("published", "held", "removed", "deleted", "spam"):
        assert statuses[status] > 0, status
    assert Post.objects.filter(reply_to__isnull=False).exists()
    assert Mention.objects.count() == made.mentions > 0
    assert Article.objects.values("topic").distinct().count() >= 8
    assert Article.objects.values("written_by").distinct().count() >= 6
    lengths = sorted(len(body) for body in Article.objects.values_list("body", flat=True))
    assert lengths[-1] > 4 * lengths[0]
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert Fact.objects.count() == made.facts and Event.objects.count() == made.events
    assert Article.objects.exclude(related_scores=[]).filter(status="published").exists()


def test_stored_text_is_what_the_site_itself_would_store() -> None:
    generate(articles=40, posts=600, seed=2)
    for article in Article.objects.order_by("pk")[:40]:
        assert article.body_html == markup.render_article(article.body, pictures=in_bodies.draw)
    plain = Post.objects.filter(mentions__isnull=True).select_related("article")[:50]
    for post in plain:
        assert post.body_html == render_body(post.article, post.body).html
        assert post.fingerprint == body_fingerprint(post.body)
    mentions = Mention.objects.select_related("post__article", "user", "target_post")[:50]
    assert mentions
    for mention in mentions:
        post, target = mention.post, mention.target_post
        assert target is not None
        # The reader's latest visible post in the thread when the post was written.
        newest = (
            Post.objects.visible()
            .filter(article=post.article, author=mention.user, number__lt=post.number)
            .order_by("-number")
            .first()
        )
        assert newest == target
        links = {mention.user.username.lower(): permalink(post.article.slug, target.number)}
        drawn = markup.render_post(post.body, lambda name, links=links: links.get(name.lower()))
        assert post.body_html == drawn
        assert post.fingerprint == body_fingerprint(post.body)
    for article in Article.objects.filter(last_post_number__gt=0)[:20]:
        assert article.last_post_number == article.posts.count()


def test_generated_articles_are_found_and_shown(client: Client) -> None:
    generate(articles=60, posts=300, seed=3)
    article = Article.objects.published().order_by("pk").first()
    assert article is not None
    assert client.get(article.get_absolute_url()).status_code == 200
    found = search.search(article.title)
    assert article.pk in [hit.article.pk for hit in found.page.object_list]


def test_a_site_with_content_is_refused_unless_forced(
    make_article: Callable[..., Article],
) -> None:
    make_article()
    with pytest.raises(CommandError, match="already has 1 articles.*--force"):
        call_command("generate", "--articles", "5", "--posts", "5", stdout=io.StringIO())
    assert Article.objects.count() == 1
    out = io.StringIO()
    call_command("generate", "--articles", "5", "--posts", "5", "--force", stdout=out)
    assert Article.objects.count() == 6
    assert "Generated 5 articles" in out.getvalue()


def _index_rows() -> list[tuple[Any, ...]]:
    """Every entry of the search index as stored, the database's own document included."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT article_id, title, summary, topic, body, language, document::text,"
                " pairs::text, head::text FROM search_document ORDER BY article_id"
            )
        else:
            cursor.execute(
                "SELECT rowid, title, summary, topic, body FROM search_fts ORDER BY rowid"
            )
        return list(cursor.fetchall())


def test_the_search_index_holds_what_building_it_afresh_gives() -> None:
    # The generator has the database index the stored articles in SQL; building the
    # index afresh from their HTML, as a restore does, must find nothing to change.
    generate(articles=120, posts=100, seed=4)
    built = _index_rows()
    words = dict(Word.objects.values_list("word", "documents"))
    assert len(built) == Article.objects.published().count() > 100
    assert any("\n\n" in row[4] for row in built)  # articles of several blocks
    rebuild_search_index("default")
    assert _index_rows() == built
    assert dict(Word.objects.values_list("word", "documents")) == words
