"""Every address of the API refuses the outsider: a token revoked or expired, or without the
scope the address needs. The sweep fails when an address of the OpenAPI document is missing
from it, so a new endpoint cannot go without its refusals."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.accounts.models import ApiToken
from knowhow.articles import services as workflow
from knowhow.articles.models import Article
from knowhow.discussion import services as posting
from knowhow.discussion.models import Post
from knowhow.facts.models import Fact
from knowhow.moderation import services as moderation
from tests import people
from tests.api.conftest import TokenClient
from tests.images import pictures


def staff_editor() -> User:
    """The newsroom's editor (the one who started the sweep's draft, when there is one)."""
    return User.objects.filter(username="ed").first() or people.make_staff_editor()


# (method, address in the OpenAPI document): the scope it needs, and a body it takes.
SWEEP: dict[tuple[str, str], tuple[str, dict[str, Any] | None]] = {
    ("GET", "/api/v1/articles/"): ("read", None),
    ("GET", "/api/v1/articles/{slug}/"): ("read", None),
    ("GET", "/api/v1/articles/{slug}/related/"): ("read", None),
    ("GET", "/api/v1/articles/{slug}/posts/"): ("read", None),
    ("POST", "/api/v1/articles/{slug}/posts/"): ("post", {"body": "Hello"}),
    ("GET", "/api/v1/articles/{slug}/posts/{number}/"): ("read", None),
    ("PATCH", "/api/v1/articles/{slug}/posts/{number}/"): ("post", {"body": "Changed"}),
    ("DELETE", "/api/v1/articles/{slug}/posts/{number}/"): ("post", None),
    ("POST", "/api/v1/articles/{slug}/posts/{number}/report/"): ("post", {"reason": "spam"}),
    ("GET", "/api/v1/topics/"): ("read", None),
    ("GET", "/api/v1/topics/{slug}/"): ("read", None),
    ("GET", "/api/v1/topics/{slug}/articles/"): ("read", None),
    ("GET", "/api/v1/people/"): ("read", None),
    ("GET", "/api/v1/people/{slug}/"): ("read", None),
    ("GET", "/api/v1/people/{slug}/articles/"): ("read", None),
    ("GET", "/api/v1/search/"): ("read", None),
    ("GET", "/api/v1/facts/"): ("read", None),
    ("GET", "/api/v1/facts/{slug}/"): ("read", None),
    ("GET", "/api/v1/events/{month}/{day}/"): ("read", None),
    ("GET", "/api/v1/me/"): ("read", None),
    ("GET", "/api/v1/moderation/held/"): ("moderate", None),
    ("GET", "/api/v1/moderation/reported/"): ("moderate", None),
    ("POST", "/api/v1/moderation/posts/{slug}/{number}/decision/"): (
        "moderate",
        {"decision": "remove"},
    ),
    ("GET", "/api/v1/moderation/log/"): ("moderate", None),
    ("POST", "/api/v1/moderation/bans/"): ("moderate", {"username": "outsider", "days": 1}),
    ("GET", "/api/v1/moderation/bans/"): ("moderate", None),
    ("POST", "/api/v1/moderation/bans/{ban_id}/lift/"): ("moderate", {"note": "Served"}),
    ("POST", "/api/v1/moderation/posts/{slug}/{number}/edit/"): (
        "moderate",
        {"body": "The reader's words", "note": "A typo"},
    ),
    ("GET", "/api/v1/moderation/appeals/"): ("moderate", None),
    ("POST", "/api/v1/moderation/appeals/{appeal_id}/decision/"): (
        "moderate",
        {"outcome": "upheld"},
    ),
    ("POST", "/api/v1/appeals/"): ("post", {"text": "It was not me"}),
    ("POST", "/api/v1/articles/{slug}/posts/{number}/second-look/"): (
        "post",
        {"text": "Please look again"},
    ),
    ("POST", "/api/v1/newsroom/pictures/"): ("newsroom", {"file": "", "alt": "A red square"}),
    ("POST", "/api/v1/newsroom/articles/"): ("newsroom", {"title": "New", "topic": "health"}),
    ("GET", "/api/v1/newsroom/articles/{article_id}/"): ("newsroom", None),
    ("PATCH", "/api/v1/newsroom/articles/{article_id}/"): ("newsroom", {"base": 1, "body": "B"}),
    ("POST", "/api/v1/newsroom/articles/{article_id}/steps/"): (
        "newsroom",
        {"action": "comment", "note": "Looks good"},
    ),
}


def _documented() -> set[tuple[str, str]]:
    document = TokenClient().get("/api/v1/openapi.json").json()
    return {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "patch", "put", "delete")
    }


@pytest.mark.django_db
def test_every_address_of_the_api_is_in_the_sweep() -> None:
    assert _documented() == set(SWEEP)


def _address(path: str, article: Article, fact: Fact) -> str:
    slug = {
        "/api/v1/topics/": article.topic.slug,
        "/api/v1/people/": article.written_by.slug,
        "/api/v1/facts/": fact.slug,
    }
    for start, value in slug.items():
        if path.startswith(start):
            path = path.replace("{slug}", value)
    if path == "/api/v1/appeals/":  # only a banned reader may appeal
        moderation.ban(kind="account", user=User.objects.get(username="reader"),
                       moderator=people.make_moderator("mod2"), reason="")  # fmt: skip
    if path.endswith("/second-look/"):  # only a removed post gets a second look
        moderation.remove_post(post=Post.objects.get(article=article, number=1))
    if "{ban_id}" in path or "{appeal_id}" in path:
        banned = moderation.ban(
            kind="range", cidr="198.51.100.0/24", moderator=people.make_moderator("mod2"), reason=""
        )
        path = path.replace("{ban_id}", str(banned.pk))
        appeal = moderation.appeal_ban(
            ban_record=banned, user=None, email="someone@example.org", text="Not me"
        )
        path = path.replace("{appeal_id}", str(appeal.pk))
    if "{article_id}" in path:
        draft = workflow.create_article(
            by=staff_editor(), title="A draft", topic=article.topic, body="Text"
        )
        path = path.replace("{article_id}", str(draft.pk))
    return (
        path.replace("{slug}", article.slug)
        .replace("{number}", "1")
        .replace("{month}", "5")
        .replace("{day}", "17")
    )


@pytest.fixture
def setting(reader: User, outsider: User, article: Article) -> Fact:
    posting.post_comment(article=article, body="The reader's post", author=reader)
    return Fact.objects.create(text="A fact about muscles.")


@pytest.mark.parametrize(("method", "path"), sorted(SWEEP))
def test_the_outsider_is_refused(
    method: str,
    path: str,
    reader: User,
    article: Article,
    setting: Fact,
    make_token: Callable[..., str],
) -> None:
    scope, body = SWEEP[(method, path)]
    address = _address(path, article, setting)

    def send(token: str) -> Any:
        if body is not None and "file" in body:  # a picture, as a form with a file
            picture = io.BytesIO(pictures.png())
            picture.name = "square.png"
            return TokenClient(token).post(address, {**body, "file": picture})
        return TokenClient(token).send(method, address, body)

    revoked = make_token(reader, ("read", "post"))
    ApiToken.objects.filter(prefix=revoked.split("_")[1]).update(revoked_at=timezone.now())
    assert send(revoked).status_code == 401
    expired = make_token(reader, ("read", "post"))
    ApiToken.objects.filter(prefix=expired.split("_")[1]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send(expired).status_code == 401
    other_scope = "post" if scope == "read" else "read"
    lacking = send(make_token(reader, (other_scope,)))
    assert lacking.status_code == 403
    assert lacking.json()["code"] == "missing_scope"
    # And a token with the scope, of an account that may, gets through.
    holder = {"moderate": people.make_moderator, "newsroom": staff_editor}.get(
        scope, lambda: reader
    )()
    allowed = send(make_token(holder, (scope,)))
    assert allowed.status_code < 300, allowed.content
    if scope in ("moderate", "newsroom"):  # the same account's token without it may not
        assert send(make_token(holder, ("read", "post"))).status_code == 403
