"""What a revision holds: the editable fields of an article, read from it and put back."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from knowhow.articles.models import Article
from knowhow.articles.normal_form import normal_line, normal_text

# The fields a writer or editor changes; a revision keeps these, by name. Foreign keys are
# kept as ids under the field's name.
REVISED_FIELDS = (
    "title",
    "topic",
    "synopsis",
    "body",
    "sources",
    "reviewed_by",
    "reviewed_on",
    "lead_image",
    "copyright_holder",
    "search_title",
    "search_description",
    "language",
    "translation_of",
)
# The fields whose change readers are told of by a new "Last Modified Date".
TEXT_FIELDS = ("title", "synopsis", "body", "sources")
_KEYS = {"topic", "reviewed_by", "lead_image", "translation_of"}
# How each text field is kept (see normal_form): one line, or lines.
_NORMAL = {
    "title": normal_line,
    "copyright_holder": normal_line,
    "search_title": normal_line,
    "search_description": normal_line,
    "synopsis": normal_text,
    "body": normal_text,
    "sources": normal_text,
}


def normalised(content: dict[str, Any]) -> dict[str, Any]:
    """A revision's content with its text in the kept form; the other fields as they are.
    Every revision is stored so, and every comparison of two contents goes through here,
    so older revisions stored before this rule compare by their visible words too."""
    return {
        name: (_NORMAL[name](value) if name in _NORMAL and value is not None else value)
        for name, value in content.items()
    }


def content_of(article: Article) -> dict[str, Any]:
    """The article's editable fields as a revision keeps them (JSON-ready, text in its
    kept form)."""
    content: dict[str, Any] = {}
    for name in REVISED_FIELDS:
        if name in _KEYS:
            content[name] = getattr(article, f"{name}_id")
        elif name == "reviewed_on":
            content[name] = article.reviewed_on.isoformat() if article.reviewed_on else None
        else:
            content[name] = getattr(article, name)
    return normalised(content)


def apply_content(article: Article, content: dict[str, Any]) -> None:
    """Put a revision's fields on the article (unsaved); fields it lacks are left alone."""
    for name in REVISED_FIELDS:
        if name not in content:
            continue
        value = content[name]
        if name in _KEYS:
            setattr(article, f"{name}_id", value)
        elif name == "reviewed_on":
            article.reviewed_on = dt.date.fromisoformat(value) if value else None
        else:
            setattr(article, name, value if value is not None else "")


def text_changed(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """Whether readers would see different words between two revisions' contents."""
    if before is None:
        return True
    a, b = normalised(before), normalised(after)
    return any((a.get(name) or "") != (b.get(name) or "") for name in TEXT_FIELDS)


def same_content(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """Whether two revisions' contents are the same once their text is in the kept form."""
    if before is None:
        return False
    a, b = normalised(before), normalised(after)
    return all((a.get(name) or None) == (b.get(name) or None) for name in REVISED_FIELDS)


_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Change:
    """A run of words in a word-level diff: kept ("="), removed ("-") or added ("+")."""

    op: str
    text: str


def diff_words(before: str, after: str) -> list[Change]:
    """A word-level diff of two texts, as runs of kept, removed and added words."""
    a, b = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.append(Change("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            changes.append(Change("-", "".join(a[i1:i2])))
        if j2 > j1:
            changes.append(Change("+", "".join(b[j1:j2])))
    return changes


@dataclass(frozen=True)
class FieldDiff:
    name: str
    changes: list[Change]


def diff_contents(before: dict[str, Any], after: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ between two revisions' contents, each as a word-level diff;
    fields kept as ids (topic, reviewer, image) are compared as their values' text. Text
    is compared in its kept form: line endings and trailing spaces are no change."""
    before, after = normalised(before), normalised(after)
    diffs = []
    for name in REVISED_FIELDS:
        old, new = before.get(name), after.get(name)
        if (old or "") == (new or ""):
            continue
        diffs.append(FieldDiff(name, diff_words(_text(old), _text(new))))
    return diffs


def _text(value: Any) -> str:
    return "" if value is None else str(value)
