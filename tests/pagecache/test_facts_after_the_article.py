""" "Did you know" and "On this day" come after the article, in an aside of their own, so a
reader hears the article's first sentence first; a topic's editors may turn them off, and
the kept pages of that topic's articles change at once. Both orders of a thread are kept
apart, each changing with the thread."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from knowhow.facts.models import Event, Fact
from tests.pagecache.conftest import Server
from tests.people import make_account

pytestmark = pytest.mark.django_db(transaction=True)

FACTS = 'class="article-facts"'


@pytest.fixture
def facts(db: None) -> None:
    today = timezone.localdate()
    Fact.objects.create(text="Cramps are common at night.")
    Event.objects.create(year=1977, month=today.month, day=today.day, text="A photo of Earth.")


def test_the_facts_follow_the_article_in_a_labelled_aside(
    server: Server, article: Article, facts: None
) -> None:
    html = server.request(article.get_absolute_url()).text
    article_end = html.index("</article>")
    aside = re.search(r'<aside class="article-facts" aria-label="([^"]+)">', html)
    assert aside is not None and aside.group(1) == "Did you know and on this day"
    assert article_end < aside.start() < html.index("Did you know?") < html.index("Discuss this")
    first_words = html.index('class="article-body"')
    assert first_words < aside.start()


def test_a_topic_that_turns_the_facts_off_changes_its_kept_pages_at_once(
    server: Server, other_server: Server, article: Article, facts: None
) -> None:
    url = article.get_absolute_url()
    for process in (server, other_server):
        process.request(url)
        kept = process.request(url)
        assert kept.cache == "HIT" and FACTS in kept.text
    topic = article.topic
    topic.shows_facts = False
    topic.save()
    for process in (server, other_server):
        now = process.request(url)
        assert FACTS not in now.text and "dyk-heading" not in now.text
        assert "Post your comments" in now.text
    topic.shows_facts = True
    topic.save()
    assert FACTS in server.request(url).text


def test_editors_turn_the_facts_off_where_topics_are_edited(article: Article, facts: None) -> None:
    admin: User = make_account("chief", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    topic = article.topic
    form = client.get(f"/admin/articles/topic/{topic.pk}/change/").content.decode()
    assert 'name="shows_facts"' in form
    data = {
        "name": topic.name,
        "slug": topic.slug,
        "description": "",
        "hold_first_posts": "unknown",
    }
    answer = client.post(f"/admin/articles/topic/{topic.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    topic.refresh_from_db()
    assert topic.shows_facts is False
    assert FACTS not in Client().get(article.get_absolute_url()).content.decode()


def test_each_order_of_the_thread_is_kept_apart_and_changes_with_it(
    server: Server, article: Article
) -> None:
    url = article.get_absolute_url()
    for n in (1, 2):
        post_comment(article=article, body=f"Number {n}.")
    for address in (url, f"{url}?order=oldest"):
        server.request(address)
    newest, oldest = server.request(url), server.request(f"{url}?order=oldest")
    assert newest.cache == oldest.cache == "HIT"
    assert newest.text.index('id="post-2"') < newest.text.index('id="post-1"')
    assert oldest.text.index('id="post-1"') < oldest.text.index('id="post-2"')
    post_comment(article=article, body="Number 3.")
    assert 'id="post-3"' in server.request(url).text
    assert 'id="post-3"' in server.request(f"{url}?order=oldest").text
