"""The moderation queue: held and reported posts, decisions one by one and in bulk."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation.models import Flag, ModerationAction
from knowhow.pagecache.fragments import fragments
from tests.pages import post_numbers, visible_text

QUEUE = "/moderation/"
Action = ModerationAction.Action


def act(client: Client, post: Post, action: str, note: str = "") -> str:
    """Press one of a post's buttons in the queue; the text of the page it lands on."""
    response = client.post(
        reverse("moderation-post-action", args=[post.pk]),
        {"action": action, "note": note},
        follow=True,
    )
    # Back to the queue, at the post's place there.
    assert response.redirect_chain == [(f"{QUEUE}#queue-post-{post.pk}", 302)]
    return visible_text(response.content)


def bulk(client: Client, posts: list[Post], action: str, note: str = "") -> str:
    response = client.post(
        reverse("moderation-bulk"),
        {"action": action, "post": [p.pk for p in posts], "note": note, "apply": "1"},
        follow=True,
    )
    assert response.redirect_chain == [(QUEUE, 302)]
    return visible_text(response.content)


def checkbox_labels(html: str) -> list[str]:
    found = re.findall(r'<label for="select-\d+">(.*?)</label>', html, re.S)
    return [visible_text(label) for label in found]


def test_empty_queue_says_so(mod_client: Client, db: None) -> None:
    text = visible_text(mod_client.get(QUEUE).content)
    assert "The queue is empty" in text
    assert "Apply to selected" not in text


def test_queue_shows_held_posts_oldest_first_with_why_they_wait(
    article: Article, mod_client: Client, held_post: Callable[..., Post], reader: User
) -> None:
    post_comment(article=article, body="Published, so not in the queue.", author=reader)
    held_post(article, "Magnesium before bed stopped my cramps.")
    held_post(article, "Bananas, every time.")
    html = mod_client.get(QUEUE).content.decode()
    text = visible_text(html)
    assert "Published, so not in the queue." not in text
    assert "Magnesium before bed stopped my cramps." in text
    assert "Held because: anonymous posts need approval · spam score 0" in text
    assert "anonymous" in text
    assert reverse("post-permalink", args=[article.slug, 2]) in html
    assert checkbox_labels(html) == [
        "Select Post 2 on What is a Muscle Cramp?",
        "Select Post 3 on What is a Muscle Cramp?",
    ]
    assert "Apply to selected" in text


