"""A moderator's edit of a post: it needs a reason, keeps the text on error, and is logged."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation.models import ModerationAction
from tests.pages import visible_text


def textarea(html: str) -> str:
    found = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert found, "no textarea on the page"
    return found.group(1).strip()


def test_edit_page_shows_the_post_text_and_asks_why(article: Article, mod_client: Client) -> None:
    post = post_comment(article=article, body="Call 555-0100 for cramp pills.")
    html = mod_client.get(reverse("moderation-edit", args=[post.pk])).content.decode()
    assert textarea(html) == "Call 555-0100 for cramp pills."
    assert '<label for="id_note">Why are you editing?</label>' in html


def test_edit_without_a_note_is_refused_and_keeps_the_new_text(
    article: Article, mod_client: Client
) -> None:
    post = post_comment(article=article, body="Call 555-0100 for cramp pills.")
    response = mod_client.post(
        reverse("moderation-edit", args=[post.pk]),
        {"body": "Call [phone number removed] for cramp pills.", "note": "   ", "save": "1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why you edited the post" in visible_text(html)
    assert textarea(html) == "Call [phone number removed] for cramp pills."
    post.refresh_from_db()
    assert post.body == "Call 555-0100 for cramp pills."
    assert not ModerationAction.objects.filter(action=ModerationAction.Action.EDIT).exists()


def test_edit_to_an_empty_post_is_refused_and_keeps_the_note(
    article: Article, mod_client: Client
) -> None:
    post = post_comment(article=article, body="Something.")
    response = mod_client.post(
        reverse("moderation-edit", args=[post.pk]),
        {"body": "  ", "note": "Removing a slur.", "save": "1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please write something before posting." in visible_text(html)
    assert 'value="Removing a slur."' in html


def test_edit_with_a_note_changes_the_post_and_logs_both_texts(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    post = held_post(article, "Visit my *shop* at spam.example for cures.")
    response = mod_client.post(
        reverse("moderation-edit", args=[post.pk]),
        {"body": "Visit my *shop* for cures.", "note": "Link to a shop removed.", "save": "1"},
        follow=True,
    )
    assert response.redirect_chain == [("/moderation/", 302)]
    assert "Edited Post 1 on What is a Muscle Cramp?" in visible_text(response.content)
    post.refresh_from_db()
    assert post.body == "Visit my *shop* for cures."
    assert "<em>shop</em>" in post.body_html
    assert post.status == Post.Status.HELD, "an edit decides nothing about a held post"
    entry = ModerationAction.objects.get(action=ModerationAction.Action.EDIT)
    assert entry.note == "Link to a shop removed."
    assert entry.before == "Visit my *shop* at spam.example for cures."
    assert entry.after == "Visit my *shop* for cures."


def test_editing_a_post_that_does_not_exist_is_404(mod_client: Client) -> None:
    assert mod_client.get(reverse("moderation-edit", args=[999])).status_code == 404
