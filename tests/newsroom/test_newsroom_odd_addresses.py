"""Odd query strings on the newsroom's pages (page numbers that are no numbers, huge or
negative; revisions that do not exist) give the page or a clear refusal, never an error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from knowhow.articles import services as workflow
from knowhow.articles.models import Topic
from tests import people

pytestmark = pytest.mark.django_db

ODD = ["abc", "-1", "0", "99999999999999999999999", "1.5", "%00", "1e9", ""]


@pytest.mark.parametrize("value", ODD)
def test_odd_page_numbers_and_revisions_never_break_a_page(
    editor_account: User, topic: Topic, value: str
) -> None:
    article = workflow.create_article(by=editor_account, title="A Stitch", topic=topic, body="W.")
    editor = people.signed_in(editor_account)
    base = f"/newsroom/articles/{article.pk}"
    for url in (
        f"/newsroom/?mine={value}&review={value}&drafts={value}",
        f"{base}/edit/?log={value}",
        f"{base}/history/?page={value}",
        f"{base}/history/compare/?from={value}&to=1",
        f"/newsroom/reviews/?overdue={value}&due={value}&never={value}",
        f"/newsroom/questions/?page={value}",
    ):
        response = editor.get(url)
        # 400: the site refuses a NUL character in any address before any page sees it.
        assert response.status_code in (200, 302, 400), (url, response.status_code)
        assert response.status_code != 400 or value == "%00"


def test_huge_ids_in_addresses_are_not_found(editor_account: User, topic: Topic) -> None:
    article = workflow.create_article(by=editor_account, title="A Stitch", topic=topic, body="W.")
    editor = people.signed_in(editor_account)
    huge = "99999999999999999999999"
    assert editor.get(f"/newsroom/articles/{huge}/edit/").status_code == 404
    assert editor.post(f"/newsroom/articles/{huge}/do/publish/").status_code == 404
    response = editor.post(f"/newsroom/articles/{article.pk}/history/{huge}/restore/", follow=True)
    assert response.status_code == 200
    assert "no revision" in response.content.decode()
    assert editor.post(f"/newsroom/questions/{huge}/decline/").status_code == 404
