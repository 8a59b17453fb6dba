"""How hard an article is to read: a reading age from the Flesch–Kincaid grade, and its
longest sentences, shown on the editor page (worked out again each time the page is drawn,
so after every save). Health writers aim at a reading age of 9 to 11, as the NHS does.

English only: the formula counts English syllables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    grade: float  # Flesch–Kincaid grade level
    long_sentences: list[Sentence]

    @property
    def reading_age(self) -> int:
        """The grade plus five years (a US grade 1 reader is about six), at least five."""
        return max(5, round(self.grade + 5))

    @property
    def within_target(self) -> bool:
        return self.reading_age <= TARGET_AGES[1]

    @property
    def target(self) -> str:
        return f"{TARGET_AGES[0]} to {TARGET_AGES[1]}"


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


def plain_sentences(markdown: str) -> list[str]:
    """The article's sentences as a reader meets them: headings, code, pictures and link
    addresses left out; each paragraph and list item ends a sentence."""
    text = _FENCED.sub("\n\n", markdown.replace("\r\n", "\n"))
    text = _HEADING.sub("\n\n", _IMAGE.sub(" ", text))
    text = _MARKERS.sub("\n\n", _LINK.sub(r"\1", text))
    text = _SYMBOLS.sub(" ", text)
    found = []
    for block in _BLOCKS.split(text):
        flat = " ".join(block.split())
        found += [part.strip() for part in _SENTENCE_END.split(flat) if _WORD.search(part)]
    return found


def readability_of(markdown: str) -> Readability:
    sentences = plain_sentences(markdown)
    measured = [Sentence(text, len(_WORD.findall(text))) for text in sentences]
    words = sum(sentence.words for sentence in measured)
    if not words:
        return Readability(0, 0, 0.0, [])
    sounds = sum(syllables(word) for text in sentences for word in _WORD.findall(text))
    grade = 0.39 * words / len(measured) + 11.8 * sounds / words - 15.59
    long = sorted((s for s in measured if s.words >= LONG_SENTENCE_WORDS), key=lambda s: -s.words)
    return Readability(words, len(measured), round(grade, 1), long[:LONGEST_LISTED])
