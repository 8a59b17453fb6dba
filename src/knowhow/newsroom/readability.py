"""How hard an article is to read: a reading age from a formula made for the article's
language, and its longest sentences, shown on the editor page (worked out again each time
the page is drawn, so after every save). Health writers aim at a reading age of 9 to 11, as
the NHS does.

English uses the Flesch–Kincaid grade (English syllables); Spanish uses Fernández Huerta's
reading ease (Spanish syllables), read as a school grade from his own table. Other
languages get no reading age, since an English formula would mislead there; the longest
sentences are marked in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Health information aims at this reading age (NHS guidance).
TARGET_AGES = (9, 11)
# A sentence this long is hard to follow; the editor lists such sentences, longest first.
LONG_SENTENCE_WORDS = 25
LONGEST_LISTED = 5

_FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.M)
_MARKERS = re.compile(r"^\s*(?:[-*+>]|\d+[.)])\s+", re.M)
_SYMBOLS = re.compile(r"[*_`|~#<>]+")
_BLOCKS = re.compile(r"\n\s*\n")
# English: a sentence ends before a capital or a digit, so "e.g. a cramp" stays one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_VOWELS = re.compile(r"[aeiouy]+")
# Other languages: any script's letters; Spanish opens questions with ¿, Arabic ends them
# with ؟, and scripts without capitals give no capital to wait for.
_ANY_SENTENCE_END = re.compile(r"(?<=[.!?…؟。])[\"'”’»)]*\s+")
_ANY_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Fernández Huerta's reading ease (0 hard to 100 easy) against the school grade that reads
# it, from his table, joined by straight lines between the bands' middles.
_EASE_TO_GRADE = ((95.0, 4.0), (85.0, 5.0), (75.0, 6.0), (65.0, 7.5), (55.0, 10.0),
                  (40.0, 13.0), (15.0, 16.0))  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    grade: float  # the school grade (US) the text suits; 0 when there is no formula
    long_sentences: list[Sentence]
    language: str = "en"
    # The formula's own figure as the page shows it ("Flesch–Kincaid grade 6.2").
    score: str = ""

    @property
    def estimated(self) -> bool:
        """Whether the language has a formula (English and Spanish do)."""
        return base_language(self.language) in FORMULAS

    @property
    def language_name(self) -> str:
        """The language's name in the reader's interface language ("árabe" in Spanish)."""
        try:
            return str(translation.get_language_info(self.language)["name_translated"])
        except KeyError:
            return self.language

    @property
    def reading_age(self) -> int | None:
        """The grade plus five years (a US grade 1 reader is about six), at least five; None
        where the language has no formula."""
        if not self.estimated:
            return None
        return max(5, round(self.grade + 5))

    @property
    def within_target(self) -> bool:
        return self.reading_age is not None and self.reading_age <= TARGET_AGES[1]

    @property
    def target(self) -> str:
        return f"{TARGET_AGES[0]} to {TARGET_AGES[1]}"


def base_language(code: str) -> str:
    return (code or "en").lower().replace("_", "-").split("-", 1)[0]


def syllables(word: str) -> int:
    """English syllables, by vowel groups less a silent final e or -ed: near enough for a
    grade."""
    word = word.lower().strip("'’")
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    elif word.endswith("ed") and not word.endswith(("ted", "ded")):
        word = word[:-2]  # "stretched", "cramped": one syllable less
    return max(1, len(_VOWELS.findall(word)))


_STRONG = set("aeoáéóíúàèòìù")  # an accented i or u stands alone ("rí-o")
_WEAK = set("iuü")


def spanish_syllables(word: str) -> int:
    """Spanish syllables: one per vowel nucleus, where a weak vowel (i, u) beside another
    vowel joins it (diphthongs "ciu-dad", "bue-no") and two strong ones part ("pa-e-lla");
    the silent u of que/qui/gue/gui and a final y ("hoy") are handled."""
    word = word.lower().strip("'’")
    word = re.sub(r"qu(?=[eiéí])", "q", word)
    word = re.sub(r"gu(?=[eiéí])", "g", word)
    if word.endswith("y") and len(word) > 1 and word[-2] in _STRONG | _WEAK:
        word = word[:-1] + "i"
    count = 0
    previous = ""
    for letter in word:
        vowel = letter in _STRONG or letter in _WEAK
        if vowel and not (previous and (previous in _WEAK or letter in _WEAK)):
            count += 1  # a new nucleus: after a consonant, or a strong vowel after a strong
        previous = letter if vowel else ""
    return max(1, count)


def _flesch_kincaid(words: int, sentences: int, sounds: int) -> tuple[float, str]:
    grade = round(0.39 * words / sentences + 11.8 * sounds / words - 15.59, 1)
    return grade, str(_("Flesch–Kincaid grade %(grade)s") % {"grade": grade})


def _fernandez_huerta(words: int, sentences: int, sounds: int) -> tuple[float, str]:
    ease = 206.84 - 60 * sounds / words - 102 * sentences / words
    grade = _grade_for_ease(ease)
    return grade, str(_("Fernández Huerta ease %(ease)s") % {"ease": round(ease)})


def _grade_for_ease(ease: float) -> float:
    points = _EASE_TO_GRADE
    if ease >= points[0][0]:
        return points[0][1]
    for (high, easy_grade), (low, hard_grade) in zip(points, points[1:], strict=False):
        if ease >= low:
            return round(hard_grade + (easy_grade - hard_grade) * (ease - low) / (high - low), 1)
    return points[-1][1] + (points[-1][0] - ease) / 10


# Per language: how its syllables are counted, and its formula (words, sentences,
# syllables -> grade and the figure shown).
FORMULAS = {
    "en": (syllables, _flesch_kincaid),
    "es": (spanish_syllables, _fernandez_huerta),
}


def plain_sentences(markdown: str, language: str = "en") -> list[str]:
    """The article's sentences as a reader meets them: headings, code, pictures and link
    addresses left out; each paragraph and list item ends a sentence."""
    english = base_language(language) == "en"
    ends, word = (_SENTENCE_END, _WORD) if english else (_ANY_SENTENCE_END, _ANY_WORD)
    text = _FENCED.sub("\n\n", markdown.replace("\r\n", "\n"))
    text = _HEADING.sub("\n\n", _IMAGE.sub(" ", text))
    text = _MARKERS.sub("\n\n", _LINK.sub(r"\1", text))
    text = _SYMBOLS.sub(" ", text)
    found = []
    for block in _BLOCKS.split(text):
        flat = " ".join(block.split())
        found += [part.strip() for part in ends.split(flat) if word.search(part)]
    return found


def readability_of(markdown: str, language: str = "en") -> Readability:
    """How hard the text is to read in its language (a code such as "es" or "pt-br")."""
    base = base_language(language)
    word = _WORD if base == "en" else _ANY_WORD
    sentences = plain_sentences(markdown, base)
    measured = [Sentence(text, len(word.findall(text))) for text in sentences]
    words = sum(sentence.words for sentence in measured)
    if not words:
        return Readability(0, 0, 0.0, [], base)
    long = sorted((s for s in measured if s.words >= LONG_SENTENCE_WORDS), key=lambda s: -s.words)
    grade, score = 0.0, ""
    if base in FORMULAS:
        count, formula = FORMULAS[base]
        sounds = sum(count(found) for text in sentences for found in word.findall(text))
        grade, score = formula(words, len(measured), sounds)
    return Readability(words, len(measured), grade, long[:LONGEST_LISTED], base, score)
