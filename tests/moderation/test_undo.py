"""Every moderation decision can be undone: a removal, a rejection, a spam mark, a ban (with
the posts it took down) and a shadow-hiding; from the log, the thread and the queue, with a
note. The post comes back at its number and place, the undo is logged, and it happens once."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from knowhow.moderation.services import CannotUndo
from tests.pages import forms_on, post_numbers, visible_text
from tests.people import make_account, make_moderator, signed_in

Action = ModerationAction.Action


@pytest.fixture
def troll(db: None) -> User:
    return make_account("troll")


@pytest.fixture
def thread(article: Article, troll: User) -> list[Post]:
    walker = make_account("walker")
    return [
        post_comment(article=article, body="Stretching before bed helped me.", author=walker),
        post_comment(article=article, body="Magnesium worked for my calves.", author=troll),
        post_comment(article=article, body="Drink water before a run.", author=walker),
    ]


def public_page(article: Article) -> str:
    return Client().get(article.get_absolute_url()).content.decode()


def decide(client: Client, post: Post, action: str, next_: str = "") -> None:
    data = {"action": action, "note": f"{action} it"} | ({"next": next_} if next_ else {})
    assert client.post(reverse("moderation-post-action", args=[post.pk]), data).status_code == 302


def undo_form(client: Client, url: str) -> Any:
    """The Undo page's form, reached from a link (its Enter button is harmless)."""
    page = client.get(url)
    assert page.status_code == 200
    (form,) = [f for f in forms_on(page.content) if "/undo/" in f.action]
    assert form.default == ("check", "1")
    return form, visible_text(page.content)


def test_a_removed_post_comes_back_at_its_number_from_the_thread(
    article: Article, thread: list[Post], mod_client: Client
) -> None:
    here = f"{article.get_absolute_url()}#post-2"
    decide(mod_client, thread[1], "remove", here)
    assert "Magnesium worked" not in public_page(article)
    assert "A post here was removed by a moderator." in public_page(article)

    # The moderator's thread marks the removed post with Undo…, which asks for a note.
    mine = mod_client.get(article.get_absolute_url()).content.decode()
    link = f"{reverse('moderation-undo-post', args=[thread[1].pk])}?next="
    assert link in mine
    form, text = undo_form(mod_client, f"{link}{urllib.parse.quote(here)}")
    assert "Post 2 on What is a Muscle Cramp? will be published again, at its number." in text
    done = mod_client.post(form.action, form.on_enter("", undo="1", note="Reported wrongly."))
    assert done.status_code == 302 and done["Location"] == here

    page = public_page(article)
    assert post_numbers(page) == [3, 2, 1]
    assert "Magnesium worked for my calves." in page
    undo = ModerationAction.objects.get(action=Action.UNDO)
    assert undo.note == "Reported wrongly." and undo.previous_status == Post.Status.REMOVED
    assert undo.undoes == ModerationAction.objects.get(action=Action.REMOVE)
    thread[1].refresh_from_db()
    assert thread[1].status == Post.Status.PUBLISHED and thread[1].removed_at is None


def test_a_rejected_post_goes_back_to_the_queue_from_its_place_there(
    article: Article, held_post: Callable[..., Post], mod_client: Client
) -> None:
    first, second = held_post(article), held_post(article, "Coconut water helps.")
    decide(mod_client, first, "reject")
    queue = mod_client.get("/moderation/").content.decode()
    # It stays where it was, above the post after it, saying what was done, with Undo.
    assert queue.index(f'id="queue-post-{first.pk}"') < queue.index(f'id="queue-post-{second.pk}"')
    text = visible_text(queue)
    assert "Rejected by you" in text and "1 post awaiting moderation" in text
    (form,) = [f for f in forms_on(queue) if "/undo/" in f.action]
    answer = mod_client.post(form.action, form.on_enter("Too quick.", undo="1"), follow=True)
    assert answer.redirect_chain[-1][0] == f"/moderation/#queue-post-{first.pk}"
    text = visible_text(answer.content)
    assert "Undone: Post 1 on What is a Muscle Cramp? is back in the queue" in text
    assert "2 posts awaiting moderation" in text
    first.refresh_from_db()
    assert first.status == Post.Status.HELD


def test_enter_on_the_undo_page_undoes_nothing_and_keeps_the_note(
    article: Article, thread: list[Post], mod_client: Client
) -> None:
    decide(mod_client, thread[1], "remove")
    entry = ModerationAction.objects.get(action=Action.REMOVE)
    form, _ = undo_form(mod_client, reverse("moderation-undo", args=[entry.pk]))
    answer = mod_client.post(form.action, form.on_enter("My reason"))
    assert answer.status_code == 200 and "My reason</textarea>" in answer.content.decode()
    assert Post.objects.get(pk=thread[1].pk).status == Post.Status.REMOVED
    assert not ModerationAction.objects.filter(action=Action.UNDO).exists()


