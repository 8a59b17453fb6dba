"""The seed page rebuilt from ../shared/seed: every section, label and post as it was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from knowhow.facts.models import Event, Fact
from knowhow.moderation.services import remove_post
from tests.pages import SECTION_LABELS, assert_in_order, post_numbers, visible_text


@pytest.fixture
def seed_page(seed_dir: Path, db: None, make_article) -> tuple[dict, Article]:  # type: ignore[no-untyped-def]
    page = json.loads((seed_dir / "page.json").read_text())
    call_command("import", str(seed_dir / "article.md"), verbosity=0)
    article = Article.objects.get(slug=page["article"]["slug"])
    make_article("What Causes Muscle Cramps at Night?", topic=article.topic)
    Fact.objects.create(text=page["did_you_know"]["text"])
    otd = page["on_this_day"]
    Event.objects.create(year=otd["year"], month=otd["month"], day=otd["day"], text=otd["text"])

    simrin = User.objects.create_user("simrin", "simrin@example.org", "pw-simrin-1")
    posts = {p["number"]: p for p in page["discussion"]["posts"]}
    first = post_comment(article=article, body="A first post that a moderator removed.")
    remove_post(post=first)
    post_comment(article=article, body=posts[2]["body"], author=simrin)
    post_comment(article=article, body=posts[3]["body"])
    post_comment(article=article, body=posts[4]["body"])
    return page, article


def test_seed_page_shows_every_section_in_order(seed_page, client: Client) -> None:  # type: ignore[no-untyped-def]
    page, article = seed_page
    html = client.get(article.get_absolute_url()).content.decode()
    text = visible_text(html)
    meta = page["article"]
    expected_in_order = [
        meta["title"],
        "Article Details",
        f"Written By: {meta['written_by']}",
        f"Edited By: {meta['edited_by']}",
        "Last Modified Date: 18 September 2019",
        meta["copyright"],
        "Print this Article",
        "Free Widgets for your Site/Blog",
        page["did_you_know"]["text"],
        "more...",
        "You might also Like",
        "Discuss this Article",
        "Post 4",
        "Post 3",
        "Post 2",
        "Post your comments",
        "Post Anonymously",
        "forgot password?",
    ]
    assert_in_order(text, expected_in_order)
    assert_in_order(text, [meta["title"], *SECTION_LABELS])
    assert post_numbers(html) == [4, 3, 2]
    assert not re.search(r"\bPost 1\b", text)


def test_seed_article_body_and_posts_render_as_paragraphs(seed_page, client: Client) -> None:  # type: ignore[no-untyped-def]
    page, article = seed_page
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article-body"')[1].split("</div>")[0]
    assert body.count("<p>") == page["article"]["paragraphs"]
    text = visible_text(html)
    for post in page["discussion"]["posts"]:
        if "body" in post:
            first_paragraph = post["body"].split("\n\n")[0]
            assert visible_text(first_paragraph) in text


def test_seed_mention_links_to_simrins_post(seed_page, client: Client) -> None:  # type: ignore[no-untyped-def]
    _, article = seed_page
    html = client.get(article.get_absolute_url()).content.decode()
    link = re.search(r'<a href="([^"]+)" class="mention">@simrin</a>', html)
    assert link, "@simrin is not a link"
    response = client.get(link.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith(f"{article.get_absolute_url()}#post-2")
    assert 'id="post-2"' in html


def test_seed_on_this_day_shows_the_day_it_was_rendered(
    seed_page, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    from unittest import mock

    page, article = seed_page
    otd = page["on_this_day"]
    fixed = dt.datetime(2019, otd["month"], otd["day"], 12, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=fixed):
        text = visible_text(client.get(article.get_absolute_url()).content)
    assert f"18 September {otd['year']}: {otd['text']}" in text
    assert "Nothing on record" not in text
