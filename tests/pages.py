"""Helpers to read rendered pages the way a reader sees them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The labels of the article page's sections, in the order a reader meets them.
SECTION_LABELS = [
    "Article Details",
    "Written By",
    "Edited By",
    "Last Modified Date",
    "Print this Article",
    "Free Widgets for your Site/Blog",
    "Did you know",
    "On this day",
    "You might also Like",
    "Discuss this Article",
    "Post your comments",
    "Post Anonymously",
    "forgot password?",
]

_INLINE = {
    "a",
    "em",
    "strong",
    "code",
    "span",
    "time",
    "abbr",
    "b",
    "i",
    "sup",
    "sub",
    "del",
    "bdi",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"}:
            self._skip -= 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str | bytes) -> str:
    """The page's text with tags removed and whitespace folded."""
    parser = _Text()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def post_numbers(html: str | bytes) -> list[int]:
    """The "Post N" headings in page order."""
    return [int(n) for n in re.findall(r"\bPost (\d+)\b", visible_text(html))]


def assert_in_order(text: str, labels: list[str]) -> None:
    """Each label appears in the text, each after the one before it."""
    at = 0
    for label in labels:
        found = text.find(label, at)
        assert found >= 0, f"{label!r} missing after position {at}: {text[at : at + 200]!r}"
        at = found + len(label)


def word_runs(text: str, length: int = 8) -> set[str]:
    """Every run of `length` consecutive words, to spot copied sentences."""
    words = re.findall(r"[a-z']+", text.lower())
    return {" ".join(words[i : i + length]) for i in range(len(words) - length + 1)}


class PageForm:
    """A form as a browser sees it: where it posts, its hidden fields, the names of the fields
    a person types in, and the button Enter presses (the first submit button, if any)."""

    def __init__(self, attrs: dict[str, str]) -> None:
        self.action = attrs.get("action", "")
        self.method = attrs.get("method", "get").lower()
        self.id = attrs.get("id", "")
        self.hidden: dict[str, str | list[str]] = {}
        self.buttons: list[tuple[str, str]] = []
        self.typed: list[str] = []
        self.default: tuple[str, str] | None = None
        self.has_submit = False

    def on_enter(self, typed: str, **extra: object) -> dict[str, object]:
        """What the browser sends when Enter is pressed in one of its fields after typing."""
        data: dict[str, object] = {**self.hidden, **{name: typed for name in self.typed}}
        if self.default is not None:
            data[self.default[0]] = self.default[1]
        return {**data, **extra}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self._current: PageForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = PageForm(found)
            self.forms.append(self._current)
            return
        form = self._current
        if form is None:
            return
        kind = found.get("type", "submit" if tag == "button" else "text")
        if tag in ("button", "input") and kind == "submit":
            if "name" in found:
                form.buttons.append((found["name"], found.get("value", "")))
            if not form.has_submit and "name" in found:
                form.default = (found["name"], found.get("value", ""))
            form.has_submit = True
        elif "name" not in found:
            return
        elif tag == "input" and kind == "hidden":
            name, value = found["name"], found.get("value", "")
            if name in form.hidden:  # a field sent several times, such as ticked choices
                earlier = form.hidden[name]
                form.hidden[name] = [*(earlier if isinstance(earlier, list) else [earlier]), value]
            else:
                form.hidden[name] = value
        elif tag == "textarea" or (tag == "input" and kind in ("text", "search", "email")):
            form.typed.append(found["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_on(html: str | bytes) -> list[PageForm]:
    """Every form of the page, in page order."""
    parser = _Forms()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms
