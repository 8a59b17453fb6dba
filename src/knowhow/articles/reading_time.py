"""How long an article takes to read: its body's words at a stated pace. The public page's
"6 min read" and the newsroom's counts both come from here."""

from __future__ import annotations

import html
import math
import re

from django.utils.html import strip_tags

# An adult's pace reading explanatory prose on a screen, in words per minute.
WORDS_PER_MINUTE = 230

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def words_in(body_html: str) -> int:
    """The words a reader reads in a rendered body (no markup, no addresses of links)."""
    return len(_WORD.findall(html.unescape(strip_tags(body_html))))


def minutes_for(words: int) -> int:
    """Whole minutes to read so many words, at least one for any words at all."""
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0
