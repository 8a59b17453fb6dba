"""A widget's options as other sites ask for them: checked, clamped, never echoed raw."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy

# Each kind of widget, with the name people see.
KINDS = {
    "fact": gettext_lazy("Did you know?"),
    "on-this-day": gettext_lazy("On this day"),
    "latest": gettext_lazy("Latest articles"),
    "topic": gettext_lazy("Articles on a topic"),
    "article": gettext_lazy("Article card"),
}
LISTS = ("latest", "topic")
# "auto" follows the reader's own light or dark setting (prefers-color-scheme).
THEMES = ("light", "dark", "auto")
COUNT_DEFAULT, COUNT_MIN, COUNT_MAX = 5, 1, 10
WIDTH_DEFAULT, WIDTH_MIN, WIDTH_MAX = 320, 200, 800
# The longest topic or article address name looked up; longer ones cannot exist.
NAME_MAX = 200


def _bounded(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int((value or "").strip()[:6])
    except ValueError:
        return default
    return min(max(number, low), high)


@dataclass(frozen=True)
class Options:
    kind: str
    count: int = COUNT_DEFAULT
    theme: str = "light"
    width: int = WIDTH_DEFAULT
    topic: str = ""
    article: str = ""

    @property
    def name(self) -> str:
        return str(KINDS[self.kind])

    @property
    def is_list(self) -> bool:
        return self.kind in LISTS

    @property
    def height(self) -> int:
        """The height an iframe needs to show the widget without scrolling."""
        if self.is_list:
            return 130 + 50 * self.count
        return 340 if self.kind == "article" else 250

    def query(self) -> str:
        """The options as a query string, only those this kind of widget uses."""
        fields: dict[str, object] = {}
        if self.kind == "topic":
            fields["topic"] = self.topic
        if self.kind == "article":
            fields["article"] = self.article
        if self.is_list:
            fields["count"] = self.count
        fields["theme"] = self.theme
        fields["width"] = self.width
        return urlencode(fields)

    def with_defaults(self, topic: str = "", article: str = "") -> Options:
        """These options, with a topic or article filled in where none was asked for."""
        return replace(self, topic=self.topic or topic, article=self.article or article)


def parse(kind: str, params: Mapping[str, str]) -> Options:
    """Options from a request's query; the caller checks `kind` is one of KINDS."""
    theme = params.get("theme", "")
    return Options(
        kind=kind,
        count=_bounded(params.get("count"), COUNT_DEFAULT, COUNT_MIN, COUNT_MAX),
        theme=theme if theme in THEMES else "light",
        width=_bounded(params.get("width"), WIDTH_DEFAULT, WIDTH_MIN, WIDTH_MAX),
        topic=(params.get("topic") or "").strip()[:NAME_MAX],
        article=(params.get("article") or "").strip()[:NAME_MAX],
    )
