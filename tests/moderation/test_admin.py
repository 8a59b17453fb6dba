"""The admin keeps the moderation rules: post edits go through the edit service, bans and
the blocklist are changed only on the moderation pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction


@pytest.fixture
def admin_client_(db: None, client: Client) -> Client:
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw"))
    return client


def test_editing_a_post_in_the_admin_renders_it_and_logs_the_note(
    article: Article, admin_client_: Client
) -> None:
    post = post_comment(article=article, body="A *plain* post.")
    url = reverse("admin:discussion_post_change", args=[post.pk])
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"body": "A **corrected** post.", "note": "typo"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "A **corrected** post."
    assert "<strong>corrected</strong>" in post.body_html
    entry = ModerationAction.objects.get(action=ModerationAction.Action.EDIT)
    assert (entry.note, entry.before, entry.after) == ("typo", "A *plain* post.", post.body)


def test_an_admin_edit_without_a_note_changes_nothing(
    article: Article, admin_client_: Client
) -> None:
    post = post_comment(article=article, body="Left alone.")
    url = reverse("admin:discussion_post_change", args=[post.pk])
    response = admin_client_.post(url, {"body": "Vandalised.", "note": ""})
    assert response.status_code == 200  # the form again, with the error
    assert Post.objects.get(pk=post.pk).body == "Left alone."
    assert not ModerationAction.objects.exists()


def test_posts_are_neither_added_nor_deleted_in_the_admin(
    article: Article, admin_client_: Client
) -> None:
    post = post_comment(article=article, body="Numbered by the discussion.")
    assert admin_client_.get(reverse("admin:discussion_post_add")).status_code == 403
    delete = reverse("admin:discussion_post_delete", args=[post.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()


def test_bans_and_blocklist_are_read_only_in_the_admin(
    admin_client_: Client, moderator: User
) -> None:
    ban = services.ban(kind=Ban.Kind.RANGE, moderator=moderator, reason="r", cidr="10.0.0.0/8")
    term = services.block_term(kind="word", value="lottery", moderator=moderator)
    for model, record in (("ban", ban), ("blockedterm", term)):
        assert admin_client_.get(reverse(f"admin:antiabuse_{model}_changelist")).status_code == 200
        assert admin_client_.get(reverse(f"admin:antiabuse_{model}_add")).status_code == 403
        delete = reverse(f"admin:antiabuse_{model}_delete", args=[record.pk])
        assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:antiabuse_ban_change", args=[ban.pk])
    admin_client_.post(change, {"kind": "range", "cidr": "0.0.0.0/0", "reason": "oops"})
    assert Ban.objects.get(pk=ban.pk).cidr == "10.0.0.0/8"
    assert BlockedTerm.objects.count() == 1
