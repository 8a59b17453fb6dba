"""An article's optional search title and description: what search results and shared links
show once it is published, previewed on the editor page; the title and summary when empty."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.pagecache.conftest import Clock, Server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live(writer_account: User, editor_account: User, topic: Topic) -> Article:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="A pain in the side.",
        synopsis="Why runners get a sharp pain under the ribs.",
    )  # fmt: skip
    workflow.publish(article=article, by=editor_account)
    Article.objects.filter(pk=article.pk).update(last_modified=dt.date(2024, 1, 2))
    return article


def _save(client: Client, article: Article, **typed: str) -> Client:
    article.refresh_from_db()
    assert article.latest_revision is not None
    content = article.latest_revision.content
    return client.post(
        f"/newsroom/articles/{article.pk}/edit/",
        {"title": content["title"], "topic": content["topic"], "body": content["body"],
         "synopsis": content["synopsis"], "base": article.latest_revision.number, **typed},
    )  # fmt: skip


def _head(page: str) -> str:
    return html.unescape(page.split("</head>")[0])


def test_empty_search_fields_keep_the_title_and_summary(live: Article) -> None:
    head = _head(Client().get("/articles/what-is-a-stitch/").text)
    assert "<title>What is a Stitch? · " in head
    assert 'property="og:title" content="What is a Stitch?"' in head
    assert 'name="description" content="Why runners get a sharp pain under the ribs."' in head


def test_search_title_and_description_go_out_with_the_next_publication(
    live: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    server = Server(Clock())
    path = "/articles/what-is-a-stitch/"
    server.request(path)
    assert server.request(path).cache == "HIT"
    typed = {"search_title": "Side Stitch: Causes and Quick Relief",
             "search_description": "What a side stitch is and how to stop one mid-run.",
             "do": "save"}  # fmt: skip
    assert _save(editor, live, **typed).status_code == 302
    assert "Side Stitch: Causes" not in server.request(path).text  # saved, not yet published
    assert editor.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 302
    page = server.request(path).text
    head = _head(page)
    assert "<title>Side Stitch: Causes and Quick Relief · " in head
    assert 'property="og:title" content="Side Stitch: Causes and Quick Relief"' in head
    assert 'name="twitter:description" content="What a side stitch is and how' in head
    assert 'name="description" content="What a side stitch is and how to stop one' in head
    assert '<h1 id="article-title">What is a Stitch?</h1>' in page  # readers' title stays
    live.refresh_from_db()
    assert live.last_modified == dt.date(2024, 1, 2)  # no word readers read changed


def test_the_editor_page_previews_the_search_result_and_the_social_card(
    live: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    page = editor.get(f"/newsroom/articles/{live.pk}/edit/").text
    assert "In search results" in page and "When shared" in page
    result = page.split('class="note search-result-preview"')[1].split("</section>")[0]
    assert "/articles/what-is-a-stitch/</p>" in result and "What is a Stitch?" in result
    assert "Why runners get a sharp pain under the ribs." in page  # the summary, by default
    previewed = _save(editor, live, search_title="Stitches, Explained", do="preview").text
    assert previewed.count("Stitches, Explained") >= 3  # the field and both previews
