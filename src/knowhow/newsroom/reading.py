"""What the editor's side panel says of the text as typed: its words, how long it takes to
read and the outline of its headings. The editor's script counts the same way while the
writer types (newsroom/static/newsroom/editor.js)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# A reader of explainers reads about 200 words a minute.
WORDS_PER_MINUTE = 200
_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*#*\s*$")
_MARKS = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[#*_>`|~\[\]-]+")
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class TextFacts:
    words: int
    minutes: int
    outline: list[Heading]


def facts_of(markdown: str) -> TextFacts:
    """Words (Markdown's marks, link addresses and pictures not counted), reading minutes
    (at least one once there is a word) and the ## to ###### headings, in order."""
    words = 0
    outline = []
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        heading = None if fenced else _HEADING.match(line)
        if heading:
            outline.append(Heading(len(heading.group(1)), heading.group(2)))
        words += len(_MARKS.sub(" ", line).split())
    return TextFacts(words, math.ceil(words / WORDS_PER_MINUTE), outline)
