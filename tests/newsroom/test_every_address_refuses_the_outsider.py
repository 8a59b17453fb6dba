"""Every address of the newsroom (the editor, the review dashboard, the questions queue)
refuses the outsider, sends the signed-out to sign in and wants a CSRF token for every
step; the editors' own addresses refuse a writer too. A newsroom address missing from
ADDRESSES fails here, so a new page cannot ship without its refusals being tried."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.newsroom.models import Autosave, Question
from tests import people

pytestmark = pytest.mark.django_db

# name: (method, who may use it: "staff" is writers and editors, "editors" editors only)
ADDRESSES: dict[str, tuple[str, str]] = {
    "newsroom-desk": ("get", "staff"),
    "newsroom-new": ("post", "staff"),
    "newsroom-edit": ("post", "staff"),
    "newsroom-history": ("get", "staff"),
    "newsroom-compare": ("get", "staff"),
    "newsroom-restore": ("post", "staff"),
    "newsroom-action": ("post", "staff"),
    "newsroom-preview": ("post", "staff"),
    "newsroom-link-search": ("get", "staff"),
    "newsroom-reassign": ("post", "staff"),
    "newsroom-autosave": ("post", "staff"),
    "newsroom-new-autosave": ("post", "staff"),
    "newsroom-discard-autosave": ("post", "staff"),
    "newsroom-new-discard-autosave": ("post", "staff"),
    "newsroom-notes-read": ("post", "staff"),
    "newsroom-reviews": ("get", "editors"),
    "newsroom-translations": ("get", "staff"),
    "question-queue": ("get", "editors"),
    # A question is read by editors and by the writer its draft was given to (none here).
    "question": ("get", "editors"),
    "question-merge": ("post", "editors"),
    "question-decline": ("post", "editors"),
    "question-draft": ("post", "editors"),
}


@pytest.fixture
def things(writer_account: User, topic: Topic) -> dict[str, Any]:
    draft = workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain."
    )
    question = Question.objects.create(text="Why do shins hurt after running?")
    other = Question.objects.create(text="Shin pain after a run: why?")
    return {"draft": draft, "question": question, "other": other}


def _url(name: str, things: dict[str, Any]) -> str:
    pattern = next(p for p in _patterns() if p.name == name)
    given = {
        "article_id": things["draft"].pk,
        "number": 1,
        "action": "submit",
        "pk": things["question"].pk,
    }
    return reverse(name, kwargs={k: v for k, v in given.items() if k in pattern.pattern.converters})


def _call(client: Client, name: str, things: dict[str, Any]) -> Any:
    method, _ = ADDRESSES[name]
    data = {
        "title": "Taken over",
        "body": "Rewritten by someone else.",
        "into": things["other"].pk,
        "writer": "",
        "note": "x",
    }
    return getattr(client, method)(_url(name, things), data if method == "post" else {})


def _patterns() -> list[URLPattern]:
    patterns = get_resolver("knowhow.newsroom.urls").url_patterns
    assert all(isinstance(p, URLPattern) for p in patterns)
    return list(patterns)


def _assert_nothing_changed(things: dict[str, Any], *, signed_out: bool = False) -> None:
    draft: Article = things["draft"]
    assert Article.objects.count() == 1
    assert draft.revisions.count() == 1 and draft.log.count() == 1
    assert Article.objects.get(pk=draft.pk).stage == draft.stage
    assert set(Question.objects.values_list("state", flat=True)) == {Question.State.NEW}
    # A save sent signed out is kept for its writer to take back after signing in (under
    # a token, for no account); nothing is kept for anyone signed in and refused.
    kept = Autosave.objects.filter(user__isnull=False) if signed_out else Autosave.objects.all()
    assert not kept.exists()


def test_every_newsroom_address_is_in_this_sweep() -> None:
    names = {p.name for p in _patterns()}
    assert None not in names, "every newsroom URL pattern needs a name"
    assert names - set(ADDRESSES) == set(), "newsroom URLs missing from the sweep"
    assert set(ADDRESSES) - names == set(), "the sweep names URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_the_outsider_is_refused(name: str, things: dict[str, Any], outsider: User) -> None:
    assert _call(people.signed_in(outsider), name, things).status_code == 403
    _assert_nothing_changed(things)


@pytest.mark.parametrize("name", sorted(n for n, (_, who) in ADDRESSES.items() if who == "editors"))
def test_a_writer_is_refused_the_editors_addresses(name: str, things: dict[str, Any]) -> None:
    writer = people.make_staff_writer(username="wes", name="Wes Other")
    assert _call(people.signed_in(writer), name, things).status_code == 403
    _assert_nothing_changed(things)


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_the_signed_out_are_sent_to_sign_in(
    name: str, things: dict[str, Any], client: Client
) -> None:
    response = _call(client, name, things)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    _assert_nothing_changed(things, signed_out=True)


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in ADDRESSES.items() if m == "post"))
def test_every_step_needs_a_csrf_token(
    name: str, things: dict[str, Any], editor_account: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_account)
    assert _call(client, name, things).status_code == 403
    _assert_nothing_changed(things)


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in ADDRESSES.items() if m == "get"))
def test_an_editor_opens_every_page(
    name: str, things: dict[str, Any], editor_account: User
) -> None:
    # The refusals above mean something only if the same address serves its own people.
    response = _call(people.signed_in(editor_account), name, things)
    assert response.status_code < 400
    assert not response.get("Location", "").startswith(reverse("login"))