def test_a_replayed_undo_is_refused_with_the_note_kept(
    article: Article, thread: list[Post], mod_client: Client, moderator: User
) -> None:
    decide(mod_client, thread[1], "remove")
    entry = ModerationAction.objects.get(action=Action.REMOVE)
    url = reverse("moderation-undo", args=[entry.pk])
    assert mod_client.post(url, {"undo": "1", "note": "First."}).status_code == 302
    # Removed again since: the replayed undo of the first removal must not undo the second.
    decide(mod_client, thread[1], "remove")
    again = mod_client.post(url, {"undo": "1", "note": "Second."})
    assert again.status_code == 409
    text = visible_text(again.content)
    assert "That was already undone by moderator on" in text and "nothing was changed" in text
    assert "Second.</textarea>" in again.content.decode()
    assert Post.objects.get(pk=thread[1].pk).status == Post.Status.REMOVED
    assert ModerationAction.objects.filter(action=Action.UNDO).count() == 1


def test_undo_is_refused_when_the_post_changed_since(
    article: Article, thread: list[Post], moderator: User
) -> None:
    services.remove_post(post=thread[1], moderator=moderator)
    entry = ModerationAction.objects.get(action=Action.REMOVE)
    Post.objects.filter(pk=thread[1].pk).update(status=Post.Status.DELETED)
    with pytest.raises(services.AlreadyDecided):
        services.undo(entry=entry, moderator=moderator)
    assert not ModerationAction.objects.filter(action=Action.UNDO).exists()


def test_what_cannot_be_undone_says_why_by_code(
    article: Article, held_post: Callable[..., Post], moderator: User
) -> None:
    post = services.approve(post=held_post(article), moderator=moderator)
    with pytest.raises(CannotUndo) as refused:
        services.undo(
            entry=ModerationAction.objects.get(action=Action.APPROVE), moderator=moderator
        )
    assert refused.value.code == "not_undoable"
    services.remove_post(post=post, moderator=moderator)
    entry = ModerationAction.objects.get(action=Action.REMOVE)
    services.undo(entry=entry, moderator=moderator)
    with pytest.raises(CannotUndo) as refused:
        services.undo(entry=entry, moderator=moderator)
    assert refused.value.code == "already_undone"


def test_the_log_offers_undo_where_it_applies_and_says_who_undid(
    article: Article, thread: list[Post], held_post: Callable[..., Post], mod_client: Client
) -> None:
    decide(mod_client, held_post(article), "approve")
    decide(mod_client, thread[1], "remove")
    entry = ModerationAction.objects.get(action=Action.REMOVE)
    log = mod_client.get("/moderation/log/").content.decode()
    assert log.count(">Undo…<") == 1
    assert f'href="{reverse("moderation-undo", args=[entry.pk])}"' in log
    form, _ = undo_form(mod_client, reverse("moderation-undo", args=[entry.pk]))
    mod_client.post(form.action, {**form.hidden, "undo": "1", "note": "Oops."})
    text = visible_text(mod_client.get("/moderation/log/").content)
    assert ">Undo…<" not in mod_client.get("/moderation/log/").content.decode()
    assert "undone by moderator" in text and "Undone (removed)" in text and "Oops." in text


