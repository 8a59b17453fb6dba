"""The blocklist page: words and domains that hold posts, added and removed by moderators."""

from __future__ import annotations

import html
import re

from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.models import BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.services import submit_post
from knowhow.moderation.models import ModerationAction
from tests.pages import visible_text

BLOCKLIST = "/moderation/blocklist/"


def previewed(client: Client, data: dict[str, str]) -> tuple[str, str]:
    """Press Preview: the page's text, and the preview's key that Block sends back."""
    response = client.post(BLOCKLIST, {"match": "words", "action": "hold", **data, "check": "1"})
    assert response.status_code == 200
    found = re.search(r'name="previewed" value="([^"]*)"', response.content.decode())
    assert found is not None
    return visible_text(response.content), html.unescape(found.group(1))


def add(client: Client, kind: str, value: str, **how: str) -> str:
    data = {"kind": kind, "value": value, "match": "words", "action": "hold", **how}
    _, key = previewed(client, data)
    response = client.post(BLOCKLIST, {**data, "previewed": key, "block": "1"}, follow=True)
    assert response.redirect_chain == [(BLOCKLIST, 302)]
    return visible_text(response.content)


def test_empty_blocklist_says_so(mod_client: Client) -> None:
    assert "Nothing is blocked yet." in visible_text(mod_client.get(BLOCKLIST).content)


def test_moderator_blocks_a_word_and_a_domain_and_sees_them_listed(
    mod_client: Client, article: Article
) -> None:
    assert "Blocked the word “cheap pills”." in add(mod_client, "word", "  Cheap Pills ")
    text = add(mod_client, "domain", "https://www.spam.example/buy")
    assert "Blocked the domain “spam.example”." in text
    assert "Word or phrase cheap pills" in text and "Link domain spam.example" in text
    notes = set(ModerationAction.objects.values_list("note", flat=True))
    assert notes == {"blocked word cheap pills", "blocked domain spam.example"}
    held = submit_post(article=article, body="Cheap pills at https://spam.example/x").post
    assert held.status == "held"
    assert "blocked word" in held.held_because and "blocked domain" in held.held_because


def test_empty_term_is_refused_with_a_message(mod_client: Client) -> None:
    response = mod_client.post(
        BLOCKLIST,
        {"kind": "domain", "value": "https://", "match": "words", "action": "hold", "check": "1"},
    )
    assert response.status_code == 400
    assert "Enter a word or a domain to block." in visible_text(response.content)
    assert not BlockedTerm.objects.exists()


def test_unknown_kind_is_refused(mod_client: Client) -> None:
    response = mod_client.post(BLOCKLIST, {"kind": "regex", "value": ".*", "block": "1"})
    assert response.status_code == 400
    assert not BlockedTerm.objects.exists()


def test_moderator_removes_a_term(mod_client: Client) -> None:
    add(mod_client, "word", "casino")
    term = BlockedTerm.objects.get()
    response = mod_client.post(reverse("moderation-unblock", args=[term.pk]), follow=True)
    text = visible_text(response.content)
    assert "Removed the word “casino” from the blocklist." in text
    assert "Nothing is blocked yet." in text
    assert not BlockedTerm.objects.exists()
    assert ModerationAction.objects.filter(note="unblocked word casino").exists()
