"""Every address of the newsroom's editor refuses the outsider and another writer, and
sends the signed-out to sign in; this test fails when an address is missing from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, reverse

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.newsroom import editor
from tests import people

pytestmark = pytest.mark.django_db

# name: (method, whether it names an article, other address arguments)
ADDRESSES: dict[str, tuple[str, bool, dict[str, Any]]] = {
    "newsroom-desk": ("get", False, {}),
    "newsroom-notes-read": ("post", False, {}),
    "newsroom-new": ("get", False, {}),
    "newsroom-edit": ("get", True, {}),
    "newsroom-history": ("get", True, {}),
    "newsroom-compare": ("get", True, {}),
    "newsroom-restore": ("post", True, {"number": 1}),
    "newsroom-action": ("post", True, {"action": "submit"}),
    "newsroom-preview": ("post", False, {}),
    "newsroom-link-search": ("get", False, {}),
    "newsroom-reassign": ("post", True, {}),
    "newsroom-autosave": ("post", True, {}),
    "newsroom-new-autosave": ("post", False, {}),
    "newsroom-discard-autosave": ("post", True, {}),
    "newsroom-new-discard-autosave": ("post", False, {}),
}


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain."
    )


def _call(client: Client, name: str, article: Article) -> Any:
    method, of_article, kwargs = ADDRESSES[name]
    url = reverse(name, kwargs={**kwargs, **({"article_id": article.pk} if of_article else {})})
    return getattr(client, method)(url, {"body": "x", "base": 1} if method == "post" else {})


def test_every_editor_address_is_in_this_sweep() -> None:
    names = {p.name for p in editor.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(ADDRESSES)


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_the_outsider_is_refused(name: str, draft: Article, outsider: User) -> None:
    assert _call(people.signed_in(outsider), name, draft).status_code == 403
    assert draft.revisions.count() == 1 and draft.log.count() == 1


@pytest.mark.parametrize(
    "name", sorted(n for n, (_, of_article, _) in ADDRESSES.items() if of_article)
)
def test_another_writer_is_refused(name: str, draft: Article) -> None:
    other = people.make_staff_writer(username="wes", name="Wes Other")
    assert _call(people.signed_in(other), name, draft).status_code == 403
    assert draft.revisions.count() == 1 and draft.log.count() == 1


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_the_signed_out_are_sent_to_sign_in(name: str, draft: Article, client: Client) -> None:
    response = _call(client, name, draft)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert draft.revisions.count() == 1 and draft.log.count() == 1
