"""Each post's HTML is kept by what it shows: a thread drawn anew after a write draws only
the posts the write changed, every change shows at once, and nothing one viewer sees of
their own (their post's Edit link, a moderator's controls, a form's token) reaches another
viewer through a kept post."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import delete_own_post, edit_own_post, post_comment, submit_post
from knowhow.moderation import services as moderation
from knowhow.moderation.models import ModerationAction
from knowhow.pagecache.csrf import django_accepts
from knowhow.pagecache.fragments import fragments
from tests.pages import visible_text
from tests.people import make_moderator, make_reader

POST_TEMPLATE = "discussion/partials/post.html"
CONTROLS = 'class="mod-controls"'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LONG_AGO = dt.timedelta(hours=2)  # past the window in which an author may change a post


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draw(client: Client, article: Article, **query: str) -> tuple[str, int]:
    """The article page as this client gets it, and how many posts were drawn for it (not
    taken from kept HTML)."""
    response = client.get(article.get_absolute_url(), query)
    assert response.status_code == 200
    drawn = sum(1 for t in response.templates if t.name == POST_TEMPLATE)
    return response.content.decode(), drawn


@pytest.fixture
def thread(article: Article, reader: User) -> list[Post]:
    """Three posts, old enough that no one may still change them: an anonymous one, the
    reader's, and an anonymous answer to the reader's."""
    then = timezone.now() - LONG_AGO
    first = post_comment(article=article, body="Stretching before bed helped me.", now=then)
    theirs = post_comment(article=article, body="Magnesium did it for me.", author=reader, now=then)
    answer = post_comment(
        article=article, body="Which kind of magnesium?", reply_to=theirs.number, now=then
    )
    return [first, theirs, answer]


def test_a_thread_drawn_anew_draws_only_the_post_a_write_changed(
    article: Article, thread: list[Post], moderator: User
) -> None:
    visitor = Client()
    _, drawn = draw(visitor, article)
    assert drawn == 3
    _, drawn = draw(visitor, article)  # the thread is kept whole: no post drawn
    assert drawn == 0
    moderation.edit_post(
        post=thread[0], moderator=moderator, body="Stretching helped me a lot.", note="typo"
    )
    page, drawn = draw(visitor, article)
    assert drawn == 1
    assert "Stretching helped me a lot." in page and "Stretching before bed" not in page
    assert "Magnesium did it for me." in page and "Which kind of magnesium?" in page


def test_switched_off_every_post_is_drawn(
    article: Article, thread: list[Post], settings: Any
) -> None:
    settings.DISCUSSION_KEEP_POSTS = False
    draw(Client(), article)
    fragments().clear(keep_content=True)
    assert draw(Client(), article)[1] == 3


def _edit_by_moderator(posts: list[Post], moderator: User) -> tuple[str, str]:
    moderation.edit_post(
        post=posts[1], moderator=moderator, body="Zinc, not magnesium.", note="fact"
    )
    return "Zinc, not magnesium.", "Magnesium did it for me."


def _edit_by_author(posts: list[Post], moderator: User) -> tuple[str, str]:
    edit_own_post(post=posts[1], body="Magnesium glycinate did it.", account=posts[1].author)
    return "Magnesium glycinate did it.", "Magnesium did it for me."


def _removal(posts: list[Post], moderator: User) -> tuple[str, str]:
    moderation.remove_post(post=posts[1], moderator=moderator, note="medical claim")
    return "removed by a moderator", "Magnesium did it for me."


def _removal_undone(posts: list[Post], moderator: User) -> tuple[str, str]:
    moderation.remove_post(post=posts[1], moderator=moderator, note="by mistake")
    entry = ModerationAction.objects.get(post=posts[1])
    moderation.undo(entry=entry, moderator=moderator, note="it was fine")
    return "Magnesium did it for me.", "removed by a moderator"


def _deleted_by_author(posts: list[Post], moderator: User) -> tuple[str, str]:
    delete_own_post(post=posts[1])
    return "removed by its author", "Magnesium did it for me."


def _spam(posts: list[Post], moderator: User) -> tuple[str, str]:
    moderation.mark_spam(post=posts[0], moderator=moderator)
    return "Magnesium did it for me.", "Stretching before bed helped me."


def _author_leaves(posts: list[Post], moderator: User) -> tuple[str, str]:
    from knowhow.accounts.services import delete_account

    author = posts[1].author
    assert author is not None
    delete_account(user=author, keep_posts=True)
    return "Magnesium did it for me.", author.get_username()


def _author_shadow_hidden(posts: list[Post], moderator: User) -> tuple[str, str]:
    moderation.ban(
        kind=Ban.Kind.SHADOW, user=posts[1].author, moderator=moderator, reason="trolling"
    )
    return "Stretching before bed helped me.", "Magnesium did it for me."


WRITES: dict[str, Callable[[list[Post], User], tuple[str, str]]] = {
    "a moderator's edit": _edit_by_moderator,
    "the author's edit": _edit_by_author,
    "a removal": _removal,
    "a removal undone": _removal_undone,
    "the author's deletion": _deleted_by_author,
    "a spam mark": _spam,
    "the author's account deleted": _author_leaves,
    "the author shadow-hidden": _author_shadow_hidden,
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_that_changes_how_a_post_shows_shows_at_once(
    article: Article, thread: list[Post], write: str
) -> None:
    moderator = make_moderator()
    viewers = [Client(), signed_in(make_reader("onlooker")), signed_in(moderator)]
    for viewer in viewers:
        draw(viewer, article)
    shown, gone = WRITES[write](thread, moderator)
    for viewer in viewers[:2]:
        page, drawn = draw(viewer, article)
        assert drawn < 3  # the posts the write left alone came kept
        text = visible_text(page.encode())
        assert shown in text and gone not in text
    moderators = visible_text(draw(viewers[2], article)[0].encode())
    assert shown in moderators


def test_a_held_post_approved_shows_at_once(
    article: Article, thread: list[Post], moderator: User, settings: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    held = submit_post(
        article=article, body="Is it the calcium?", address=address_of("203.0.113.5")
    )
    assert held.held
    visitor, moderating = Client(), signed_in(moderator)
    assert "Is it the calcium?" not in draw(visitor, article)[0]
    assert "Held for review:" in draw(moderating, article)[0]
    moderation.approve(post=held.post, moderator=moderator)
    page, drawn = draw(visitor, article)
    assert "Is it the calcium?" in page and drawn == 1
    page = draw(moderating, article)[0]
    assert "Is it the calcium?" in page and "Held for review:" not in page


def test_an_answer_shows_what_became_of_the_post_it_answers(
    article: Article, thread: list[Post], reader: User, moderator: User
) -> None:
    visitor = Client()
    page, _ = draw(visitor, article)
    assert re.search(r"In reply to .*Post <bdi>2</bdi></a> \(<bdi>reader</bdi>\)", page)
    moderation.remove_post(post=thread[1], moderator=moderator)
    page, drawn = draw(visitor, article)
    assert drawn == 2  # the removed post and the answer, whose line about it changed
    assert "In reply to" in page and "(<bdi>reader</bdi>)" not in page


def test_a_renamed_author_shows_under_the_new_name(
    article: Article, thread: list[Post], reader: User
) -> None:
    visitor = Client()
    draw(visitor, article)
    reader.username = "renamed"
    reader.save()
    fragments().clear(keep_content=True)  # the thread drawn anew, the posts kept
    page = visible_text(draw(visitor, article)[0].encode())
    assert "renamed" in page and "by reader" not in page


def test_each_language_gets_its_own_kept_posts(
    several_languages: None, article: Article, thread: list[Post]
) -> None:
    english = draw(Client(), article)[0]
    spanish = Client()
    spanish.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page, drawn = draw(spanish, article)
    assert drawn == 3  # the posts kept in English are not the Spanish reader's
    assert ">Reply<" in english and ">Responder<" in page and ">Reply<" not in page


def test_an_authors_edit_link_never_reaches_another_viewer(
    article: Article, thread: list[Post]
) -> None:
    author = make_reader("author")
    fresh = post_comment(article=article, body="Just posted this.", author=author)
    edit = f'href="{article.get_absolute_url()}posts/{fresh.number}/edit/"'
    # Drawn for everyone first, then for the author: they still get their links.
    assert edit not in draw(Client(), article)[0]
    assert edit in draw(signed_in(author), article)[0]
    # And the other way round: drawn for the author, then for anyone else.
    fragments().clear()
    assert edit in draw(signed_in(author), article)[0]
    for other in (Client(), signed_in(make_reader("other")), signed_in(make_moderator())):
        fragments().clear(keep_content=True)
        page = draw(other, article)[0]
        assert edit not in page and "You can change this post until" not in page


def test_an_anonymous_posters_own_links_stay_theirs(article: Article, thread: list[Post]) -> None:
    poster = Client()
    page = poster.get(article.get_absolute_url()).content.decode()
    from tests.conftest import form_data

    sent = poster.post(f"{article.get_absolute_url()}posts/", form_data(article, "I agree."))
    assert sent.status_code == 302
    number = Post.objects.get(body="I agree.").number
    assert f"/posts/{number}/edit/" in draw(poster, article)[0]
    fragments().clear(keep_content=True)
    page = draw(Client(), article)[0]
    assert "I agree." in page and f"/posts/{number}/edit/" not in page


def test_a_moderators_controls_and_tokens_never_reach_anyone_else(
    article: Article, thread: list[Post], reader: User
) -> None:
    first, second = make_moderator("first"), make_moderator("second")
    pages = {}
    for user, secret in ((first, "F" * 32), (second, "S" * 32)):
        fragments().clear(keep_content=True)  # each thread drawn anew, from kept posts
        browser = signed_in(user)
        browser.cookies["csrftoken"] = secret
        page, drawn = draw(browser, article)
        assert CONTROLS in page and "@@hole" not in page
        tokens = TOKEN.findall(page)
        assert len(tokens) >= 4
        assert all(django_accepts(secret, token) for token in tokens)
        pages[user.username] = (tokens, drawn)
    assert pages["first"][1] == 3 and pages["second"][1] == 0  # the second's came kept
    assert not any(django_accepts("F" * 32, token) for token in pages["second"][0])
    for viewer in (Client(), signed_in(reader)):
        fragments().clear(keep_content=True)
        page = draw(viewer, article)[0]
        assert CONTROLS not in page and "/moderation/" not in page and "@@hole" not in page


def test_a_reader_who_may_not_post_is_not_offered_report_and_others_still_are(
    article: Article, thread: list[Post], moderator: User
) -> None:
    banned = make_reader("banned")
    moderation.ban(kind=Ban.Kind.ACCOUNT, user=banned, moderator=moderator, reason="abuse")
    report = f"/posts/{thread[0].number}/report/"
    assert report in draw(Client(), article)[0]
    assert report not in draw(signed_in(banned), article)[0]
    fragments().clear(keep_content=True)
    assert report in draw(signed_in(make_reader("welcome")), article)[0]


def test_a_post_whose_html_alone_changed_shows_it(article: Article, thread: list[Post]) -> None:
    """As a restore over the site or a new rendering of the stored texts would: the same
    post, the same dates, other HTML."""
    from knowhow.discussion.services import threads_changed

    visitor = Client()
    draw(visitor, article)
    posts = Post.objects.filter(pk=thread[0].pk)
    posts.update(body_html="<p>Stretching before bed <em>really</em> helped me.</p>")
    threads_changed(posts)
    page, drawn = draw(visitor, article)
    assert drawn == 1 and "<em>really</em>" in page
