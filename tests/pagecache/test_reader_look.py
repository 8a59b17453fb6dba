"""The reader's look and the kept pages: light and dark readers share one kept page (the
choice lives in the browser), and an editor's featured article reaches the kept home page
at once."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User

from knowhow.articles import services
from knowhow.articles.models import Article
from tests.pagecache.conftest import Server

# What a browser tells a server of its scheme, where it tells anything (client hints).
DARK = {"Sec-CH-Prefers-Color-Scheme": "dark"}
LIGHT = {"Sec-CH-Prefers-Color-Scheme": "light"}


def test_light_and_dark_readers_get_the_same_kept_bytes_and_no_cookie(
    server: Server, make_article: Callable[..., Article]
) -> None:
    article = make_article()
    for path in ("/", article.topic.get_absolute_url(), article.written_by.get_absolute_url()):
        first = server.request(path, headers=LIGHT)
        dark = server.request(path, headers=DARK)
        light = server.request(path, headers=LIGHT)
        assert (dark.cache, light.cache) == ("HIT", "HIT"), path
        assert dark.body == light.body == first.body, path
        assert (first.cookies, dark.cookies, light.cookies) == ([], [], []), path
        assert "vary" not in dark.headers or "color" not in dark.headers["vary"].lower()
        # The chooser and its script are on the page for everyone; script shows it.
        assert 'id="scheme-choice"' in dark.text and "knowhow/scheme" in dark.text


def test_featuring_an_article_purges_the_kept_home_page(
    server: Server, make_article: Callable[..., Article], editor_account: User
) -> None:
    older = make_article("What is a Stitch?")
    make_article("What is a Knot?")
    before = server.request("/")
    assert server.request("/").cache == "HIT"
    assert 'class="featured' not in before.text

    services.feature_article(article=older, by=editor_account)

    after = server.request("/")
    assert after.cache == "MISS"
    featured = after.text.split('id="featured-heading"', 1)[1].split("</section>", 1)[0]
    assert "What is a Stitch?" in featured and "What is a Knot?" not in featured

    services.feature_article(article=older, by=editor_account, featured=False)
    assert 'id="featured-heading"' not in server.request("/").text
