"""Readers correct, delete, answer and report posts."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation.models import Flag
from tests.conftest import form_data
from tests.pages import post_numbers, visible_text
from tests.people import make_reader


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_author_edits_own_post_within_the_window(article: Article, reader: User) -> None:
    post = post_comment(article=article, body="Stretching helps sometims.", author=reader)
    client = signed_in(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/posts/{post.number}/edit/" in page
    response = client.post(
        f"{article.get_absolute_url()}posts/1/edit/", {"body": "Stretching helps sometimes."}
    )
    assert response.status_code == 302
    text = visible_text(client.get(article.get_absolute_url()).content)
    assert "Stretching helps sometimes." in text and "edited" in text


def test_edit_window_closes(article: Article, reader: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DISCUSSION_EDIT_WINDOW_MINUTES = 15
    post_comment(article=article, body="Old words.", author=reader,
                 now=timezone.now() - dt.timedelta(minutes=16))  # fmt: skip
    client = signed_in(reader)
    assert "/posts/1/edit/" not in client.get(article.get_absolute_url()).content.decode()
    response = client.post(f"{article.get_absolute_url()}posts/1/edit/", {"body": "New words."})
    assert response.status_code == 403
    assert Post.objects.get().body == "Old words."


def test_outsider_cannot_edit_or_delete_someone_elses_post(
    article: Article, reader: User, outsider: User
) -> None:
    post_comment(article=article, body="Mine.", author=reader)
    client = signed_in(outsider)
    assert (
        client.post(
            f"{article.get_absolute_url()}posts/1/edit/", {"body": "Yours now."}
        ).status_code
        == 403
    )
    assert client.post(f"{article.get_absolute_url()}posts/1/delete/").status_code == 403
    assert Client().post(f"{article.get_absolute_url()}posts/1/delete/").status_code == 403
    assert Post.objects.get().body == "Mine." and Post.objects.get().status == "published"


def test_anonymous_poster_can_change_their_post_from_the_same_browser(article: Article) -> None:
    client = Client()
    client.post(f"{article.get_absolute_url()}posts/", form_data(article, "Typo hear."))
    assert (
        client.post(
            f"{article.get_absolute_url()}posts/1/edit/", {"body": "Typo here."}
        ).status_code
        == 302
    )
    assert Post.objects.get().body == "Typo here."
    other_browser = Client()
    assert other_browser.post(f"{article.get_absolute_url()}posts/1/delete/").status_code == 403


def test_deleting_keeps_the_number_and_says_removed_by_its_author(
    article: Article, reader: User
) -> None:
    post_comment(article=article, body="First.")
    post_comment(article=article, body="Second, to be deleted.", author=reader)
    post_comment(article=article, body="Third.")
    client = signed_in(reader)
    client.post(f"{article.get_absolute_url()}posts/2/delete/")
    html = Client().get(article.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert post_numbers(html) == [3, 1]
    assert "A post here was removed by its author." in text
    assert "Second, to be deleted." not in text
    assert text.index("Post 3") < text.index("removed by its author") < text.index("Post 1")
    assert post_comment(article=article, body="Fourth.").number == 4


def test_moderator_removal_says_so(article: Article) -> None:
    from knowhow.moderation.services import remove_post

    remove_post(post=post_comment(article=article, body="Bad."))
    assert "removed by a moderator" in visible_text(
        Client().get(article.get_absolute_url()).content
    )


def test_edit_that_adds_blocked_content_is_held(article: Article, reader: User) -> None:
    from knowhow.antiabuse.models import BlockedTerm

    BlockedTerm.objects.create(kind="word", value="casino")
    post_comment(article=article, body="Innocent.", author=reader)
    signed_in(reader).post(f"{article.get_absolute_url()}posts/1/edit/", {"body": "Try my casino."})
    post = Post.objects.get()
    assert post.status == Post.Status.HELD and post.held_because.startswith("edited")


def test_reply_link_mentions_a_named_author(article: Article, reader: User) -> None:
    post_comment(article=article, body="Is magnesium useful?", author=reader)
    page = Client().get(f"{article.get_absolute_url()}?reply=1").content.decode()
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)
    # A browser drops the one line break a textarea's text may start with.
    assert textarea and textarea.group(1).removeprefix("\n") == "@reader "
    assert 'name="reply_to" value="1"' in page
    assert "Replying to" in visible_text(page)


def test_reply_to_an_anonymous_post_quotes_it(article: Article, client: Client) -> None:
    post_comment(article=article, body="My calves cramp at night.\n\nAny ideas?")
    page = client.get(f"{article.get_absolute_url()}?reply=1").content.decode()
    assert "&gt; My calves cramp at night. (Post 1)" in page
    client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, "Try stretching.", reply_to="1")
    )
    reply = Post.objects.get(number=2)
    assert reply.reply_to is not None and reply.reply_to.number == 1


def test_reader_reports_a_post_and_enough_reports_hide_it(
    article: Article, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.FLAG_THRESHOLD = 2
    settings.ESTABLISHED_ACCOUNT_DAYS = settings.ESTABLISHED_POSTS = 0
    post_comment(article=article, body="Drink bleach to cure cramps.")
    url = f"{article.get_absolute_url()}posts/1/report/"
    assert "Why are you reporting this post?" in visible_text(client.get(url).content)
    client.force_login(make_reader("first"))
    client.post(url, {"reason": "harmful", "note": "Dangerous advice"}, REMOTE_ADDR="192.0.2.1")
    again = client.post(url, {"reason": "harmful"}, REMOTE_ADDR="192.0.2.1", follow=True)
    assert "You had already reported Post 1." in visible_text(again.content)
    assert Post.objects.get().status == Post.Status.PUBLISHED
    # another network, and an anonymous report: it reaches the queue but hides nothing
    Client().post(url, {"reason": "other"}, REMOTE_ADDR="203.0.113.2")
    assert Post.objects.get().status == Post.Status.PUBLISHED
    signed_in(make_reader("second")).post(url, {"reason": "spam"}, REMOTE_ADDR="198.51.100.2")
    post = Post.objects.get()
    assert post.status == Post.Status.HELD and post.held_because == "reported by 2 readers"
    assert set(Flag.objects.values_list("reason", flat=True)) == {"harmful", "spam", "other"}
    assert "Drink bleach" not in visible_text(Client().get(article.get_absolute_url()).content)


def test_report_needs_a_reason(article: Article, client: Client) -> None:
    post_comment(article=article, body="Hm.")
    response = client.post(f"{article.get_absolute_url()}posts/1/report/", {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in visible_text(response.content)
    assert not Flag.objects.exists()


def test_hidden_held_post_cannot_be_reported_or_replied_to(
    article: Article, settings, client: Client
) -> None:  # type: ignore[no-untyped-def]
    settings.HOLD_ANONYMOUS_POSTS = True
    from knowhow.discussion.services import submit_post

    submit_post(article=article, body="Held words.", address=address_of("192.0.2.9"))
    assert client.get(f"{article.get_absolute_url()}posts/1/report/").status_code == 404
    page = client.get(f"{article.get_absolute_url()}?reply=1").content.decode()
    assert "Held words" not in page


def test_innocent_posts_edited_into_the_same_text_on_two_articles_are_held(
    article: Article,
    make_article,
    reader: User,  # type: ignore[no-untyped-def]
) -> None:
    other = make_article("What is a Stitch?", slug="what-is-a-stitch")
    spam = "Cheap cramp pills delivered overnight, order from pillshop today!"
    post_comment(article=article, body="Stretching before bed helps me.", author=reader)
    post_comment(article=other, body="Drinking water helped my stitch.", author=reader)
    client = signed_in(reader)
    client.post(f"{article.get_absolute_url()}posts/1/edit/", {"body": spam})
    client.post(f"{other.get_absolute_url()}posts/1/edit/", {"body": spam})
    second = Post.objects.get(article=other)
    assert second.status == Post.Status.HELD
    assert "the same text was posted elsewhere today" in second.held_because
    assert spam not in visible_text(Client().get(other.get_absolute_url()).content)


def test_an_edit_into_text_a_new_post_repeats_holds_the_new_post(
    article: Article,
    make_article,
    reader: User,  # type: ignore[no-untyped-def]
) -> None:
    other = make_article("What is a Stitch?", slug="what-is-a-stitch")
    spam = "Cheap cramp pills delivered overnight, order from pillshop today!"
    post_comment(article=article, body="Stretching before bed helps me.", author=reader)
    signed_in(reader).post(f"{article.get_absolute_url()}posts/1/edit/", {"body": spam})
    Client().post(f"{other.get_absolute_url()}posts/", form_data(other, spam))
    assert Post.objects.get(article=other).status == Post.Status.HELD
