"""The queue answered in place (its script sends a decision asking for JSON): the same
service call as the form, the post's item as it is now, the message, and the counts; and
the queue's filters and order, kept across decisions with or without a script."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import selectors
from knowhow.moderation.models import ModerationAction
from tests.pages import post_numbers, visible_text
from tests.people import session_of

QUEUE = "/moderation/"
JSON = {"HTTP_ACCEPT": "application/json"}


def decide(client: Client, post: Post, action: str, **extra: Any) -> Any:
    url = reverse("moderation-post-action", args=[post.pk])
    return client.post(url, {"action": action, "note": "", **extra}, **JSON)


def item_text(answer: Any, post: Post) -> str:
    return visible_text(answer.json()["items"][str(post.pk)])


def test_a_decision_in_place_answers_with_the_item_and_the_public_page_follows_at_once(
    article: Article, mod_client: Client, held_post: Callable[..., Post], reader: User
) -> None:
    post_comment(article=article, body="First.", author=reader)
    held = held_post(article, "Second, but waiting.")
    visitor = Client()
    assert post_numbers(visitor.get(article.get_absolute_url()).content) == [1]  # now kept

    answer = decide(mod_client, held, "approve")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    said = answer.json()["messages"]
    assert said == [{"level": "success", "text": "Approved Post 2 on What is a Muscle Cramp?"}]
    assert "Approved by you" in item_text(answer, held)
    assert "It has left the queue" in item_text(answer, held)
    assert "0 posts awaiting moderation" not in visible_text(answer.json()["counts"])
    assert post_numbers(visitor.get(article.get_absolute_url()).content) == [2, 1]
    # No message is left over for the next page the moderator loads.
    assert "Approved Post 2" not in visible_text(mod_client.get(QUEUE).content)


def test_a_removal_in_place_comes_back_with_undo_and_the_undo_with_the_post(
    article: Article, mod_client: Client, report: Callable[..., None], reader: User
) -> None:
    post = post_comment(article=article, body="Coconut water helps me.", author=reader)
    report(post)
    answer = decide(mod_client, post, "remove")
    html = answer.json()["items"][str(post.pk)]
    assert "Removed by you" in visible_text(html) and 'name="undo"' in html
    assert post_numbers(Client().get(article.get_absolute_url()).content) == []

    entry = ModerationAction.objects.get(post=post, action="remove")
    undone = mod_client.post(
        reverse("moderation-undo", args=[entry.pk]),
        {"undo": "1", "note": "By mistake.", "next": f"{QUEUE}#queue-post-{post.pk}"},
        **JSON,
    )
    assert undone.status_code == 200
    assert undone.json()["messages"][0]["text"].startswith("Undone: Post 1")
    assert "Undone (removed) by you" in item_text(undone, post)
    assert post_numbers(Client().get(article.get_absolute_url()).content) == [1]
    # A second undo, replayed: refused, in place, and nothing changes.
    again = mod_client.post(reverse("moderation-undo", args=[entry.pk]), {"undo": "1"}, **JSON)
    assert again.status_code == 409
    assert again.json()["messages"][0]["level"] == "error"


def test_a_decision_already_made_elsewhere_is_refused_in_place(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    decide(mod_client, held, "approve")
    answer = decide(mod_client, held, "reject")
    assert answer.status_code == 409
    assert "nothing was changed" in answer.json()["messages"][0]["text"]
    held.refresh_from_db()
    assert held.status == Post.Status.PUBLISHED


def test_enter_sends_keep_in_place_and_changes_nothing(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    answer = decide(mod_client, held, "keep", note="typed")
    assert answer.json()["messages"][0]["text"].startswith("Nothing was changed")
    assert 'value="approve"' in answer.json()["items"][str(held.pk)]
    held.refresh_from_db()
    assert held.status == Post.Status.HELD


def test_bulk_in_place_answers_with_every_item(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    posts = [held_post(article), held_post(article)]
    answer = mod_client.post(
        reverse("moderation-bulk"),
        {"action": "spam", "post": [p.pk for p in posts], "note": "", "apply": "1"},
        **JSON,
    )
    assert set(answer.json()["items"]) == {str(p.pk) for p in posts}
    assert all("by you" in item_text(answer, p) for p in posts), item_text(answer, posts[0])
    assert all('name="undo"' in answer.json()["items"][str(p.pk)] for p in posts)
    refused = mod_client.post(reverse("moderation-bulk"), {"action": "spam", "apply": "1"}, **JSON)
    assert refused.status_code == 400 and refused.json()["messages"][0]["level"] == "error"


def test_a_signed_out_script_request_is_sent_to_sign_in(
    article: Article, client: Client, held_post: Callable[..., Post], outsider: User
) -> None:
    held = held_post(article)
    assert decide(client, held, "approve").status_code == 302
    client.force_login(outsider)
    assert decide(client, held, "approve").status_code == 403
    held.refresh_from_db()
    assert held.status == Post.Status.HELD


def test_filters_show_held_or_reported_by_reason_and_article(
    make_article: Callable[..., Article],
    mod_client: Client,
    held_post: Callable[..., Post],
    report: Callable[..., None],
    reader: User,
    outsider: User,
) -> None:
    cramps = make_article("What is a Muscle Cramp?")
    salt = make_article("Why Salt?")
    held = held_post(cramps, "Held in cramps.")
    held_salt = held_post(salt, "Held in salt.")
    rude = post_comment(article=salt, body="Reported as rude.", author=reader)
    report(rude, reason="abuse")
    off = post_comment(article=cramps, body="Reported as off topic.", author=outsider)
    report(off, reason="off_topic")

    def shown(query: str) -> str:
        return visible_text(mod_client.get(QUEUE + query).content)

    everything = shown("")
    assert all(p.body in everything for p in (held, held_salt, rude, off))
    only_held = shown("?show=held")
    assert "Held in cramps." in only_held and "Reported as rude." not in only_held
    assert "Showing 2 of 4 posts waiting." in only_held
    by_reason = shown("?reason=report:abuse")
    assert "Reported as rude." in by_reason
    assert "Reported as off topic." not in by_reason and "Held in" not in by_reason
    assert "Showing 1 of 4 posts waiting." in by_reason
    anonymous = shown("?reason=held:anonymous_needs_approval&article=" + salt.slug)
    assert "Held in salt." in anonymous and "Held in cramps." not in anonymous
    newest = shown("?sort=newest&show=held")
    assert newest.index("Held in salt.") < newest.index("Held in cramps.")
    oldest = shown("?show=held")
    assert oldest.index("Held in cramps.") < oldest.index("Held in salt.")
    # Values no filter has are the whole queue, not an error.
    odd = mod_client.get(QUEUE + "?show=<b>&reason=held:nope&sort=sideways")
    assert odd.status_code == 200 and "Showing" not in visible_text(odd.content)


def test_decisions_keep_the_filters_with_and_without_a_script(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    other = held_post(article)
    page = mod_client.get(QUEUE + "?show=held&sort=newest").content.decode()
    assert 'name="next" value="/moderation/?show=held&amp;sort=newest"' in page
    answer = mod_client.post(
        reverse("moderation-post-action", args=[held.pk]),
        {"action": "reject", "next": "/moderation/?show=held&sort=newest"},
    )
    assert answer["Location"] == f"/moderation/?show=held&sort=newest#queue-post-{held.pk}"
    # The bulk form posts with the filters, and comes back to them.
    assert 'action="/moderation/bulk/?show=held&amp;sort=newest"' in page
    bulk = mod_client.post(
        "/moderation/bulk/?show=held&sort=newest",
        {"action": "approve", "post": [other.pk], "apply": "1",
         "next": "/moderation/?show=held&sort=newest"},
    )  # fmt: skip
    assert bulk["Location"] == "/moderation/?show=held&sort=newest"
    # In place, the counts follow the filters of the page the decision came from.
    again = held_post(article)
    answer = decide(mod_client, again, "reject", next="/moderation/?show=held&sort=newest")
    assert "Showing 0 of 0 posts waiting." in visible_text(answer.json()["counts"])
    # A `next` to another site is not followed.
    away = mod_client.post(
        reverse("moderation-post-action", args=[held_post(article).pk]),
        {"action": "keep", "next": "https://example.com/"},
    )
    assert away["Location"].startswith("/moderation/")


def test_a_queue_item_shows_the_post_it_replies_to_and_the_authors_last_posts(
    article: Article, mod_client: Client, report: Callable[..., None], reader: User
) -> None:
    first = post_comment(article=article, body="Magnesium at night helps.", author=reader)
    post_comment(article=article, body="Stretch first, always.", author=reader)
    rude = post_comment(article=article, body="Rubbish, you fool.", author=reader, reply_to=1)
    report(rude, reason="abuse")
    text = visible_text(mod_client.get(QUEUE).content)
    assert "In reply to Post 1 by reader" in text
    assert "Other recent posts by reader (2)" in text
    assert "Stretch first, always." in text and first.body in text


def test_enter_on_an_undo_in_place_undoes_nothing(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    decide(mod_client, held, "spam")
    entry = ModerationAction.objects.get(post=held, action="spam")
    answer = mod_client.post(
        reverse("moderation-undo", args=[entry.pk]), {"check": "1", "note": "typed"}, **JSON
    )
    assert answer.json()["messages"][0]["text"].startswith("Nothing is undone yet")
    assert 'name="undo"' in answer.json()["items"][str(held.pk)]
    held.refresh_from_db()
    assert held.status == Post.Status.SPAM


def test_a_decision_in_place_shows_at_once_on_the_page_kept_in_memory(
    transactional_db: None, article: Article, moderator: User, reader: User, settings: Any
) -> None:
    """Through the page cache a server runs behind, with the CSRF token in a header as the
    queue's script sends it: the visitor's kept page is not served stale."""
    from tests.pagecache.conftest import Clock, Server

    server = Server(Clock())
    post = post_comment(article=article, body="Stretch your calves before bed.", author=reader)
    path = article.get_absolute_url()
    server.request(path)
    assert server.request(path).cache == "HIT"
    secret = "A" * 16 + "b" * 16
    cookies = {"sessionid": session_of(moderator), "csrftoken": secret}
    answer = server.request(
        reverse("moderation-post-action", args=[post.pk]),
        method="POST",
        cookies=cookies,
        headers={"Accept": "application/json", "X-CSRFToken": secret},
        data={"action": "spam", "note": ""},
    )
    assert answer.status == 200 and json.loads(answer.text)["messages"][0]["level"] == "success"
    after = server.request(path)
    assert after.cache == "MISS" and "Stretch your calves before bed." not in after.text
    assert server.request(path).cache == "HIT"
    # Undone in place: back at its number on the kept page at once.
    entry = ModerationAction.objects.get(post=post, action="spam")
    undone = server.request(
        reverse("moderation-undo", args=[entry.pk]),
        method="POST",
        cookies=cookies,
        headers={"Accept": "application/json", "X-CSRFToken": secret},
        data={"undo": "1", "note": ""},
    )
    assert undone.status == 200
    back = server.request(path)
    assert back.cache == "MISS" and "Stretch your calves before bed." in back.text
    assert 'id="post-1"' in back.text
    # Without the token the same request is refused, and nothing changes.
    other = post_comment(article=article, body="Magnesium at night.", author=reader)
    refused = server.request(
        reverse("moderation-post-action", args=[other.pk]),
        method="POST",
        cookies=cookies,
        headers={"Accept": "application/json"},
        data={"action": "spam"},
    )
    assert refused.status == 403
    other.refresh_from_db()
    assert other.status == Post.Status.PUBLISHED


def test_an_anonymous_item_shows_the_other_posts_from_its_address(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held_post(article, "First from this address.", address="203.0.113.77")
    held_post(article, "Second from this address.", address="203.0.113.77")
    held_post(article, "From somewhere else.", address="203.0.113.78")
    page = mod_client.get(QUEUE).content.decode()
    assert page.count("Other recent posts from this address (1)") == 2
    text = visible_text(page)
    assert text.count("First from this address.") == 2  # its own item, and the other's
    assert text.count("From somewhere else.") == 1


def test_pages_of_a_filtered_queue_keep_its_filters(
    article: Article,
    mod_client: Client,
    held_post: Callable[..., Post],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    first, second = held_post(article), held_post(article)
    page = mod_client.get(QUEUE + "?show=held&sort=newest").content.decode()
    assert 'href="?show=held&amp;sort=newest&amp;page=2#held"' in page
    assert second.body in visible_text(page) and first.body not in visible_text(page)
    later = visible_text(mod_client.get(QUEUE + "?show=held&sort=newest&page=2").content)
    assert first.body in later and second.body not in later
