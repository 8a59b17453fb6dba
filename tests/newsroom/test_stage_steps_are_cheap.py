"""A step that moves an article through the newsroom without changing a word readers see
(submitting, approving, requesting changes, saving a published article's next revision)
costs a few queries and touches no public page; publishing still refreshes it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowhow.articles import services as workflow
from knowhow.articles.models import LISTS_TAG, Article, Person
from knowhow.demo.loader import load_demo
from knowhow.pagecache.api import versions
from knowhow.pagecache.versions import slot_of
from knowhow.search.backends import for_connection

pytestmark = pytest.mark.django_db

MOST = 15


@pytest.fixture
def demo_article(writer_account: User) -> Article:
    """A published demo article among the demo's others (its neighbours in related lists),
    given to the staff writer, with a change written and waiting to be submitted."""
    load_demo()
    article = Article.objects.published().order_by("pk").first()
    assert article is not None and article.related_scores
    writer = Person.objects.get(user=writer_account)
    Article.objects.filter(pk=article.pk).update(written_by=writer)
    article.refresh_from_db()
    content = {**article.latest_revision.content, "body": article.body + "\n\nOne more line."}  # type: ignore[union-attr]
    workflow.save_revision(
        article=article,
        by=writer_account,
        content=content,
        base=article.latest_revision.number,  # type: ignore[union-attr]
    )
    return Article.objects.get(pk=article.pk)


def _public_page_unchanged(article: Article) -> Callable[[], bool]:
    """Whether the article's public page (its own tag, and the lists') is still the version
    it was when this was asked."""
    store = versions()
    before = store.snapshot()
    assert before is not None
    slots = [slot_of(article.cache_tag), slot_of(LISTS_TAG)]
    return lambda: store.still_valid(before, slots)


def _fresh(user: User) -> User:
    """The account as a request loads it: no permissions looked up yet."""
    return User.objects.get(pk=user.pk)


def test_submitting_and_approving_cost_a_few_queries_and_stamp_no_public_page(
    demo_article: Article, writer_account: User, editor_account: User
) -> None:
    unchanged = _public_page_unchanged(demo_article)
    indexed = for_connection().matching(["line"], 100)
    related = dict(Article.objects.values_list("pk", "related_scores"))
    writer, editor, again = _fresh(writer_account), _fresh(editor_account), _fresh(editor_account)
    with CaptureQueriesContext(connection) as submitting:
        workflow.submit_for_review(article=demo_article, by=writer)
    with CaptureQueriesContext(connection) as approving:
        workflow.approve(article=demo_article, by=editor)
    with CaptureQueriesContext(connection) as asking:
        workflow.request_changes(article=demo_article, by=again, note="Why?")
    assert len(submitting) <= MOST, "\n".join(q["sql"][:90] for q in submitting)
    assert len(approving) <= MOST, [q["sql"] for q in approving]
    assert len(asking) <= MOST, [q["sql"] for q in asking]
    assert unchanged()
    assert for_connection().matching(["line"], 100) == indexed
    assert dict(Article.objects.values_list("pk", "related_scores")) == related
    assert Article.objects.get(pk=demo_article.pk).stage == Article.Stage.CHANGES_REQUESTED


def test_saving_a_published_articles_next_revision_stamps_no_public_page(
    demo_article: Article, writer_account: User
) -> None:
    unchanged = _public_page_unchanged(demo_article)
    latest = demo_article.latest_revision
    assert latest is not None
    writer = _fresh(writer_account)
    with CaptureQueriesContext(connection) as saving:
        workflow.save_revision(
            article=demo_article,
            by=writer,
            content={**latest.content, "body": latest.content["body"] + " And another."},
            base=latest.number,
        )
    assert len(saving) <= MOST, "\n".join(q["sql"][:90] for q in saving)
    assert unchanged()


def test_publishing_the_change_refreshes_the_public_page_and_the_index(
    demo_article: Article, writer_account: User, editor_account: User
) -> None:
    workflow.submit_for_review(article=demo_article, by=writer_account)
    unchanged = _public_page_unchanged(demo_article)
    workflow.publish(article=demo_article, by=editor_account)
    assert not unchanged()
    assert demo_article.pk in for_connection().matching(["line"], 100)
