"""The article page: sections, related articles, print view, and a fixed query count."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.discussion.services import post_comment
from knowhow.facts.models import Event, Fact
from knowhow.pagecache.fragments import fragments
from tests.pages import visible_text


def test_bylines_link_to_the_writers_and_editors_pages(article: Article, client: Client) -> None:
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/people/{article.written_by.slug}/" rel="author">Wendy Writer</a>' in page
    assert f'href="/people/{article.edited_by.slug}/">Ed Editor</a>' in page
    person = visible_text(client.get(f"/people/{article.written_by.slug}/").content)
    assert article.title in person


def test_last_modified_date_and_copyright_are_shown(article: Article, client: Client) -> None:
    text = visible_text(client.get(article.get_absolute_url()).content)
    assert "Last Modified Date: 17 May 2024" in text
    assert "Copyright Protected: Knowhow Test Press" in text


def test_related_articles_best_first_never_self_or_unpublished(
    make_article, article: Article, client: Client
) -> None:  # type: ignore[no-untyped-def]
    other_topic = Topic.objects.create(name="Home", slug="home")
    close = make_article("Why do Muscle Cramps Strike?", body="Muscle cramp stretching painful.")
    far = make_article("How do Kettles Boil Water?", topic=other_topic, body="Kettle water heat.")
    make_article("What is a Hidden Cramp?", status=Article.Status.DRAFT)
    make_article("What is a Future Cramp?", published_at=timezone.now() + dt.timedelta(days=3))
    page = client.get(article.get_absolute_url()).content.decode()
    related = page.split("You might also Like")[1].split("</section>")[0]
    assert close.title in related
    assert article.title not in related
    assert "Hidden Cramp" not in related and "Future Cramp" not in related
    if far.title in related:
        assert related.index(close.title) < related.index(far.title)


def test_related_list_is_at_most_five(make_article, article: Article, client: Client) -> None:  # type: ignore[no-untyped-def]
    for i in range(8):
        make_article(f"What is Muscle Cramp number {i}?")
    related = (
        client.get(article.get_absolute_url()).content.decode().split("You might also Like")[1]
    )
    assert related.split("</section>")[0].count("<li>") == 5


def test_query_count_does_not_grow_with_posts(article: Article, client: Client, reader) -> None:  # type: ignore[no-untyped-def]
    Fact.objects.create(text="Honey keeps for centuries.")
    today = timezone.localdate()
    Event.objects.create(year=1990, month=today.month, day=today.day, text="Something happened.")

    def queries() -> int:
        fragments().clear()  # every part rendered, none kept from before
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(captured)

    post_comment(article=article, body="one", author=reader)
    few = queries()
    for i in range(40):
        post_comment(article=article, body=f"post {i} mentions @reader", author=reader)
    assert queries() == few
    assert few <= 10
    with CaptureQueriesContext(connection) as kept:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(kept) < few  # the parts kept rendered cost no queries


def test_print_view_has_article_bylines_and_address_but_no_forms(
    article: Article, client: Client
) -> None:
    post_comment(article=article, body="A post that must not be printed.")
    page = client.get(article.get_print_url()).content.decode()
    text = visible_text(page)
    assert article.title in text
    assert "Written By Wendy Writer" in text and "Edited By Ed Editor" in text
    assert "17 May 2024" in text
    assert f"http://testserver{article.get_absolute_url()}" in text
    assert "print.css" in page
    assert "<form" not in page and "<nav" not in page
    assert "A post that must not be printed." not in text
    assert "Did you know" not in text


def test_unknown_article_is_a_styled_404(client: Client, db: None) -> None:
    response = client.get("/articles/no-such-thing/")
    assert response.status_code == 404
    assert "Page not found" in visible_text(response.content)
    assert "site.css" in response.content.decode()


def test_topic_page_lists_its_published_articles(
    make_article, article: Article, client: Client
) -> None:  # type: ignore[no-untyped-def]
    make_article("What is a Draft Article?", status=Article.Status.DRAFT)
    text = visible_text(client.get(article.topic.get_absolute_url()).content)
    assert article.title in text and "Draft Article" not in text


def test_home_page_shows_recent_articles_fact_and_event(article: Article, client: Client) -> None:
    Fact.objects.create(text="Octopuses have three hearts.")
    today = timezone.localdate()
    Event.objects.create(year=1969, month=today.month, day=today.day, text="A thing happened.")
    text = visible_text(client.get("/").content)
    assert article.title in text
    assert "Octopuses have three hearts." in text
    assert f"{today.day} {today:%B} 1969: A thing happened." in text
