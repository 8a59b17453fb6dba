"""The one form article text is kept and compared in, so that only visible changes count.

Browsers send a textarea's lines ending in CRLF, editors leave spaces at the ends of lines,
and the same letter can arrive composed or decomposed (é or e + ◌́). None of that shows on
the page, so none of it may count as a change of words, move a date, or fill a diff.
"""

from __future__ import annotations

import re
import unicodedata

# Markdown's hard line break: two or more spaces ending a line that another line follows.
_HARD_BREAK = "  "
_TRAILING = re.compile(r"[ \t]+$")
# Spaces a page shows as one; a no-break space is meant, so it stays.
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def normal_text(value: str | None) -> str:
    """Multi-line text (body, summary, sources) in its kept form: LF line endings, NFC, no
    trailing spaces (a hard break keeps exactly two), no blank lines at either end."""
    text = unicodedata.normalize("NFC", value or "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for index, line in enumerate(lines):
        trailing = _TRAILING.search(line)
        bare = line[: trailing.start()] if trailing else line
        follows = index + 1 < len(lines) and lines[index + 1].strip() != ""
        if trailing and trailing.group().endswith(_HARD_BREAK) and bare.strip() and follows:
            bare += _HARD_BREAK  # the reader sees a line break here: keep it, in one form
        kept.append(bare)
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)


def normal_line(value: str | None) -> str:
    """One-line text (a title, a copyright holder) in its kept form: NFC, one space between
    words, none at either end; pages show runs of spaces and line breaks as one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip(" ")
