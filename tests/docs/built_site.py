"""Building the documentation site as `make docs` does, and reading the pages it built."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"


def build(site_dir: Path, config: Path = CONFIG) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` into site_dir: any warning, a broken link or anchor among
    them, ends it with a non-zero status."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # the theme's notice, not a warning
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    # (tag, attribute, value) of everything the page links to or loads.
    refs: list[tuple[str, str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.page.ids.add(value)
            if name in ("href", "src"):
                self.page.refs.append((tag, name, value))


def read(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def external(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) or value.startswith("//")


def broken_links(site_dir: Path) -> list[str]:
    """Every link or resource between the built pages whose file or anchor is missing, as
    'page: link'. External addresses are not fetched (the site must load none, see
    network_loads)."""
    site_dir = site_dir.resolve()
    pages = {path: read(path) for path in site_dir.rglob("*.html")}
    broken = []
    for path, page in sorted(pages.items()):
        for _tag, _name, value in page.refs:
            if external(value) or value.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(value)
            # A path from the root (the 404 page's) is read from the site's own root.
            base = site_dir if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site_dir)}: {value}"
            if not target.is_file():
                broken.append(where)
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else read(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(where)
    return broken


def network_loads(site_dir: Path) -> list[str]:
    """What a built page would fetch from elsewhere as it loads: scripts, stylesheets,
    pictures and fonts (links a reader may follow are not loads)."""
    loads = []
    for path in sorted(site_dir.rglob("*.html")):
        for tag, name, value in read(path).refs:
            if external(value) and (tag != "a" or name != "href"):
                loads.append(f"{path.relative_to(site_dir)}: <{tag} {name}={value}>")
    for path in sorted(site_dir.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in ("fonts.googleapis.com", "fonts.gstatic.com", "@import url(http"):
            if marker in text:
                loads.append(f"{path.relative_to(site_dir)}: {marker}")
    return loads
