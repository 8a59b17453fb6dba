"""Download my data and delete my account: only one's own data, posts kept or removed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import delete_own_post, post_comment
from knowhow.moderation.models import Flag
from knowhow.moderation.services import flag_post
from knowhow.notifications.services import set_reply_emails
from tests.pages import post_numbers, visible_text

PASSWORD = "correct horse 42"  # the password tests/conftest.py gives everyone


@pytest.fixture
def conversation(article: Article, reader: User, outsider: User) -> dict[str, Post]:
    """Posts and reports by the reader, the outsider and an anonymous visitor."""
    posts = {
        "mine": post_comment(article=article, body="Reader's own words.", author=reader),
        "theirs": post_comment(article=article, body="Outsider's words.", author=outsider),
        "anonymous": post_comment(
            article=article, body="Nobody's words.", notify_email="anon@example.net"
        ),
        "mine_later": post_comment(article=article, body="Reader again.", author=reader),
    }
    flag_post(
        post=posts["theirs"],
        reason=Flag.Reason.OFF_TOPIC,
        note="Not about cramps.",
        reporter=reader,
        address=address_of("192.0.2.1"),
    )
    flag_post(
        post=posts["mine"],
        reason=Flag.Reason.SPAM,
        note="Outsider's report.",
        reporter=outsider,
        address=address_of("192.0.2.2"),
    )
    return posts


def _download(client: Client) -> tuple[Any, dict[str, Any]]:
    response = client.get("/accounts/data/")
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_download_holds_the_readers_account_settings_posts_and_reports(
    article: Article, reader: User, conversation: dict[str, Post], client: Client
) -> None:
    set_reply_emails(user=reader, on=True)
    delete_own_post(post=conversation["mine_later"])
    client.force_login(reader)
    response, data = _download(client)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="knowhow-data-reader.json"'
    assert set(data) == {"account", "preferences", "posts", "reports", "questions"}
    assert data["account"]["username"] == "reader"
    assert data["account"]["email"] == reader.email
    assert data["account"]["date_joined"].startswith(str(reader.date_joined.year))
    assert "last_login" in data["account"]
    assert data["preferences"]["email_me_replies_and_mentions"] is True
    assert [(p["number"], p["body"], p["status"]) for p in data["posts"]] == [
        (1, "Reader's own words.", "published"),
        (4, "Reader again.", "deleted"),
    ]
    first = data["posts"][0]
    assert first["article"] == {
        "title": article.title,
        "url": f"http://testserver{article.get_absolute_url()}",
    }
    assert first["url"] == f"http://testserver/articles/{article.slug}/posts/1/"
    assert first["created_at"] and first["edited_at"] is None
    (report,) = data["reports"]
    assert report["post"]["number"] == 2 and report["post"]["article"] == article.title
    assert (report["reason"], report["note"]) == ("off_topic", "Not about cramps.")
    assert report["date"]


def test_download_holds_nobody_elses_data_and_no_hashes(
    reader: User, conversation: dict[str, Post], client: Client
) -> None:
    client.force_login(reader)
    response, _ = _download(client)
    raw = response.content.decode()
    for other in (
        "Outsider's words.",
        "Nobody's words.",
        "anon@example.net",
        "outsider@example.org",
        "Outsider's report.",
    ):
        assert other not in raw
    for secret in (reader.password, conversation["mine"].ip_hash, "hash", "password"):
        assert secret not in raw


def test_the_outsiders_download_holds_only_the_outsiders_data(
    reader: User, outsider: User, conversation: dict[str, Post], client: Client
) -> None:
    client.force_login(outsider)
    response, data = _download(client)
    assert data["account"]["username"] == "outsider"
    assert [p["body"] for p in data["posts"]] == ["Outsider's words."]
    assert [r["note"] for r in data["reports"]] == ["Outsider's report."]
    assert "Reader's own words." not in response.content.decode()
    assert reader.email not in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/data/", "/accounts/delete/", "/accounts/settings/"])
def test_signed_out_visitors_are_sent_to_sign_in(path: str, client: Client, db: None) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert client.post(path, {"password": "x", "posts": "remove"}).status_code == 302


def _delete(client: Client, posts: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/delete/", {"password": password, "posts": posts}, follow=True)


def test_deleting_and_keeping_posts_shows_them_as_anonymous(
    article: Article, reader: User, conversation: dict[str, Post], client: Client
) -> None:
    client.force_login(reader)
    page = client.get("/accounts/delete/")
    assert "Keep my posts, shown as anonymous" in visible_text(page.content)
    assert "Remove my posts" in visible_text(page.content)
    response = _delete(client, "keep")
    assert response.redirect_chain[-1][0] == "/"
    text = visible_text(response.content)
    assert "Your account was deleted." in text and "Sign in" in text
    assert not User.objects.filter(username="reader").exists()
    thread = client.get(article.get_absolute_url()).content
    assert post_numbers(thread) == [4, 3, 2, 1]
    thread_text = visible_text(thread)
    assert "Reader's own words." in thread_text
    # The heading names the author: anonymous now.
    assert thread_text.split("Post 1")[1].startswith(", by anonymous ")
    assert "/readers/reader/" not in thread.decode()
    assert Post.objects.get(number=1).author is None
    assert Flag.objects.get(note="Not about cramps.").reporter is None


def test_deleting_and_removing_posts_leaves_numbered_marks(
    article: Article, reader: User, outsider: User, conversation: dict[str, Post], client: Client
) -> None:
    client.force_login(reader)
    _delete(client, "remove")
    assert not User.objects.filter(username="reader").exists()
    thread = client.get(article.get_absolute_url()).content
    text = visible_text(thread)
    assert "Reader's own words." not in text and "Reader again." not in text
    assert text.count("A post here was removed by its author.") == 2
    assert post_numbers(thread) == [3, 2]  # the marks carry no heading; others keep theirs
    assert 'id="post-4"' in thread.decode() and 'id="post-1"' in thread.decode()
    assert "Outsider's words." in text and "Nobody's words." in text
    assert set(Post.objects.values_list("number", "status")) == {
        (1, "deleted"),
        (2, "published"),
        (3, "published"),
        (4, "deleted"),
    }
    assert Post.objects.get(number=2).author == outsider


def test_a_wrong_password_deletes_nothing_and_keeps_the_form(
    reader: User, conversation: dict[str, Post], client: Client
) -> None:
    client.force_login(reader)
    response = _delete(client, "remove", password="not my password")
    assert response.status_code == 200
    assert "That is not your password." in visible_text(response.content)
    assert re.search(r'value="remove"[^>]* checked', response.content.decode())
    assert User.objects.filter(username="reader").exists()
    assert Post.objects.filter(author=reader, status="published").count() == 2
    assert "reader" in visible_text(client.get("/").content)  # still signed in


def test_a_choice_about_the_posts_is_required(
    reader: User, conversation: dict[str, Post], client: Client
) -> None:
    client.force_login(reader)
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 200
    assert "Choose what happens to your posts." in visible_text(response.content)
    assert User.objects.filter(username="reader").exists()
