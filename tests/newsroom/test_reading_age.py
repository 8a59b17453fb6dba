"""The editor page tells a health writer how hard the article is to read: a reading age
(Flesch–Kincaid grade + 5) and its longest sentences, drawn without any script and worked
out again after each save."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.newsroom.readability import readability_of, syllables
from tests import people
from tests.newsroom.test_editor_pages import _fields

pytestmark = pytest.mark.django_db

PLAIN = "Cramp is a sudden pain. It often comes at night. Stretch the leg. It soon goes."
HARD = (
    "Nocturnal gastrocnemius contractions, frequently attributed to electrolyte "
    "disturbances, dehydration, or medication-associated physiological alterations, "
    "characteristically manifest during prolonged immobility and demonstrate considerable "
    "interindividual variability regarding prevalence, intensity and duration."
)


def test_short_plain_sentences_read_young_and_long_hard_ones_old() -> None:
    plain, hard = readability_of(PLAIN), readability_of(HARD)
    assert plain.reading_age <= 9 and plain.within_target
    assert hard.reading_age > 18 and not hard.within_target
    assert [s.words for s in hard.long_sentences] == [29]
    assert plain.long_sentences == []


def test_markdown_marks_headings_and_link_addresses_are_not_read() -> None:
    text = (
        "## A heading here\n\nSee [the leaflet](https://example.com/a-very-long-address)."
        "\n\n- One item\n- Two"
    )
    found = readability_of(text)
    assert found.sentences == 3 and found.words == 6


def test_syllables_are_counted_near_enough() -> None:
    assert [syllables(w) for w in ["cat", "water", "muscle", "stretched", "banana"]] == [
        1, 2, 2, 1, 3,
    ]  # fmt: skip


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is cramp?", topic=topic, body=PLAIN
    )


def reading_age(html: str) -> int:
    found = re.search(r"Reading age about <strong>(\d+)</strong>", html)
    assert found is not None
    return int(found.group(1))


def test_the_editor_page_shows_it_and_it_changes_on_save(
    draft: Article, writer_account: User
) -> None:
    client = people.signed_in(writer_account)
    page = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert reading_age(page) <= 9 and "Health pages aim at 9 to 11." in page
    assert "<script" not in page.split('id="readability"', 1)[1].split("</section>", 1)[0]
    saved = client.post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body=HARD))
    assert saved.status_code == 302
    after = client.get(saved["Location"]).content.decode()
    assert reading_age(after) > 18
    assert "Longest sentences" in after and "<mark>29 words</mark> Nocturnal" in after
