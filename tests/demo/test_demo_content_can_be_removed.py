"""`knowhow demo --remove` takes away exactly what the demo loaded, on a live site: nothing
a reader or the staff made, refused while readers' posts sit on demo articles (unless
--force), and no page keeps showing demo content afterwards."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.facts.models import Event, Fact
from tests import people
from tests.pagecache.conftest import Clock, Server

DEMO_ARTICLE = "what-are-involuntary-muscle-spasms"


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", verbosity=0)


def _own_article(topic_name: str = "Health", writer_name: str = "Helen Marsh") -> Article:
    """Staff's own article, in a demo topic by a demo writer."""
    return Article.objects.create(
        title="Our Own Guide to Sleep",
        slug="our-own-guide-to-sleep",
        topic=Topic.objects.get(name=topic_name),
        written_by=Person.objects.get(name=writer_name),
        body="Sleep matters.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(hours=1),
    )


def _remove(*flags: str) -> str:
    out = StringIO()
    call_command("demo", "--remove", *flags, stdout=out)
    return out.getvalue()


def test_removing_the_demo_keeps_everything_the_site_made(demo: None) -> None:
    own = _own_article()
    member = people.make_reader("real_member")
    post_comment(article=own, body="A real reader on a real article.", author=member)
    own_fact = Fact.objects.create(slug="our-fact", text="Our own fact about sleep.")
    own_event = Event.objects.create(year=2020, month=3, day=4, text="We opened.")

    assert "Demo content removed" in _remove()

    assert list(Article.objects.values_list("slug", flat=True)) == [own.slug]
    assert list(Post.objects.values_list("body", flat=True)) == ["A real reader on a real article."]
    assert list(Fact.objects.all()) == [own_fact] and list(Event.objects.all()) == [own_event]
    assert list(User.objects.values_list("username", flat=True)) == ["real_member"]
    assert list(Person.objects.values_list("name", flat=True)) == ["Helen Marsh"]  # still used
    assert list(Topic.objects.values_list("name", flat=True)) == ["Health"]


def test_it_refuses_while_readers_posted_on_demo_articles(demo: None) -> None:
    article = Article.objects.get(slug=DEMO_ARTICLE)
    member = people.make_reader("real_member")
    post_comment(article=article, body="I am real and posted on the demo.", author=member)
    articles = Article.objects.count()
    with pytest.raises(CommandError, match="1 post"):
        _remove()
    assert Article.objects.count() == articles  # nothing was removed

    _remove("--force")
    assert not Article.objects.exists() and not Post.objects.exists()
    assert User.objects.filter(username="real_member").exists()  # the account stays


def test_a_demo_reader_someone_took_over_is_kept(demo: None) -> None:
    taken = User.objects.get(username="bernie_reads")
    taken.email = "bernie@example.org"
    taken.set_password("now-a-real-account-1")
    taken.save()
    _remove("--force")
    assert User.objects.filter(username="bernie_reads").exists()


def test_no_page_shows_demo_content_after_removal(demo: None) -> None:
    server = Server(Clock())
    article = Article.objects.get(slug=DEMO_ARTICLE)
    for path in ("/", article.get_absolute_url()):
        server.request(path)
        assert server.request(path).cache == "HIT"
    _remove()
    assert article.title not in server.request("/").text
    assert server.request(article.get_absolute_url()).status == 404


def test_removing_twice_removes_nothing_more(demo: None, settings: Any) -> None:
    _remove()
    assert "0 articles with 0 posts, 0 facts, 0 events" in _remove()


def test_removing_the_demo_takes_its_pictures_and_their_files_but_not_one_in_use(
    demo: None,
) -> None:
    from django.core.files.storage import default_storage

    from knowhow.images.models import Image

    pictures = list(Image.objects.all())
    # One for each original demo article, and the Arabic translation's, with its alt text.
    assert len(pictures) == 18
    assert all(image.alt for image in pictures)
    kept = Article.objects.get(slug=DEMO_ARTICLE).lead_image
    assert kept is not None
    own = _own_article()
    own.lead_image = kept
    own.save()
    files = [name for image in pictures if image != kept for name in image.stored_names()]
    assert files and all(default_storage.exists(name) for name in files)

    _remove()

    assert list(Image.objects.all()) == [kept]
    assert not any(default_storage.exists(name) for name in files)
    assert all(default_storage.exists(name) for name in kept.stored_names())
