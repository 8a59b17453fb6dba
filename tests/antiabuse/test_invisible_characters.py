"""Characters that render as nothing never hide a blocked word or domain from the guard."""

from __future__ import annotations

import sys

import pytest
import regex
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import BlockedTerm
from knowhow.antiabuse.reading import fold, host_name
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.moderation import services as moderation
from tests.conftest import form_data

IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
EVERY_IGNORABLE = [
    chr(point) for point in range(sys.maxunicode + 1) if IGNORABLE.fullmatch(chr(point))
]


def send(article: Article, body: str) -> Post:
    answer = Client().post(f"{article.get_absolute_url()}posts/", form_data(article, body))
    assert answer.status_code == 302
    return Post.objects.order_by("-pk").first()  # type: ignore[return-value]


@pytest.fixture
def blocked(moderator: User) -> None:
    moderation.block_term(kind=BlockedTerm.Kind.WORD, value="casino", moderator=moderator)
    moderation.block_term(kind=BlockedTerm.Kind.DOMAIN, value="spam.example", moderator=moderator)


def test_the_whole_property_is_known() -> None:
    # Unicode 15 lists 4,174 such code points; the guard must know every one of them.
    assert len(EVERY_IGNORABLE) >= 4_174


def test_no_default_ignorable_character_splits_a_word() -> None:
    missed = [f"U+{ord(char):04X}" for char in EVERY_IGNORABLE if fold(f"cas{char}ino") != "casino"]
    assert missed == []


def test_no_default_ignorable_character_changes_a_host() -> None:
    missed = [
        f"U+{ord(char):04X}"
        for char in EVERY_IGNORABLE
        if host_name(f"spam{char}.example") != "spam.example"
    ]
    assert missed == []


@pytest.mark.parametrize(
    "char",
    [
        "\u034f",  # combining grapheme joiner
        "\ufe0f",  # variation selector 16
        "\U000e0101",  # variation selector 18
        "\u115f",  # Hangul choseong filler
        "\u3164",  # Hangul filler
        "\uffa0",  # halfwidth Hangul filler
        "\u180b",  # Mongolian free variation selector
        "\u180e",  # Mongolian vowel separator
        "\u17b4",  # Khmer inherent vowel
        "\U000e0041",  # tag letter A
    ],
)
def test_a_blocked_word_with_an_invisible_character_is_held(
    article: Article, blocked: None, char: str
) -> None:
    post = send(article, f"Try the online cas{char}ino tonight.")
    assert post.status == Post.Status.HELD
    assert "casino" in post.held_because
    # The post keeps what the reader typed; only the comparison ignores the filler.
    assert char in post.body


def test_a_blocked_domain_with_an_invisible_character_is_held(
    article: Article, blocked: None
) -> None:
    post = send(article, "Cheap pills at spam\u034f.example today.")
    assert post.status == Post.Status.HELD
    assert "spam.example" in post.held_because


def test_words_with_real_letters_of_those_scripts_still_publish(
    article: Article, blocked: None
) -> None:
    post = send(article, "근육 경련에는 스트레칭이 좋아요. Монгол хэл ᠮᠣᠩᠭᠣᠯ.")
    assert post.status == Post.Status.PUBLISHED


def test_plain_ascii_folds_to_lower_case_and_one_other_letter_folds_the_whole_text() -> None:
    every_ascii = "".join(chr(code) for code in range(128))
    assert fold(every_ascii) == every_ascii.lower()
    # One character outside ASCII and the whole text takes every Unicode pass.
    assert fold("ＣＡＳＩＮＯ and Cas\u200bino, café") == "casino and casino, cafe"
