"""Nothing by accident: Enter in any field of a moderation form changes nothing (it presses
the form's first button, which is a harmless one), and a ban asks to confirm what it will do
before it is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation.models import ModerationAction
from tests.pages import PageForm, forms_on, visible_text
from tests.people import make_account

TYPED = "A note typed before pressing Enter"


@pytest.fixture
def troll(db: None) -> User:
    return make_account("troll")


@pytest.fixture
def desk(
    article: Article,
    troll: User,
    held_post: Callable[..., Post],
    report: Callable[..., None],
) -> list[Post]:
    """A queue with two held posts and a reported one, and a thread with the troll's posts."""
    walker = make_account("walker")
    good = post_comment(article=article, body="Stretching before bed helped me.", author=walker)
    report(good, reason="off_topic")
    assert good.status == Post.Status.PUBLISHED
    rude = submit_post(
        article=article, body="Everyone here is an idiot.", author=troll,
        address=address_of("192.0.2.44"),
    ).post  # fmt: skip
    return [held_post(article), held_post(article, "Buy cheap pills now."), good, rude]


def state() -> dict[str, Any]:
    """Everything a moderator's slip could change."""
    return {
        "posts": sorted(Post.objects.values_list("pk", "status", "body", "shadow")),
        "bans": Ban.objects.count(),
        "terms": sorted(BlockedTerm.objects.values_list("value", flat=True)),
        "log": ModerationAction.objects.count(),
    }


def moderation_forms(html: bytes, page: str = "") -> list[PageForm]:
    """The moderation forms of a page that change something (a form without an action posts
    to the page itself); the queue's filters are a GET form, which changes nothing."""
    forms = forms_on(html)
    for form in forms:
        form.action = form.action or page
    return [
        form for form in forms if form.action.startswith("/moderation/") and form.method == "post"
    ]


def press_enter(client: Client, page: str, form: PageForm, **extra: object) -> Any:
    return client.post(form.action or page, form.on_enter(TYPED, **extra))


def test_enter_in_any_note_on_the_queue_changes_no_post(
    desk: list[Post], mod_client: Client
) -> None:
    before = state()
    forms = moderation_forms(mod_client.get("/moderation/").content)
    # A form per post in the queue (two held, one reported), and the bulk form.
    assert len(forms) == 4, [form.action for form in forms]
    for form in forms:
        assert form.typed, f"{form.action} has no note"
        # The worst case for the bulk form: every post ticked and "Reject" chosen.
        ticked = {"post": [p.pk for p in desk], "action": "reject"} if form.id == "bulk" else {}
        answer = press_enter(mod_client, "/moderation/", form, **ticked)
        assert answer.status_code in (200, 302), form.action
        assert state() == before, f"Enter in {form.action} changed something"
    # The bulk form comes back as it was, with the note, the action and the ticks.
    html = press_enter(mod_client, "/moderation/", forms[-1], post=[desk[0].pk], action="reject")
    page = html.content.decode()
    assert "Nothing was changed." in visible_text(page)
    assert f'value="{TYPED}"' in page and '<option value="reject" selected>' in page
    assert f'id="select-{desk[0].pk}" form="bulk" checked' in page


def test_enter_in_the_reason_on_the_thread_changes_no_post(
    article: Article, desk: list[Post], mod_client: Client
) -> None:
    before = state()
    forms = moderation_forms(mod_client.get(article.get_absolute_url()).content)
    assert len(forms) == 4  # every post of the thread, held ones included, has controls
    for form in forms:
        assert form.typed == ["note"]
        answer = press_enter(mod_client, article.get_absolute_url(), form)
        assert answer.status_code == 302
        assert state() == before, f"Enter in {form.action} changed something"


# What a moderator might have chosen and typed in each form before pressing Enter.
CHOSEN: dict[str, dict[str, object]] = {
    "edit": {},
    "ban": {"kind": "account", "expires": "7", "remove_posts": "on"},
    "bans-name": {
        "reader-username": "troll",
        "reader-kinds": ["account", "address"],
        "reader-expires": "7",
        "reader-remove_posts": "on",
    },
    "bans-range": {"expires": "7", "cidr": "192.0.2.0/24"},
    "blocklist": {"kind": "word", "value": "idiot"},
}


