"""An article's address: shown and changed on the editor page; once readers have seen it,
every old address leads to the new one with a permanent redirect, no chains nor loops, and
an old address is never given to another article."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, ArticleEvent, Topic
from tests import people
from tests.pagecache.conftest import Clock, Server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live(writer_account: User, editor_account: User, topic: Topic) -> Article:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="First words."
    )
    workflow.publish(article=article, by=editor_account)
    return article


def _save(client: Client, article: Article, *, slug: str, title: str = "", base: int = 0,
          body: str = "") -> Client:  # fmt: skip
    """The editor page's form sent with the address typed."""
    article.refresh_from_db()
    assert article.latest_revision is not None
    content = article.latest_revision.content
    return client.post(
        f"/newsroom/articles/{article.pk}/edit/",
        {
            "title": title or content["title"],
            "slug": slug,
            "topic": content["topic"],
            "body": body or content["body"],
            "base": base or article.latest_revision.number,
            "do": "save",
        },
    )


def _moved_to(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 301, path
    return str(response["Location"])


def test_old_addresses_lead_straight_to_the_new_one_after_three_changes(
    live: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    for slug in ("stitches-explained", "side-stitch", "what-causes-a-stitch"):
        assert _save(editor, live, slug=slug).status_code == 302
    reader = Client()
    for old in ("what-is-a-stitch", "stitches-explained", "side-stitch"):
        # Straight to the address now: never to another redirect.
        assert _moved_to(reader, f"/articles/{old}/") == "/articles/what-causes-a-stitch/"
        assert _moved_to(reader, f"/articles/{old}/print/") == (
            "/articles/what-causes-a-stitch/print/"
        )
    assert reader.get("/articles/what-causes-a-stitch/").status_code == 200
    assert _moved_to(reader, "/articles/side-stitch/?page=2") == (
        "/articles/what-causes-a-stitch/?page=2"
    )
    moves = ArticleEvent.objects.filter(article=live, action=ArticleEvent.Action.MOVED)
    assert moves.count() == 3
    assert "Changed the address" in editor.get(f"/newsroom/articles/{live.pk}/edit/").text


def test_going_back_to_an_old_address_makes_no_loop(live: Article, editor_account: User) -> None:
    editor = people.signed_in(editor_account)
    _save(editor, live, slug="stitches-explained")
    _save(editor, live, slug="side-stitch")
    _save(editor, live, slug="what-is-a-stitch")  # the first one again
    reader = Client()
    assert reader.get("/articles/what-is-a-stitch/").status_code == 200
    assert _moved_to(reader, "/articles/stitches-explained/") == "/articles/what-is-a-stitch/"
    assert _moved_to(reader, "/articles/side-stitch/") == "/articles/what-is-a-stitch/"


def test_an_old_address_is_never_given_to_another_article(
    live: Article, editor_account: User, writer_account: User, topic: Topic
) -> None:
    editor = people.signed_in(editor_account)
    _save(editor, live, slug="stitches-explained")
    other = workflow.create_article(by=writer_account, title="What is a Stitch?", topic=topic)
    assert other.slug not in ("what-is-a-stitch", "stitches-explained")
    response = _save(editor, other, slug="what-is-a-stitch")
    assert response.status_code == 400
    assert "belongs to another article" in response.text
    other.refresh_from_db()
    assert other.slug != "what-is-a-stitch"
    assert _moved_to(Client(), "/articles/what-is-a-stitch/") == "/articles/stitches-explained/"
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.change_address(article=other, by=editor_account, address="stitches-explained")
    assert refused.value.code == workflow.ADDRESS_TAKEN


def test_a_new_title_suggests_an_address_but_keeps_the_old_one(
    live: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    page = editor.get(f"/newsroom/articles/{live.pk}/edit/").text
    assert 'name="slug"' in page and 'value="what-is-a-stitch"' in page
    _save(editor, live, slug="what-is-a-stitch", title="Why do Stitches Hurt?")
    live.refresh_from_db()
    assert live.slug == "what-is-a-stitch"  # a suggestion, not forced
    page = editor.get(f"/newsroom/articles/{live.pk}/edit/").text
    assert "The title suggests “why-do-stitches-hurt”" in page


def test_a_draft_readers_never_saw_keeps_no_old_address(writer_account: User, topic: Topic) -> None:
    draft = workflow.create_article(by=writer_account, title="What is a Draft?", topic=topic)
    writer = people.signed_in(writer_account)
    assert _save(writer, draft, slug="drafts-explained").status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "drafts-explained"
    assert not draft.old_addresses.exists()
    assert Client().get("/articles/what-is-a-draft/").status_code == 404


def test_only_an_editor_moves_a_published_article(
    live: Article, writer_account: User, outsider: User
) -> None:
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.change_address(article=live, by=writer_account, address="somewhere-else")
    assert refused.value.code == "forbidden"
    outsider_page = _save(people.signed_in(outsider), live, slug="somewhere-else")
    assert outsider_page.status_code in (302, 403)
    live.refresh_from_db()
    assert live.slug == "what-is-a-stitch"


def test_a_replayed_old_form_moves_nothing(live: Article, editor_account: User) -> None:
    editor = people.signed_in(editor_account)
    _save(editor, live, slug="stitches-explained", body="Second words.")
    # The first form again, sent once more: older than the newest revision, so refused whole.
    replayed = _save(editor, live, slug="side-stitch", base=1, body="Other words.")
    assert replayed.status_code == 409
    live.refresh_from_db()
    assert live.slug == "stitches-explained"


def test_the_kept_pages_follow_the_new_address_at_once(live: Article, editor_account: User) -> None:
    server = Server(Clock())
    old = "/articles/what-is-a-stitch/"
    kept = ["/feed/", "/sitemap-articles.xml", f"/oembed?url=http://127.0.0.1:8000{old}", old]
    for path in kept:
        server.request(path)
        assert server.request(path).cache == "HIT", path
    _save(people.signed_in(editor_account), live, slug="side-stitch")
    moved = server.request(old)
    assert moved.status == 301 and moved.headers["location"] == "/articles/side-stitch/"
    page = server.request("/articles/side-stitch/")
    assert page.status == 200
    assert '<link rel="canonical" href="http://127.0.0.1:8000/articles/side-stitch/"' in page.text
    for path in kept[:2]:
        text = server.request(path).text
        assert "/articles/side-stitch/" in text and old not in text, path
    embed = server.request("/oembed?url=http://127.0.0.1:8000/articles/side-stitch/")
    assert embed.status == 200 and "side-stitch" in embed.text


def test_embeds_and_widgets_holding_an_old_address_show_the_article_at_its_new_one(
    live: Article, editor_account: User
) -> None:
    _save(people.signed_in(editor_account), live, slug="side-stitch")
    reader = Client()
    embed = reader.get("/oembed?url=http://testserver/articles/what-is-a-stitch/")
    assert embed.status_code == 200 and "What is a Stitch?" in embed.text
    card = reader.get("/widgets/article/?article=what-is-a-stitch")
    assert card.status_code == 200
    assert "/articles/side-stitch/" in card.text and "/articles/what-is-a-stitch/" not in card.text


def test_a_post_sent_from_a_page_opened_before_the_move_is_sent_on_with_its_words(
    live: Article, editor_account: User, reader: User
) -> None:
    _save(people.signed_in(editor_account), live, slug="side-stitch")
    sent = people.signed_in(reader).post(
        "/articles/what-is-a-stitch/posts/", {"body": "Typed before the move."}
    )
    assert sent.status_code == 308 and sent["Location"] == "/articles/side-stitch/posts/"


def test_an_address_left_as_it_is_changes_nothing_even_one_older_than_these_rules(
    live: Article, writer_account: User
) -> None:
    Article.objects.filter(pk=live.pk).update(slug="What_is_a_Stitch")  # from an old import
    response = _save(people.signed_in(writer_account), live, slug="What_is_a_Stitch",
                     body="Second words.")  # fmt: skip
    assert response.status_code == 302  # a writer may save a published article's words
    live.refresh_from_db()
    assert live.slug == "What_is_a_Stitch" and not live.old_addresses.exists()
