"""The bundled demo content: enough of it, in the project's own words, and every section working."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from knowhow.articles.models import Article, Revision, Topic
from knowhow.demo.loader import DEMO_DIR
from knowhow.discussion.models import Post
from knowhow.facts.models import Event, Fact
from tests.pages import SECTION_LABELS, assert_in_order, post_numbers, visible_text, word_runs


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", verbosity=0)


def test_demo_has_articles_topics_facts_and_events_for_every_month(demo: None) -> None:
    assert Article.objects.published().count() >= 12
    assert Topic.objects.annotate(n=Count("articles")).filter(n__gt=0).count() >= 3
    assert Fact.objects.count() >= 30
    assert Event.objects.count() >= 60
    months = set(Event.objects.values_list("month", flat=True))
    assert months == set(range(1, 13))
    threads = Post.objects.values("article").distinct().count()
    assert threads >= 3
    assert Article.objects.filter(slug="what-are-involuntary-muscle-spasms").exists()


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    counts = (
        Article.objects.count(),
        Fact.objects.count(),
        Event.objects.count(),
        Post.objects.count(),
        Revision.objects.count(),
    )
    call_command("demo", verbosity=0)
    again = (
        Article.objects.count(),
        Fact.objects.count(),
        Event.objects.count(),
        Post.objects.count(),
        Revision.objects.count(),  # an unchanged article gets no new revision
    )
    assert again == counts


def test_demo_loads_under_the_strictest_posting_rules(
    db: None, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.POST_RATE_ANONYMOUS = [(1, 600)]
    settings.POST_RATE_ACCOUNT = [(1, 600)]
    settings.HOLD_ANONYMOUS_POSTS = settings.HOLD_FIRST_POSTS = True
    from knowhow.discussion.events import post_published

    announced: list[object] = []
    post_published.connect(lambda sender, post, **kw: announced.append(post), weak=False,
                           dispatch_uid="test-demo-announce")  # fmt: skip
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("demo", verbosity=0)
    finally:
        post_published.disconnect(dispatch_uid="test-demo-announce")
    assert Post.objects.count() >= 10
    assert set(Post.objects.values_list("status", flat=True)) == {"published"}
    assert announced == [], "loading the demo must not send reply emails"


def test_demo_if_empty_leaves_an_existing_site_alone(article: Article) -> None:
    call_command("demo", if_empty=True, verbosity=0)
    assert Article.objects.count() == 1


def test_demo_article_page_has_every_section(demo: None, client: Client) -> None:
    article = Article.objects.annotate(n=Count("posts")).filter(n__gte=2).first()
    assert article is not None
    html = client.get(article.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert_in_order(text, [article.title, *SECTION_LABELS])
    numbers = post_numbers(html)
    assert numbers == sorted(numbers, reverse=True) and numbers[-1] == 1
    assert 'class="mention"' in "".join(Post.objects.values_list("body_html", flat=True)), (
        "the demo threads should show @mentions as links"
    )


def test_demo_spasm_article_is_written_afresh(seed_dir: Path) -> None:
    seed = (seed_dir / "article.md").read_text().split("---", 2)[2]
    ours = (DEMO_DIR / "articles" / "what-are-involuntary-muscle-spasms.md").read_text()
    assert word_runs(seed) & word_runs(ours) == set()


def test_demo_posts_do_not_reuse_the_seed_posts(seed_dir: Path) -> None:
    page = json.loads((seed_dir / "page.json").read_text())
    seed_text = " ".join(p.get("body", "") for p in page["discussion"]["posts"])
    ours = (DEMO_DIR / "discussions.yaml").read_text()
    assert word_runs(seed_text) & word_runs(ours) == set()


def test_demo_shows_a_translation_both_ways(demo: None, client: Client) -> None:
    spanish = Article.objects.select_related("translation_of").get(slug="que-es-un-agujero-negro")
    assert spanish.language == "es" and spanish.translation_of is not None
    assert spanish.translation_of.slug == "what-is-a-black-hole"
    english = client.get("/articles/what-is-a-black-hole/").content.decode()
    assert 'hreflang="es" lang="es" dir="ltr">Español</a>' in english
    page = client.get("/articles/que-es-un-agujero-negro/").content.decode()
    assert 'aria-labelledby="article-title" lang="es" dir="ltr"' in page
    assert 'hreflang="en" lang="en" dir="ltr">English</a>' in page


def test_demo_shows_its_arabic_translation_right_to_left(demo: None, client: Client) -> None:
    arabic = Article.objects.select_related("translation_of").get(
        slug="lima-tatashannaj-al-adalat-laylan"
    )
    assert arabic.language == "ar" and arabic.translation_of is not None
    assert arabic.translation_of.slug == "why-do-muscles-cramp-at-night"
    # The original's picture, described in Arabic.
    picture, original = arabic.lead_image, arabic.translation_of.lead_image
    assert picture is not None and original is not None and picture.alt.startswith("ساق")
    assert picture.stored_names() == original.stored_names()
    english = client.get("/articles/why-do-muscles-cramp-at-night/").content.decode()
    assert 'hreflang="ar" lang="ar" dir="rtl">العربيّة</a>' in english
    page = client.get("/articles/lima-tatashannaj-al-adalat-laylan/").content.decode()
    assert 'aria-labelledby="article-title" lang="ar" dir="rtl"' in page
    # The page's own English words inside the Arabic article stay English, left to right.
    assert '<div class="article-about" lang="en" dir="ltr">' in page
    assert '<p class="crumbs" lang="en" dir="ltr">' in page
    # The English name inside the Arabic text keeps its order and its voice.
    assert '<bdi lang="en">nocturnal leg cramps</bdi>' in page
    # In the lists of an English page, its title and summary say so; English ones need not.
    topic = client.get("/topics/health/").content.decode()
    assert '<h3 class="card-title" lang="ar" dir="rtl">' in topic
    assert '<p class="summary" lang="ar" dir="rtl">' in topic
    assert '<h3 class="card-title"><a href="/articles/what-are-electrolytes/">' in topic
