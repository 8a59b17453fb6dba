"""Moderators act where they read: on the article's thread, each post shows them its
controls (remove, edit with a note, ban), and held and shadow-hidden posts are shown to
them in place, marked. Everyone else sees the thread as before, and cannot use the controls.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services as moderation
from knowhow.moderation.models import ModerationAction
from tests.conftest import form_data
from tests.pages import visible_text
from tests.people import make_account, signed_in

CONTROLS = 'class="mod-controls"'


def thread_of(client: Client, article: Article) -> str:
    answer = client.get(article.get_absolute_url())
    assert answer.status_code == 200
    return answer.content.decode()


def controls_of(html: str, number: int) -> str:
    """The moderator's controls of Post `number` on a thread page."""
    found = re.search(
        rf'<article class="post[^"]*" id="post-{number}".*?</article>', html, flags=re.S
    )
    assert found, f"Post {number} is not on the page"
    part = found.group(0)
    assert CONTROLS in part, f"Post {number} has no controls"
    return part[part.index(CONTROLS) :]


def place(article: Article, number: int) -> str:
    return f"{article.get_absolute_url()}#post-{number}"


@pytest.fixture
def troll(db: None) -> User:
    return make_account("troll")


@pytest.fixture
def trolling(article: Article, troll: User) -> Post:
    """A published post nobody has reported, after a reader's."""
    post_comment(article=article, body="Stretching before bed helped me.")
    return post_comment(article=article, body="Everyone here is an idiot.", author=troll)


def test_a_moderator_sees_controls_on_every_published_post(
    article: Article, trolling: Post, mod_client: Client
) -> None:
    html = thread_of(mod_client, article)
    for number in (1, 2):
        mine = controls_of(html, number)
        post = Post.objects.get(article=article, number=number)
        assert f'action="{reverse("moderation-post-action", args=[post.pk])}"' in mine
        assert f'name="next" value="{place(article, number)}"' in mine
        assert 'name="action" value="remove"' in mine
        assert f'<label for="mod-note-{number}">Reason' in mine
        assert f"{reverse('moderation-edit', args=[post.pk])}?next=" in mine
        assert f"{reverse('moderation-ban-post', args=[post.pk])}?next=" in mine
    text = visible_text(html)
    assert "Edit with a note: Post 2" in text and "Ban… the poster of Post 2" in text


def test_a_moderator_by_permission_alone_sees_the_controls(
    article: Article, trolling: Post
) -> None:
    # Not staff: the permission comes through a group, as a site may hand it out.
    group = Group.objects.create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_post"))
    warden = make_account("warden")
    warden.groups.add(group)
    assert CONTROLS in thread_of(signed_in(warden), article)


@pytest.mark.parametrize("who", ["anonymous", "reader", "outsider"])
def test_readers_and_visitors_see_the_thread_as_before(
    article: Article, trolling: Post, reader: User, outsider: User, who: str
) -> None:
    client = {"anonymous": Client(), "reader": signed_in(reader), "outsider": signed_in(outsider)}
    html = thread_of(client[who], article)
    assert "Everyone here is an idiot." in html
    assert CONTROLS not in html
    assert "/moderation/" not in html
    assert 'aria-label="Report Post 2"' in html


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("moderation-post-action", {"action": "remove", "note": "gone"}),
        ("moderation-edit", {"body": "Rewritten by a stranger.", "note": "because"}),
        ("moderation-ban-post", {"kind": "account", "reason": "no", "expires": "never"}),
    ],
)
def test_the_outsider_cannot_use_the_controls(
    article: Article, trolling: Post, outsider: User, name: str, fields: dict[str, str]
) -> None:
    url = reverse(name, args=[trolling.pk])
    answer = signed_in(outsider).post(url, {**fields, "next": place(article, 2)})
    assert answer.status_code == 403
    signed_out = Client().post(url, {**fields, "next": place(article, 2)})
    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/accounts/")
    trolling.refresh_from_db()
    assert trolling.status == Post.Status.PUBLISHED
    assert trolling.body == "Everyone here is an idiot."
    assert not Ban.objects.exists() and not ModerationAction.objects.exists()


