"""The spam guard judges what reaches the page: the links a browser would open and the
words a reader sees, however the Markdown spells them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.moderation import services as moderation
from tests.conftest import form_data


def send(article: Article, body: str, client: Client | None = None) -> Post:
    """Post through the article page's form, as a reader's browser does."""
    answer = (client or Client()).post(
        f"{article.get_absolute_url()}posts/", form_data(article, body)
    )
    assert answer.status_code == 302
    return Post.objects.order_by("-pk").first()  # type: ignore[return-value]


@pytest.fixture
def blocked(moderator: User) -> None:
    moderation.block_term(kind=BlockedTerm.Kind.DOMAIN, value="spam.example", moderator=moderator)
    moderation.block_term(kind=BlockedTerm.Kind.WORD, value="viagra", moderator=moderator)


@pytest.mark.parametrize(
    "body",
    [
        "[buy](//spam.example/buy)",  # protocol-relative
        "[buy](https:spam.example/buy)",  # no slashes: a site on http opens spam.example
        "[buy](https:/spam.example/buy)",
        "[buy](https:///spam.example/buy)",
        "[buy](https&#58;//spam.example/buy)",  # renders as https://spam.example/buy
        "[buy](&#x2F;&#x2F;spam.example/buy)",
        "[buy](https://spam.example./buy)",  # trailing dot, the same host
        "[buy](https://spam%2Eexample/buy)",  # a browser decodes the host
        "[buy](mailto:sales@spam.example)",
        "Buy now at ｈｔｔｐｓ://spam.example/buy",  # fullwidth letters fold to https
        "Buy now at https:\\\\\\\\spam.example\\\\buy",  # backslashes count as slashes
        "Buy now at spam.example/buy",  # named without a scheme
    ],
)
def test_a_blocked_domain_holds_the_post_however_the_link_is_written(
    article: Article, blocked: None, body: str
) -> None:
    post = send(article, f"Cramps gone overnight. {body}")
    assert post.status == Post.Status.HELD
    assert "links to blocked domain spam.example" in post.held_because
    assert "Cramps gone overnight." not in Client().get(article.get_absolute_url()).content.decode()


def test_a_blocked_international_domain_holds_links_in_either_spelling(
    article: Article, moderator: User
) -> None:
    moderation.block_term(kind=BlockedTerm.Kind.DOMAIN, value="пример.рф", moderator=moderator)
    punycode = send(article, "Cheap: [shop](https://xn--e1afmkfd.xn--p1ai/buy)")
    moderation.block_term(
        kind=BlockedTerm.Kind.DOMAIN, value="xn--mgbh0fb.xn--kgbechtv", moderator=moderator
    )
    unicode = send(article, "Cheap: [shop](https://SHOP.مثال.إختبار/buy)")
    assert punycode.status == unicode.status == Post.Status.HELD
    assert "blocked domain" in punycode.held_because and "blocked domain" in unicode.held_because


def test_a_link_hiding_its_host_behind_a_user_name_is_judged_by_the_host(
    article: Article, moderator: User
) -> None:
    moderation.block_term(kind=BlockedTerm.Kind.DOMAIN, value="spam.example", moderator=moderator)
    fine = send(article, "[good](https://spam.example@good.example/)")
    bad = send(article, "[good](https://good.example@spam.example./)")
    assert fine.status == Post.Status.PUBLISHED
    assert bad.status == Post.Status.HELD


@pytest.mark.parametrize(
    "links",
    [
        "[a](//a.example) [b](//b.example) [c](//c.example) [d](//d.example) [e](//e.example)",
        "[a](https:a.example) [b](https:b.example) [c](https:c.example)",
        "[a](HTTPS://A.EXAMPLE) [b](&#x2F;&#x2F;b.example) [c](mailto:c@c.example)",
    ],
)
def test_links_however_written_count_against_the_anonymous_limit(
    article: Article, links: str
) -> None:
    post = send(article, f"Look here: {links}")
    assert post.status == Post.Status.HELD
    assert "links in an anonymous post (limit 2)" in post.held_because


def test_links_to_the_site_itself_do_not_count_as_links_out(article: Article) -> None:
    path = article.get_absolute_url()
    body = f"See [one]({path}) and [two]({path}#discussion), [three](/) and [four](/about/)."
    assert send(article, body).status == Post.Status.PUBLISHED
    # The same number of links out, written protocol-relative, are counted.
    out = "See [one](//a.example) and [two](//b.example), [three](//c.example) and [four](//d)."
    assert send(article, out).status == Post.Status.HELD


@pytest.mark.parametrize(
    "word",
    [
        "via\u200bgra",  # zero-width space
        "via\u2060gra",  # word joiner
        "VIA\u00adGRA",  # soft hyphen
        "via\u202egra",  # a bidi override
        "ＶＩＡＧＲＡ",  # fullwidth
        "vi\u0301agra",  # a combining accent
        "via**gra**",  # split by emphasis
        "[via](https://a.example/)gra",  # split by a link
        "v\u0456agra",  # a Cyrillic "і" among Latin letters
        "\u0475\u0456\u0430gr\u0430",  # Cyrillic izhitsa, i and a: only g and r are Latin
        "vi\u03b1gra",  # a Greek alpha
    ],
)
def test_a_blocked_word_is_caught_however_it_is_disguised(
    article: Article, blocked: None, word: str
) -> None:
    post = send(article, f"Cheap {word} for cramps.")
    assert post.status == Post.Status.HELD
    assert "contains blocked word “viagra”" in post.held_because


def test_a_disguised_word_inside_a_longer_word_is_not_blocked(
    article: Article, moderator: User
) -> None:
    moderation.block_term(kind=BlockedTerm.Kind.WORD, value="cure", moderator=moderator)
    assert send(article, "Pedi\u200bcure and obscure remedies.").status == Post.Status.PUBLISHED
    assert send(article, "A ｃｕｒｅ that works.").status == Post.Status.HELD


def test_words_in_other_scripts_are_not_read_as_latin_lookalikes(
    article: Article, moderator: User
) -> None:
    # "сор" (Russian: litter) is written with three letters that each look Latin: as a word of
    # its own language it is not the blocked "cop", while a Latin word with one of them is.
    moderation.block_term(kind=BlockedTerm.Kind.WORD, value="cop", moderator=moderator)
    assert send(article, "Это просто \u0441\u043e\u0440.").status == Post.Status.PUBLISHED
    assert send(article, "Call a \u0441op now.").status == Post.Status.HELD


def test_a_readers_edit_is_judged_on_its_rendered_links_too(
    article: Article, blocked: None
) -> None:
    client = Client()
    post = send(article, "Stretching helps me.", client)
    assert post.status == Post.Status.PUBLISHED
    answer = client.post(
        f"{article.get_absolute_url()}posts/{post.number}/edit/",
        {"body": "Stretching helps me. [More](//spam.example/buy)"},
    )
    assert answer.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.HELD
    assert "blocked domain spam.example" in post.held_because
    assert "More" not in Client().get(article.get_absolute_url()).content.decode()


def test_a_readers_edit_cannot_disguise_a_blocked_word(article: Article, blocked: None) -> None:
    client = Client()
    post = send(article, "Stretching helps me.", client)
    client.post(
        f"{article.get_absolute_url()}posts/{post.number}/edit/",
        {"body": "Stretching and VIA\u200bGRA help me."},
    )
    post.refresh_from_db()
    assert post.status == Post.Status.HELD


def test_the_same_text_with_invisible_characters_is_still_a_repeat(
    make_article,  # type: ignore[no-untyped-def]
    article: Article,
) -> None:
    other = make_article("Why do Feet Ache?", slug="why-do-feet-ache")
    first = send(article, "Best cramp cure ever, order from my shop today!")
    again = send(other, "Best cramp cu\u200bre ever, order from my ｓｈｏｐ today!")
    assert first.status == Post.Status.PUBLISHED
    assert again.status == Post.Status.HELD
    assert "the same text was posted elsewhere today" in again.held_because
