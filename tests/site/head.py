"""Read what a page's <head> says: its links, meta tags and JSON-LD."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any


class Head(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, str] = {}
        self.json_ld: list[Any] = []
        self.raw_scripts: list[str] = []
        self._script: list[str] | None = None
        self._in_head = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "head":
            self._in_head = True
        if not self._in_head:
            return
        if tag == "link":
            self.links.append(found)
        elif tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found.get("content", "")
        elif tag == "script":
            self._script = [] if found.get("type") == "application/ld+json" else None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            self.raw_scripts.append(text)
            self.json_ld.append(json.loads(text))
            self._script = None

    def link(self, rel: str, type: str | None = None) -> list[dict[str, str]]:
        return [
            link
            for link in self.links
            if rel in link.get("rel", "").split() and (type is None or link.get("type") == type)
        ]
