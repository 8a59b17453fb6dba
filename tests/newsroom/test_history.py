"""An article's history: every revision with who, when and why, a word-level diff of any
two, and restore as a new revision; and who may see it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def _save(article: Article, by: User, body: str, **kw: object) -> None:
    article.refresh_from_db()
    assert article.latest_revision is not None
    workflow.save_revision(
        article=article, by=by, content={"body": body}, base=article.latest_revision.number,
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def article_with_history(writer_account: User, editor_account: User, topic: Topic) -> Article:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="A pain in the side."
    )
    _save(article, writer_account, "A sharp pain in the side while running.", note="Sharper.")
    workflow.publish(article=article, by=editor_account)
    _save(article, editor_account, "A sharp pain in the side while running", minor=True,
          note="Typo.")  # fmt: skip
    return article


def test_the_history_lists_every_revision(
    article_with_history: Article, writer_account: User
) -> None:
    page = people.signed_in(writer_account).get(
        f"/newsroom/articles/{article_with_history.pk}/history/"
    )
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "3 Newest Minor" in text and "2 Live" in text
    assert "Sharper." in text and "Typo." in text and "Started the article." in text
    assert "Ed Editor" in text and "Wendy Writer" in text
    assert text.count("Restore this revision") == 2  # not the newest


def test_two_revisions_compare_word_by_word(
    article_with_history: Article, editor_account: User
) -> None:
    page = people.signed_in(editor_account).get(
        f"/newsroom/articles/{article_with_history.pk}/history/compare/?from=1&to=2"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Revision 1 → revision 2" in visible_text(html)
    assert "A [added: sharp] pain in the side [added: while running] ." in visible_text(html)
    assert html.count("<ins>") == 2 and "<del>" not in html
    # Either order gives the older first.
    reverse = people.signed_in(editor_account).get(
        f"/newsroom/articles/{article_with_history.pk}/history/compare/?from=2&to=1"
    )
    assert "Revision 1 → revision 2" in visible_text(reverse.content)


def test_comparing_needs_two_revisions_of_the_article(
    article_with_history: Article, editor_account: User
) -> None:
    client = people.signed_in(editor_account)
    base = f"/newsroom/articles/{article_with_history.pk}/history"
    for query in ("", "?from=1", "?from=1&to=1", "?from=1&to=99", "?from=a&to=2"):
        response = client.get(f"{base}/compare/{query}", follow=True)
        assert response.redirect_chain[-1][0] == f"{base}/"
        assert "Choose two" in visible_text(response.content)


def test_restoring_makes_a_new_revision(
    article_with_history: Article, writer_account: User
) -> None:
    client = people.signed_in(writer_account)
    response = client.post(
        f"/newsroom/articles/{article_with_history.pk}/history/1/restore/", follow=True
    )
    assert "Restored revision 1 as revision 4. Publish it to show readers." in visible_text(
        response.content
    )
    article_with_history.refresh_from_db()
    newest = article_with_history.latest_revision
    assert newest is not None and newest.number == 4 and newest.restored_from == 1
    assert newest.content["body"] == "A pain in the side."
    history = visible_text(
        client.get(f"/newsroom/articles/{article_with_history.pk}/history/").content
    )
    assert "(restored from revision 1)" in history


def test_a_restore_refused_by_the_workflow_says_why(
    article_with_history: Article, writer_account: User
) -> None:
    workflow.submit_for_review(article=article_with_history, by=writer_account)
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{article_with_history.pk}/history/1/restore/", follow=True
    )
    assert "an editor has it" in visible_text(response.content)
    assert article_with_history.revisions.count() == 3


def test_history_refuses_outsiders_other_writers_and_the_signed_out(
    article_with_history: Article, outsider: User, client: Client
) -> None:
    other = people.make_staff_writer("walt", "Walt Other")
    pk = article_with_history.pk
    for path in (f"/newsroom/articles/{pk}/history/",
                 f"/newsroom/articles/{pk}/history/compare/?from=1&to=2"):  # fmt: skip
        assert people.signed_in(outsider).get(path).status_code == 403
        assert people.signed_in(other).get(path).status_code == 403
        assert client.get(path).status_code == 302
    restore = f"/newsroom/articles/{pk}/history/1/restore/"
    assert people.signed_in(outsider).post(restore).status_code == 403
    assert people.signed_in(other).post(restore).status_code == 403
    assert client.post(restore).status_code == 302
    assert article_with_history.revisions.count() == 3
