"""Reads: what the public pages show, paged by cursor, never drafts or scheduled articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from knowhow.api import schemas
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion import services as posting
from knowhow.facts.models import Event, Fact
from tests.api.conftest import TokenClient


def test_it_lists_published_articles_newest_first_and_never_drafts_or_scheduled(
    anyone: TokenClient, make_article: Callable[..., Article]
) -> None:
    now = timezone.now()
    make_article("Old one", published_at=now - dt.timedelta(days=3))
    make_article("New one", published_at=now - dt.timedelta(hours=1))
    make_article("A draft", status=Article.Status.DRAFT, published_at=None)
    make_article("Tomorrow", published_at=now + dt.timedelta(days=1))
    response = anyone.get("/api/v1/articles/")
    assert response.status_code == 200
    body = response.json()
    schemas.ArticleList.model_validate(body)
    assert [a["title"] for a in body["items"]] == ["New one", "Old one"]
    assert body["next"] is None
    assert body["items"][0]["url"].endswith("/articles/new-one/")


def test_it_pages_by_a_signed_cursor(
    anyone: TokenClient, make_article: Callable[..., Article]
) -> None:
    now = timezone.now()
    for i in range(5):
        make_article(f"Article {i}", published_at=now - dt.timedelta(hours=i + 1))
    first = anyone.get("/api/v1/articles/?limit=2").json()
    assert [a["title"] for a in first["items"]] == ["Article 0", "Article 1"]
    second = anyone.get(first["next"]).json()
    assert [a["title"] for a in second["items"]] == ["Article 2", "Article 3"]
    # An article published meanwhile shifts nothing on the pages after the first.
    make_article("Brand new", published_at=now - dt.timedelta(minutes=1))
    third = anyone.get(second["next"]).json()
    assert [a["title"] for a in third["items"]] == ["Article 4"]
    assert third["next"] is None


def test_a_forged_or_foreign_cursor_is_refused(
    anyone: TokenClient, make_article: Callable[..., Article]
) -> None:
    for i in range(3):
        make_article(f"Article {i}")
    next_link = anyone.get("/api/v1/articles/?limit=1").json()["next"]
    cursor = next_link.split("cursor=")[1]
    forged = anyone.get("/api/v1/articles/?cursor=" + cursor[:-3] + "abc")
    assert forged.status_code == 400
    assert forged.json()["code"] == "bad_cursor"
    assert "cursor" in forged.json()["errors"]
    # A cursor of the articles list means nothing to the topics list.
    foreign = anyone.get("/api/v1/topics/?cursor=" + cursor)
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "bad_cursor"
    for limit in ("0", "101", "x", "²"):
        wrong = anyone.get(f"/api/v1/articles/?limit={limit}")
        assert wrong.status_code == 400, limit
        assert wrong.json()["errors"] == {"limit": ["limit is a whole number from 1 to 100."]}


def test_an_article_comes_with_its_text_as_markdown_and_html(
    anyone: TokenClient, article: Article
) -> None:
    response = anyone.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200
    body = response.json()
    schemas.Article.model_validate(body)
    assert body["body_markdown"] == article.body
    assert "<p>A cramp is a sudden, painful tightening of a muscle.</p>" in body["body_html"]
    assert body["written_by"]["name"] == "Wendy Writer"
    assert body["edited_by"]["name"] == "Ed Editor"
    assert body["review"] is None


def test_an_article_says_its_language_and_which_article_it_translates(
    anyone: TokenClient, article: Article, make_article: Callable[..., Article]
) -> None:
    spanish = make_article("Qué es un calambre", language="es", translation_of=article)
    original = anyone.get(f"/api/v1/articles/{article.slug}/").json()
    assert (original["language"], original["translation_of"]) == ("en", None)
    translated = anyone.get(f"/api/v1/articles/{spanish.slug}/").json()
    schemas.Article.model_validate(translated)
    assert (translated["language"], translated["translation_of"]) == ("es", article.pk)
    listed = {item["id"]: item for item in anyone.get("/api/v1/articles/").json()["items"]}
    assert listed[spanish.pk]["language"] == "es"
    assert listed[spanish.pk]["translation_of"] == article.pk


def test_drafts_and_scheduled_articles_are_not_found(
    anyone: TokenClient, make_article: Callable[..., Article]
) -> None:
    make_article("A draft", status=Article.Status.DRAFT, published_at=None)
    make_article("Tomorrow", published_at=timezone.now() + dt.timedelta(days=1))
    for slug in ("a-draft", "tomorrow", "no-such-thing"):
        for path in ("", "posts/", "related/", "posts/1/"):
            response = anyone.get(f"/api/v1/articles/{slug}/{path}")
            assert response.status_code == 404, (slug, path)
            assert response.json()["code"] == "not_found"


def test_topics_and_their_articles(
    anyone: TokenClient, article: Article, topic: Topic, make_article: Callable[..., Article]
) -> None:
    other = Topic.objects.create(name="Cars", slug="cars")
    make_article("Tyres", topic=other)
    topics = anyone.get("/api/v1/topics/").json()
    schemas.TopicList.model_validate(topics)
    assert [t["name"] for t in topics["items"]] == ["Cars", "Health"]
    assert anyone.get("/api/v1/topics/health/").json()["name"] == "Health"
    listed = anyone.get(topics["items"][1]["articles_url"]).json()
    assert [a["title"] for a in listed["items"]] == [article.title]
    assert anyone.get("/api/v1/topics/nope/").status_code == 404
    assert anyone.get("/api/v1/topics/nope/articles/").status_code == 404


def test_people_and_their_articles(anyone: TokenClient, article: Article, writer: Person) -> None:
    people = anyone.get("/api/v1/people/").json()
    schemas.PersonList.model_validate(people)
    assert [p["name"] for p in people["items"]] == ["Ed Editor", "Wendy Writer"]
    person = anyone.get("/api/v1/people/wendy-writer/").json()
    assert person["name"] == "Wendy Writer"
    listed = anyone.get(person["articles_url"]).json()
    assert [a["title"] for a in listed["items"]] == [article.title]
    assert anyone.get("/api/v1/people/nobody/articles/").status_code == 404


def test_posts_of_an_article_newest_first_as_the_page_shows_them(
    anyone: TokenClient, article: Article, reader: object
) -> None:
    first = posting.post_comment(article=article, body="First!", author=reader)
    held = posting.post_comment(article=article, body="Held one", author=reader)
    held.status = held.Status.HELD
    held.save()
    removed = posting.post_comment(article=article, body="Rude words", author=reader)
    removed.status = removed.Status.REMOVED
    removed.save()
    posting.post_comment(article=article, body="Last *word*")
    body = anyone.get(f"/api/v1/articles/{article.slug}/posts/").json()
    schemas.PostList.model_validate(body)
    assert [(p["number"], p["status"]) for p in body["items"]] == [
        (4, "published"),
        (3, "removed"),
        (1, "published"),
    ]
    assert body["items"][0]["body_html"] == "<p>Last <em>word</em></p>\n"
    assert body["items"][0]["author"] is None
    assert body["items"][1]["body_html"] is None, "a removed post's text is gone"
    assert body["items"][1]["author"] is None
    assert body["items"][2]["author"] == "reader"
    one = anyone.get(f"/api/v1/articles/{article.slug}/posts/{first.number}/").json()
    assert one["body_html"] == "<p>First!</p>\n"
    assert anyone.get(f"/api/v1/articles/{article.slug}/posts/2/").status_code == 404


def test_posts_page_by_number(anyone: TokenClient, article: Article) -> None:
    for i in range(5):
        posting.post_comment(article=article, body=f"Post text {i}")
    first = anyone.get(f"/api/v1/articles/{article.slug}/posts/?limit=3").json()
    assert [p["number"] for p in first["items"]] == [5, 4, 3]
    posting.post_comment(article=article, body="Arrives meanwhile")
    second = anyone.get(first["next"]).json()
    assert [p["number"] for p in second["items"]] == [2, 1]
    assert second["next"] is None


def test_search_finds_published_articles_only(
    anyone: TokenClient, make_article: Callable[..., Article]
) -> None:
    make_article("Cramp relief", body="Stretch the calf muscle gently.")
    make_article("Secret cramp draft", body="Calf muscle.", status=Article.Status.DRAFT,
                 published_at=None)  # fmt: skip
    body = anyone.get("/api/v1/search/?q=calf").json()
    schemas.SearchResults.model_validate(body)
    assert [a["title"] for a in body["items"]] == ["Cramp relief"]
    assert anyone.get("/api/v1/search/").json()["items"] == []


def test_facts_and_events_of_a_day(
    anyone: TokenClient, article: Article, make_article: Callable[..., Article]
) -> None:
    fact = Fact.objects.create(text="Muscles make up about 40 percent of body weight.")
    fact.related.add(article)
    draft = make_article("Draft", status=Article.Status.DRAFT, published_at=None)
    fact.related.add(draft)
    facts = anyone.get("/api/v1/facts/").json()
    schemas.FactList.model_validate(facts)
    assert [f["text"] for f in facts["items"]] == [fact.text]
    detail = anyone.get(f"/api/v1/facts/{fact.slug}/").json()
    schemas.FactDetail.model_validate(detail)
    assert [a["title"] for a in detail["related"]] == [article.title]
    later = Event.objects.create(year=1990, month=5, day=17, text="Later")
    earlier = Event.objects.create(year=1850, month=5, day=17, text="Earlier")
    earlier.related.add(article, draft)
    Event.objects.create(year=1900, month=5, day=18, text="Another day")
    events = anyone.get("/api/v1/events/5/17/").json()
    schemas.EventList.model_validate(events)
    assert events["label"] == "17 May"
    assert [e["text"] for e in events["items"]] == ["Earlier", later.text]
    assert [a["slug"] for a in events["items"][0]["related"]] == [article.slug]
    assert anyone.get("/api/v1/events/2/30/").status_code == 404
    assert anyone.get("/api/v1/events/99999999999999999999/1/").status_code in (400, 404)


def test_related_articles(anyone: TokenClient, make_article: Callable[..., Article]) -> None:
    one = make_article("Leg cramps at night", body="Night cramps in the calf muscle hurt.")
    two = make_article("Calf cramps", body="Calf muscle cramps at night, and what helps.")
    one.refresh_from_db()
    body = anyone.get(f"/api/v1/articles/{one.slug}/related/").json()
    schemas.ArticleList.model_validate(body)
    assert two.slug in [a["slug"] for a in body["items"]]


def test_the_openapi_document_lists_every_address(anyone: TokenClient) -> None:
    document = anyone.get("/api/v1/openapi.json").json()
    paths = set(document["paths"])
    assert {
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/articles/{slug}/posts/",
        "/api/v1/articles/{slug}/posts/{number}/",
        "/api/v1/articles/{slug}/posts/{number}/report/",
        "/api/v1/topics/",
        "/api/v1/people/",
        "/api/v1/search/",
        "/api/v1/facts/",
        "/api/v1/events/{month}/{day}/",
    } <= paths


def test_the_openapi_document_is_made_once_and_answered_the_same_after(
    anyone: TokenClient,
) -> None:
    """Making the document walks every operation (a third of a second): anyone asking for it
    again and again must not cost the server that each time."""
    from unittest import mock

    import ninja.main

    with mock.patch.object(ninja.main, "get_schema", wraps=ninja.main.get_schema) as made:
        first = anyone.get("/api/v1/openapi.json")
        again = [anyone.get("/api/v1/openapi.json") for _ in range(3)]
    assert first.status_code == 200
    assert all(answer.content == first.content for answer in again)
    assert made.call_count <= 1  # made at most once in this process, here or before


def test_an_unknown_address_under_the_api_answers_the_api_error(anyone: TokenClient) -> None:
    response = anyone.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "The API has no such address.",
        "errors": {},
    }
