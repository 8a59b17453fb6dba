"""The editor page tells a health writer how hard the article is to read: a reading age
(Flesch–Kincaid grade + 5) and its longest sentences, drawn without any script and worked
out again after each save."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.newsroom.readability import readability_of, spanish_syllables, syllables
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


# Spanish: Fernández Huerta's reading ease on Spanish syllables.
LLANO = "El calambre es un dolor de pronto. Suele venir de noche. Estira la pierna. Pasa pronto."
DIFICIL = (
    "Las contracciones nocturnas del gastrocnemio, frecuentemente atribuidas a "
    "alteraciones electrolíticas, deshidratación o modificaciones fisiológicas asociadas a "
    "determinados medicamentos, se manifiestan característicamente durante periodos "
    "prolongados de inmovilidad y presentan una considerable variabilidad interindividual."
)


def test_spanish_syllables_follow_diphthongs_hiatus_and_silent_u() -> None:
    words = ["casa", "paella", "ciudad", "río", "guerra", "queso", "hoy", "murciélago", "buey"]
    assert [spanish_syllables(w) for w in words] == [2, 3, 2, 2, 2, 2, 1, 4, 1]


def test_spanish_text_is_read_with_a_spanish_formula() -> None:
    plain, hard = readability_of(LLANO, "es"), readability_of(DIFICIL, "es")
    assert plain.estimated and plain.reading_age is not None and plain.within_target
    assert hard.reading_age is not None and hard.reading_age > 18 and not hard.within_target
    assert plain.score.startswith("Fernández Huerta ease ")
    assert [s.words for s in hard.long_sentences] == [32]
    # The English formula would count these words' syllables wrongly: the figures differ.
    assert readability_of(DIFICIL, "en").grade != hard.grade


def test_a_language_without_a_formula_gets_no_number_but_its_long_sentences() -> None:
    long_arabic = " ".join(["كلمة"] * 30) + ". جملة قصيرة."
    found = readability_of(long_arabic, "ar")
    assert not found.estimated and found.reading_age is None and not found.within_target
    assert found.sentences == 2 and [s.words for s in found.long_sentences] == [30]


def test_the_editor_page_reads_a_spanish_article_in_spanish_and_says_when_it_cannot(
    writer_account: User, topic: Topic
) -> None:
    client = people.signed_in(writer_account)
    spanish = workflow.create_article(
        by=writer_account, title="¿Qué es un calambre?", topic=topic, body=DIFICIL, language="es"
    )
    page = client.get(f"/newsroom/articles/{spanish.pk}/edit/").content.decode()
    assert reading_age(page) > 18 and "Fernández Huerta ease" in page
    arabic = workflow.create_article(
        by=writer_account, title="ما هو التشنج؟", topic=topic,
        body=" ".join(["كلمة"] * 30) + ".", language="ar",
    )  # fmt: skip
    page = client.get(f"/newsroom/articles/{arabic.pk}/edit/").content.decode()
    box = page.split('id="readability"', 1)[1].split("</section>", 1)[0]
    assert "There is no reading-age estimate for Arabic" in box
    assert "Reading age about" not in box and "<mark>30 words</mark>" in box