def test_removing_from_the_thread_keeps_the_posts_number(
    article: Article, trolling: Post, mod_client: Client
) -> None:
    answer = mod_client.post(
        reverse("moderation-post-action", args=[trolling.pk]),
        {"action": "remove", "note": "Insults readers.", "next": place(article, 2)},
    )
    assert answer.status_code == 302 and answer["Location"] == place(article, 2)
    page = mod_client.get(answer["Location"]).content.decode()
    assert "Removed Post 2 on What is a Muscle Cramp?" in visible_text(page)
    anonymous = visible_text(thread_of(Client(), article))
    assert "Everyone here is an idiot." not in anonymous
    assert "A post here was removed by a moderator." in anonymous
    assert "Post 1" in anonymous
    logged = ModerationAction.objects.get(action=ModerationAction.Action.REMOVE)
    assert logged.post == trolling and logged.note == "Insults readers."
    # The next post takes the next number: the removed one keeps its own.
    assert post_comment(article=article, body="And on we go.").number == 3


def test_editing_from_the_thread_is_logged_with_its_note(
    article: Article, trolling: Post, mod_client: Client
) -> None:
    url = reverse("moderation-edit", args=[trolling.pk])
    form = mod_client.get(f"{url}?next={article.get_absolute_url()}%23post-2").content.decode()
    assert f'name="next" value="{place(article, 2)}"' in form
    assert f'<a href="{place(article, 2)}">Cancel</a>' in form
    answer = mod_client.post(
        url,
        {
            "body": "[Removed: an insult.]",
            "note": "No insults, please.",
            "next": place(article, 2),
            "save": "1",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == place(article, 2)
    assert "[Removed: an insult.]" in thread_of(Client(), article)
    logged = ModerationAction.objects.get(action=ModerationAction.Action.EDIT)
    assert logged.note == "No insults, please."
    assert logged.before == "Everyone here is an idiot."
    assert logged.after == "[Removed: an insult.]"


def test_an_edit_without_a_note_keeps_the_moderators_text_and_the_way_back(
    article: Article, trolling: Post, mod_client: Client
) -> None:
    answer = mod_client.post(
        reverse("moderation-edit", args=[trolling.pk]),
        {"body": "[Removed.]", "note": " ", "next": place(article, 2), "save": "1"},
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Say why you edited the post" in visible_text(html)
    assert "[Removed.]" in html and f'name="next" value="{place(article, 2)}"' in html
    trolling.refresh_from_db()
    assert trolling.body == "Everyone here is an idiot."


@pytest.mark.parametrize("kind", [Ban.Kind.ACCOUNT, Ban.Kind.ADDRESS, Ban.Kind.NETWORK])
def test_banning_from_the_thread_stops_the_poster(
    article: Article, mod_client: Client, troll: User, kind: str
) -> None:
    # The troll posts from the site, so the post carries the address it came from.
    troll_browser = signed_in(troll)
    sent = troll_browser.post(
        f"{article.get_absolute_url()}posts/",
        form_data(article, "Everyone here is an idiot."),
        REMOTE_ADDR="203.0.113.7",
    )
    assert sent.status_code == 302
    post = Post.objects.get(article=article, number=1)
    html = thread_of(mod_client, article)
    ban_link = f"{reverse('moderation-ban-post', args=[post.pk])}?next="
    assert ban_link in controls_of(html, 1)
    form = mod_client.get(f"{ban_link}{article.get_absolute_url()}%23post-1").content.decode()
    assert f'value="{kind}"' in form
    answer = mod_client.post(
        reverse("moderation-ban-post", args=[post.pk]),
        {
            "kind": kind,
            "reason": "Trolling.",
            "expires": "7",
            "next": place(article, 1),
            "confirm": "yes",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == place(article, 1)
    record = Ban.objects.get()
    assert record.kind == kind and record.source_post == post
    assert ModerationAction.objects.filter(action=ModerationAction.Action.BAN, ban=record).exists()
    # From a neighbouring address for a network ban; from any address for an account ban.
    where = {"account": "198.51.100.9", "address": "203.0.113.7", "network": "203.0.113.99"}
    again = troll_browser.post(
        f"{article.get_absolute_url()}posts/",
        form_data(article, "Still here.", **{"as": "anonymous"}),
        REMOTE_ADDR=where[kind],
    )
    assert again.status_code == 403
    assert not Post.objects.filter(body="Still here.").exists()


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "moderation/"]
)
def test_the_way_back_never_leaves_the_site(
    article: Article, trolling: Post, mod_client: Client, elsewhere: str
) -> None:
    url = reverse("moderation-post-action", args=[trolling.pk])
    answer = mod_client.post(url, {"action": "remove", "note": "", "next": elsewhere})
    # The queue, at the post's place there (where it stays a while, with Undo).
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('moderation-queue')}#queue-post-{trolling.pk}"
    # A place on the thread is where the moderator goes back to, even when nothing changed.
    again = mod_client.post(url, {"action": "remove", "note": "", "next": place(article, 2)})
    assert again.status_code == 302 and again["Location"] == place(article, 2)


def test_a_held_post_is_shown_in_place_to_moderators_only(
    article: Article,
    mod_client: Client,
    reader: User,
    held_post: Callable[..., Post],
) -> None:
    post_comment(article=article, body="A post everyone sees.")
    held = held_post(article, "A link-heavy post the filters held.")
    moderator_view = thread_of(mod_client, article)
    mine = controls_of(moderator_view, held.number)
    assert "A link-heavy post the filters held." in moderator_view
    text = visible_text(moderator_view)
    assert f"Held for review: {held.held_because}" in text
    assert 'name="action" value="approve"' in mine and 'name="action" value="reject"' in mine
    assert 'name="action" value="remove"' not in mine  # a held post is rejected, not removed
    for client in (Client(), signed_in(reader)):
        html = thread_of(client, article)
        assert "A link-heavy post the filters held." not in html
        assert "Held for review" not in html
    answer = mod_client.post(
        reverse("moderation-post-action", args=[held.pk]),
        {"action": "approve", "next": place(article, held.number)},
    )
    assert answer["Location"] == place(article, held.number)
    assert "A link-heavy post the filters held." in thread_of(Client(), article)


def test_rejecting_a_held_post_from_the_thread_keeps_it_off_the_page(
    article: Article, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    held = held_post(article, "Buy cheap pills here.")
    mod_client.post(
        reverse("moderation-post-action", args=[held.pk]),
        {"action": "reject", "note": "Advertising.", "next": place(article, held.number)},
    )
    held.refresh_from_db()
    assert held.status == Post.Status.REJECTED
    assert "Buy cheap pills here." not in thread_of(mod_client, article)
    assert "Buy cheap pills here." not in thread_of(Client(), article)


def test_a_shadow_hidden_authors_post_is_marked_for_moderators_only(
    article: Article, troll: User, moderator: User, mod_client: Client, reader: User
) -> None:
    moderation.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="spam", user=troll)
    outcome = submit_post(
        article=article, body="Only I think I am heard.", author=troll, address=address_of("")
    )
    assert outcome.post.shadow
    html = thread_of(mod_client, article)
    assert "Only I think I am heard." in html
    assert "Shadow-hidden:" in visible_text(html)
    assert CONTROLS in controls_of(html, outcome.post.number)
    for client in (Client(), signed_in(reader)):
        assert "Only I think I am heard." not in thread_of(client, article)
    # Its author still sees it, without the moderators' mark.
    own = thread_of(signed_in(troll), article)
    assert "Only I think I am heard." in own and "Shadow-hidden" not in own


def test_a_moderators_thread_costs_as_many_queries_for_ten_posts_as_for_two(
    article: Article, trolling: Post, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    def queries() -> int:
        thread_of(mod_client, article)  # the parts kept for everyone are kept by now
        with CaptureQueriesContext(connection) as done:
            thread_of(mod_client, article)
        return len(done)

    few = queries()
    for n in range(4):
        post_comment(
            article=article, body=f"Another post, number {n}.", author=make_account(f"r{n}")
        )
        held_post(article, f"Another held post, number {n}.")
    assert queries() == few