@pytest.mark.parametrize("page", list(CHOSEN))
def test_enter_in_the_fields_of_each_form_page_changes_nothing_and_keeps_the_text(
    page: str, desk: list[Post], mod_client: Client
) -> None:
    rude = desk[3]
    url = {
        "edit": reverse("moderation-edit", args=[rude.pk]),
        "ban": reverse("moderation-ban-post", args=[rude.pk]),
        "bans-name": reverse("moderation-bans"),
        "bans-range": reverse("moderation-bans"),
        "blocklist": reverse("moderation-blocklist"),
    }[page]
    before = state()
    forms = [form for form in moderation_forms(mod_client.get(url).content, url) if form.typed]
    form = forms[-1] if page == "bans-range" else forms[0]
    answer = mod_client.post(url, {**form.on_enter(TYPED), **CHOSEN[page]})
    assert answer.status_code in (200, 400)
    assert state() == before
    html = answer.content.decode()
    assert TYPED in html or "idiot" in html or "192.0.2.0/24" in html, "what was typed is gone"


def test_keep_changes_nothing_and_says_so(desk: list[Post], mod_client: Client) -> None:
    before = state()
    answer = mod_client.post(
        reverse("moderation-post-action", args=[desk[0].pk]),
        {"action": "keep", "note": "x"},
        follow=True,
    )
    assert state() == before
    assert f"Nothing was changed on Post {desk[0].number} on" in visible_text(
        answer.content.decode()
    )


def test_a_ban_that_removes_posts_asks_first_with_what_it_will_do(
    article: Article, desk: list[Post], troll: User, mod_client: Client
) -> None:
    held = submit_post(
        article=article, body="More of the same.", author=troll, address=address_of("192.0.2.44")
    ).post
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    rude = desk[3]
    url = reverse("moderation-ban-post", args=[rude.pk])
    terms = {"kind": "account", "reason": "Insults.", "expires": "7", "remove_posts": "on"}
    before = state()

    asked = mod_client.post(url, {**terms, "review": "1"})
    assert asked.status_code == 200
    text = visible_text(asked.content.decode())
    assert "Remove 2 posts and ban troll for 7 days?" in text
    assert state() == before

    # "Change the ban" goes back to the form with every answer kept.
    (confirm,) = moderation_forms(asked.content, url)
    assert confirm.default == ("change", "1")
    back = mod_client.post(url, confirm.on_enter(""))
    assert state() == before
    page = back.content.decode()
    assert 'value="account" id="id_kind_0" required checked' in page or (
        'name="kind" value="account"' in page and "checked" in page
    )
    assert "Insults." in page

    done = mod_client.post(url, {**confirm.hidden, "confirm": "yes"}, follow=True)
    message = visible_text(done.content.decode())
    assert "Banned troll (account may not post) until" in message
    assert "and took down 2 of their posts" in message
    rude.refresh_from_db()
    held.refresh_from_db()
    assert (rude.status, held.status) == (Post.Status.REMOVED, Post.Status.REJECTED)
    assert Ban.objects.active().filter(user=troll, kind=Ban.Kind.ACCOUNT).count() == 1
    # Other readers' posts are untouched.
    assert Post.objects.get(pk=desk[2].pk).status == Post.Status.PUBLISHED
    # The thread shows the removed post's number, for everyone.
    html = Client().get(article.get_absolute_url()).content.decode()
    assert f'id="post-{rude.number}"' in html and "removed by a moderator" in html


def test_a_range_ban_asks_first(desk: list[Post], mod_client: Client) -> None:
    before = state()
    asked = mod_client.post(
        reverse("moderation-bans"),
        {"cidr": "192.0.2.0/24", "reason": "", "expires": "never", "review": "1"},
    )
    assert "Ban the range 192.0.2.0/24 until lifted?" in visible_text(asked.content.decode())
    assert state() == before