def test_a_spam_mark_undone_publishes_again_and_is_reported_as_not_spam(
    article: Article, thread: list[Post], mod_client: Client, akismet: list[tuple[str, dict]],
    run_worker: Callable[[], None], django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    decide(mod_client, thread[1], "spam")
    assert "Magnesium worked" not in public_page(article)
    entry = ModerationAction.objects.get(action=Action.SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(reverse("moderation-undo", args=[entry.pk]), {"undo": "1", "note": ""})
    assert "Magnesium worked for my calves." in public_page(article)
    assert post_numbers(public_page(article)) == [3, 2, 1]
    run_worker()
    ((path, form),) = akismet
    assert path == "/1.1/submit-ham"
    assert form["comment_content"] == "Magnesium worked for my calves."
    assert form["comment_author"] == "troll" and form["api_key"] == "test-key"
    assert form["permalink"].endswith(thread[1].get_absolute_url())


def test_a_spam_mark_undone_tells_nobody_when_akismet_is_off(
    article: Article,
    held_post: Callable[..., Post],
    moderator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = services.mark_spam(post=held_post(article), moderator=moderator)
    entry = ModerationAction.objects.get(action=Action.SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        services.undo(entry=entry, moderator=moderator)
    post.refresh_from_db()
    assert post.status == Post.Status.HELD  # back in the queue, as it was
    assert not DBTaskResult.objects.filter(task_path__contains="not_spam").exists()


def test_undoing_a_ban_lifts_it_and_puts_back_the_posts_it_took(
    article: Article, thread: list[Post], troll: User, mod_client: Client, moderator: User
) -> None:
    held = submit_post(
        article=article, body="More of the same.", author=troll, address=address_of("192.0.2.4")
    ).post
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    record = services.ban(
        kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="Rude.", user=troll, remove_posts=True
    )
    assert "Magnesium worked" not in public_page(article)
    entry = ModerationAction.objects.get(action=Action.BAN)
    form, text = undo_form(mod_client, reverse("moderation-undo", args=[entry.pk]))
    assert "The ban on troll is lifted if it still holds, and posts taken down" in text
    mod_client.post(form.action, {**form.hidden, "undo": "1", "note": "Wrong reader."})
    record.refresh_from_db()
    assert not record.is_active
    assert dict(Post.objects.filter(author=troll).values_list("pk", "status")) == {
        thread[1].pk: Post.Status.PUBLISHED,
        held.pk: Post.Status.HELD,
    }
    assert "Magnesium worked for my calves." in public_page(article)
    assert ModerationAction.objects.filter(action=Action.UNDO).count() == 3  # ban, 2 posts


def test_undoing_a_shadow_hiding_shows_the_posts_again_from_the_thread(
    article: Article, thread: list[Post], troll: User, mod_client: Client, moderator: User
) -> None:
    services.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="Trolling.", user=troll)
    assert "Magnesium worked" not in public_page(article)
    mine = mod_client.get(article.get_absolute_url()).content.decode()
    link = reverse("moderation-undo-post", args=[thread[1].pk])
    assert f'href="{link}?next=' in mine and "Undo the shadow-hiding…" in visible_text(mine)
    form, text = undo_form(mod_client, link)
    assert "The shadow-hiding of troll is lifted" in text
    mod_client.post(form.action, {**form.hidden, "undo": "1"})
    assert "Magnesium worked for my calves." in public_page(article)


def test_spam_and_rejected_posts_show_moderators_a_mark_with_undo_and_readers_nothing(
    article: Article, thread: list[Post], held_post: Callable[..., Post], mod_client: Client
) -> None:
    rejected = held_post(article, "Buy pills.")
    decide(mod_client, rejected, "reject")
    decide(mod_client, thread[1], "spam")
    mine = visible_text(mod_client.get(article.get_absolute_url()).content)
    assert f"Post {rejected.number} was rejected; only moderators see this mark." in mine
    assert "Post 2 was marked as spam; only moderators see this mark." in mine
    theirs = public_page(article)
    assert "only moderators" not in theirs and "Undo" not in theirs
    assert post_numbers(theirs) == [3, 1]


@pytest.mark.django_db(transaction=True)
def test_two_moderators_undoing_at_once_undo_once(article: Article, troll: User) -> None:
    first, second = make_moderator("first"), make_moderator("second")
    post = post_comment(article=article, body="Magnesium worked for my calves.", author=troll)
    services.remove_post(post=post, moderator=first)
    entry = ModerationAction.objects.get(action=Action.REMOVE)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press(who: User) -> None:
        try:
            start.wait()
            services.undo(entry=entry, moderator=who)
            outcomes.append("undone")
        except CannotUndo as refusal:
            outcomes.append(str(refusal.code))
        finally:
            connection.close()

    workers = [threading.Thread(target=press, args=(who,)) for who in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["already_undone", "undone"]
    assert ModerationAction.objects.filter(action=Action.UNDO).count() == 1
    assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED


def test_the_thread_of_a_moderator_by_permission_alone_offers_undo(
    article: Article, thread: list[Post], moderator: User
) -> None:
    services.remove_post(post=thread[1], moderator=moderator)
    warden = make_account("warden")
    warden.user_permissions.add(*moderator.user_permissions.all())
    for group in moderator.groups.all():
        warden.groups.add(group)
    html = signed_in(warden).get(article.get_absolute_url()).content.decode()
    assert reverse("moderation-undo-post", args=[thread[1].pk]) in html


def test_undo_is_not_a_button_of_the_queue_form(
    article: Article, thread: list[Post], mod_client: Client, moderator: User
) -> None:
    """Undo goes through its own page and log entry: sent as a decision, it does nothing."""
    services.remove_post(post=thread[1], moderator=moderator)
    for action in ("undo", "UNDO", "keep "):
        answer = mod_client.post(
            reverse("moderation-post-action", args=[thread[1].pk]), {"action": action}, follow=True
        )
        assert "nothing was changed" in visible_text(answer.content)
    assert Post.objects.get(pk=thread[1].pk).status == Post.Status.REMOVED
    assert not ModerationAction.objects.filter(action=Action.UNDO).exists()