def test_queue_shows_reported_posts_with_reasons_and_notes(
    article: Article, mod_client: Client, reader: User, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Buy cheap pills at my shop.", author=reader)
    report(post, reason="spam", note="An advert, not advice.")
    report(post, times=1, reason="harmful")  # the same reader again: counted once
    text = visible_text(mod_client.get(QUEUE).content)
    assert "Reported by readers" in text
    assert "Post 1 on What is a Muscle Cramp?" in text and "reader" in text
    assert "1 open report" in text
    assert "Spam or advertising: “An advert, not advice.”" in text
    assert "Remove" in text and "Dismiss reports" in text


def test_moderator_approves_held_post_and_it_appears_at_its_number(
    article: Article, mod_client: Client, held_post: Callable[..., Post], reader: User
) -> None:
    post_comment(article=article, body="First.", author=reader)
    held = held_post(article, "Second, but waiting.")
    post_comment(article=article, body="Third.", author=reader)
    assert post_numbers(Client().get(article.get_absolute_url()).content) == [3, 1]

    text = act(mod_client, held, "approve")
    assert "Approved Post 2 on What is a Muscle Cramp?" in text
    assert "The queue is empty" in text
    assert post_numbers(Client().get(article.get_absolute_url()).content) == [3, 2, 1]
    entry = ModerationAction.objects.filter(post=held).first()
    assert entry is not None and entry.action == Action.APPROVE
    assert entry.actor is not None and entry.actor.username == "moderator"


@pytest.mark.parametrize(
    ("action", "status", "logged", "message"),
    [
        ("reject", Post.Status.REJECTED, Action.REJECT, "Rejected Post 1"),
        ("spam", Post.Status.SPAM, Action.SPAM, "Marked Post 1 on What is a Muscle Cramp? as spam"),
    ],
)
def test_rejected_or_spam_post_stays_hidden_and_keeps_its_number(
    action: str,
    status: str,
    logged: str,
    message: str,
    article: Article,
    mod_client: Client,
    held_post: Callable[..., Post],
) -> None:
    held = held_post(article)
    text = act(mod_client, held, action, note="Not about cramps.")
    assert message in text
    held.refresh_from_db()
    assert held.status == status
    assert post_numbers(Client().get(article.get_absolute_url()).content) == []
    assert post_comment(article=article, body="Next one.").number == 2
    entry = ModerationAction.objects.get(post=held, action=logged)
    assert entry.note == "Not about cramps."


def test_moderator_removes_reported_post_and_reports_close(
    article: Article, mod_client: Client, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Rude words.")
    report(post, times=2, reason="abuse")
    text = act(mod_client, post, "remove")
    assert "Removed Post 1 on What is a Muscle Cramp?" in text
    assert "The queue is empty" in text
    assert "removed by a moderator" in visible_text(
        Client().get(article.get_absolute_url()).content
    )
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert ModerationAction.objects.filter(post=post, action=Action.REMOVE).count() == 1


def test_dismissing_reports_shows_a_post_the_reports_had_hidden(
    article: Article, mod_client: Client, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Salt helps me, honestly.")
    report(post, times=3, reason="harmful")
    post.refresh_from_db()
    assert post.status == Post.Status.HELD
    text = visible_text(mod_client.get(QUEUE).content)
    assert "Held because: reported by 3 readers" in text and "3 open reports" in text

    text = act(mod_client, post, "dismiss")
    assert "Dismissed the reports on Post 1 on What is a Muscle Cramp?" in text
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post_numbers(Client().get(article.get_absolute_url()).content) == [1]
    assert ModerationAction.objects.filter(post=post, action=Action.DISMISS_FLAGS).exists()


def test_a_decision_already_made_is_not_made_again(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    act(mod_client, held, "approve")
    text = act(mod_client, held, "reject")
    assert "is now “Published”; nothing was changed" in text
    held.refresh_from_db()
    assert held.status == Post.Status.PUBLISHED
    assert not ModerationAction.objects.filter(action=Action.REJECT).exists()


def test_unknown_action_changes_nothing(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    text = act(mod_client, held, "delete_everything")
    assert "nothing was changed" in text
    held.refresh_from_db()
    assert held.status == Post.Status.HELD


@pytest.mark.parametrize(
    ("action", "status", "logged", "verb"),
    [
        ("approve", Post.Status.PUBLISHED, Action.APPROVE, "Approved"),
        ("reject", Post.Status.REJECTED, Action.REJECT, "Rejected"),
        ("spam", Post.Status.SPAM, Action.SPAM, "Marked"),
    ],
)
def test_bulk_decision_applies_to_every_selected_post_with_the_note(
    action: str,
    status: str,
    logged: str,
    verb: str,
    article: Article,
    mod_client: Client,
    held_post: Callable[..., Post],
) -> None:
    posts = [held_post(article) for _ in range(3)]
    left = held_post(article)
    text = bulk(mod_client, posts[:3], action, note="Weekly sweep.")
    assert (
        f"{verb} Post 1 on What is a Muscle Cramp?, Post 2 on What is a Muscle Cramp? "
        "and Post 3 on What is a Muscle Cramp?"
    ) in text
    assert {p.status for p in Post.objects.filter(pk__in=[p.pk for p in posts])} == {status}
    assert Post.objects.get(pk=left.pk).status == Post.Status.HELD
    entries = ModerationAction.objects.filter(action=logged)
    assert sorted(e.post_id for e in entries) == sorted(p.pk for p in posts)
    assert {e.note for e in entries} == {"Weekly sweep."}


def test_bulk_dismiss_clears_reports_on_selected_posts(
    article: Article, mod_client: Client, report: Callable[..., None]
) -> None:
    posts = [post_comment(article=article, body=f"Reported post {i}.") for i in range(2)]
    for post in posts:
        report(post)
    text = bulk(mod_client, posts, "dismiss")
    assert "Dismissed the reports on Post 1 on What is a Muscle Cramp? and Post 2" in text
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert ModerationAction.objects.filter(action=Action.DISMISS_FLAGS).count() == 2


def test_bulk_leaves_alone_posts_already_decided(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    waiting, decided = held_post(article), held_post(article)
    act(mod_client, decided, "reject")
    text = bulk(mod_client, [waiting, decided], "approve")
    assert "Approved Post 1 on What is a Muscle Cramp? Left alone" in text
    assert "Left alone, as “Approve” does not apply to them now: Post 2" in text
    assert Post.objects.get(pk=decided.pk).status == Post.Status.REJECTED


def test_bulk_approve_leaves_reported_published_posts_alone(
    article: Article, mod_client: Client, reader: User, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Reported but published.", author=reader)
    report(post)
    text = bulk(mod_client, [post], "approve")
    assert "Left alone, as “Approve” does not apply to them now: Post 1" in text
    assert not ModerationAction.objects.filter(action=Action.APPROVE).exists()
    assert Flag.objects.filter(resolved_at__isnull=True).count() == 1


def test_bulk_without_a_selection_or_an_action_says_what_is_missing(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article)
    url = reverse("moderation-bulk")
    typed = {"note": "Weekly sweep.", "apply": "1"}
    refused = mod_client.post(url, {**typed, "action": "approve"})
    assert refused.status_code == 400
    assert "Select at least one post." in visible_text(refused.content.decode())
    # What the moderator typed and chose comes back with the refusal.
    assert 'value="Weekly sweep."' in refused.content.decode()
    assert '<option value="approve" selected>' in refused.content.decode()
    refused = mod_client.post(url, {**typed, "action": "", "post": [held.pk]})
    assert refused.status_code == 400
    assert "Choose an action to apply." in visible_text(refused.content.decode())
    assert (
        f'value="{held.pk}" id="select-{held.pk}" form="bulk" checked' in refused.content.decode()
    )
    held.refresh_from_db()
    assert held.status == Post.Status.HELD
    assert ModerationAction.objects.exclude(action=Action.AUTO_HOLD).count() == 0


def test_queue_query_count_does_not_grow_with_posts(
    make_article: Callable[..., Article],
    mod_client: Client,
    held_post: Callable[..., Post],
    reader: User,
    report: Callable[..., None],
) -> None:
    def queries() -> int:
        fragments().clear()  # the session and account read anew each time
        with CaptureQueriesContext(connection) as captured:
            assert mod_client.get(QUEUE).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for i in range(count):
            article = make_article(f"What is Question {Article.objects.count()}?")
            held_post(article)
            reported = post_comment(article=article, body=f"Reported {i}.", author=reader)
            report(reported, times=2)

    add(3)
    few = queries()
    add(27)
    assert queries() == few
    # With the set reasons, the open appeals, the filter's articles and, per list, the
    # other recent posts of its accounts and of its anonymous addresses, each read once.
    assert few <= 18


def test_queue_is_paged_fifty_at_a_time(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    for _ in range(52):
        held_post(article)
    first = mod_client.get(QUEUE).content.decode()
    assert len(checkbox_labels(first)) == 50
    assert "Page 1 of 2" in visible_text(first)
    second = mod_client.get(QUEUE + "?page=2").content.decode()
    assert [label.split(" on ")[0] for label in checkbox_labels(second)] == [
        "Select Post 51",
        "Select Post 52",
    ]


def test_titles_and_notes_are_escaped(
    make_article: Callable[..., Article], mod_client: Client, report: Callable[..., None]
) -> None:
    article = make_article("Is <script>alert(1)</script> safe?")
    post = post_comment(article=article, body="Fine.")
    report(post, reason="other", note="<img src=x onerror=alert(2)>")
    page = mod_client.get(QUEUE).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bulk_naming_an_id_no_post_can_have_says_so_and_changes_nothing(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    waiting = held_post(article)
    response = mod_client.post(
        reverse("moderation-bulk"),
        {"action": "approve", "post": [waiting.pk, "9" * 25], "apply": "1"},
    )
    assert response.status_code == 400  # the queue again, with the reason and the note kept
    assert "is not one of the available choices" in visible_text(response.content)
    assert Post.objects.get(pk=waiting.pk).status == Post.Status.HELD


def test_remove_is_a_bulk_decision_too(
    article: Article, reader: User, mod_client: Client, report: Callable[..., None]
) -> None:
    shown = [post_comment(article=article, body=f"Reported {n}.", author=reader) for n in range(2)]
    for post in shown:
        report(post, times=1)
    done = mod_client.post(
        reverse("moderation-bulk"),
        {"action": "remove", "post": [p.pk for p in shown], "note": "Rude.", "apply": "1"},
        follow=True,
    )
    assert "Removed Post 1 on What is a Muscle Cramp? and Post 2" in visible_text(done.content)
    assert {p.status for p in Post.objects.filter(pk__in=[p.pk for p in shown])} == {"removed"}


def test_the_queue_offers_keys_and_select_all_to_scripts_only(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held_post(article)
    page = mod_client.get(QUEUE).content.decode()
    assert "moderation/queue.js" in page
    # Without JavaScript these stay hidden: they would do nothing.
    assert '<p class="help" id="queue-keys-hint" hidden>' in page
    assert '<p class="mod-select-all" hidden>' in page
