"""The editor's preview is the public page: the same body partial and stylesheet, drawn in a
frame where nothing the author typed can run."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth.models import User

from knowhow.articles import workflow
from knowhow.articles.models import Article, Topic
from tests import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer_account() -> User:
    return people.make_staff_writer()


@pytest.fixture
def draft(writer_account: User) -> Article:
    topic = Topic.objects.create(name="Health", slug="health")
    return workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic,
        body="## Why runners get it\n\n| Pace | Risk |\n|---|---|\n| Fast | High |",
    )  # fmt: skip


def _frame_document(html: str) -> str:
    frame = html.split('id="preview-frame"')[1].split(">")[0]
    return unescape(frame.split('srcdoc="')[1].split('"')[0])


def test_the_preview_is_drawn_with_the_public_body_partial_and_stylesheet(
    draft: Article, writer_account: User
) -> None:
    response = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    used = [t.name for t in response.templates]
    assert "articles/partials/body.html" in used  # the public page's own body partial
    document = _frame_document(response.content.decode())
    assert '<link rel="stylesheet" href="/static/knowhow/site.css">' in document
    assert "newsroom.css" not in document  # the editor's styles stay out of it
    assert '<div class="article-body">' in document
    assert "<h2>Why runners get it</h2>" in document and "<td>Fast</td>" in document


def test_the_live_preview_answers_with_the_whole_public_page(writer_account: User) -> None:
    response = people.signed_in(writer_account).post(
        "/newsroom/preview/", {"title": "Why?", "body": "## A heading"}
    )
    assert "articles/partials/body.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert "<h2>A heading</h2>" in html and "/static/knowhow/site.css" in html


def test_the_preview_frame_runs_no_script(draft: Article, writer_account: User) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {"title": "Why?", "topic": draft.topic_id, "base": 1, "do": "preview",
         "body": '<script>alert(1)</script><img src=x onerror="alert(2)">'},
    )  # fmt: skip
    html = response.content.decode()
    frame = html.split('<iframe id="preview-frame"')[1].split(">")[0]
    assert 'sandbox="' in frame and "allow-scripts" not in frame
    document = _frame_document(html)
    assert "<script" not in document and "onerror" not in document
