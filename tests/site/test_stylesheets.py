"""The shipped stylesheets: layout in logical properties only, so a right-to-left page
mirrors without a second stylesheet; and the colours of both schemes keep the focus ring
and the borders of fields visible (3:1 or more, WCAG 1.4.11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "knowhow"
SITE_CSS = SRC / "site" / "static" / "knowhow" / "site.css"
EMBED_JS = SRC / "widgets" / "static" / "widgets" / "embed.js"

# Physical left and right, in any property or value that places things on a line.
PHYSICAL = [
    re.compile(r"\b(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)\b"),
    re.compile(r"\bborder-(?:top|bottom)-(?:left|right)-radius\b"),
    re.compile(r"(?<![\w-])(?:left|right)\s*:"),
    re.compile(r"\b(?:float|clear|text-align|caption-side)\s*:\s*(?:left|right)\b"),
]
# Four-value margin or padding whose right and left differ.
FOUR = re.compile(r"(?<![\w-])(margin|padding)\s*:\s*([^;{}!]+?)\s*(?:!important)?\s*[;}]")

# Where a physical side is right, and why. Keep it short.
ALLOWED: dict[str, str] = {
    # The newsroom's writing surface is a vendored code editor, bundled and minified; it
    # places its cursor and selection in the physical coordinates the browser reports.
    "newsroom/static/newsroom/writing.min.js": "vendored editor",
}


def _shipped() -> dict[str, str]:
    """Every stylesheet the site serves, and the CSS the embed script carries, by path."""
    found = {str(p.relative_to(SRC)): p.read_text() for p in sorted(SRC.rglob("static/**/*.css"))}
    embedded = re.findall(r'"((?:[^"\\]|\\.)*)"', EMBED_JS.read_text())
    found[str(EMBED_JS.relative_to(SRC))] = "".join(embedded)
    return {path: css for path, css in found.items() if path not in ALLOWED}


def physical_sides(css: str) -> list[str]:
    """The declarations of a stylesheet that name a physical left or right."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = [m.group(0) for pattern in PHYSICAL for m in pattern.finditer(css)]
    for match in FOUR.finditer(css):
        values = match.group(2).split()
        if len(values) == 4 and values[1] != values[3]:
            found.append(match.group(0))
    return found


def test_the_checker_finds_every_kind_of_physical_side() -> None:
    for css in (
        "a { margin-left: 1px }",
        ".x{padding-right:0}",
        ".x { left: 0 }",
        ".x { float: right; }",
        ".x { text-align: left }",
        ".x { border-top-left-radius: 2px }",
        ".x { padding: 0 1rem 0 2rem; }",
        ".x{border-right:1px solid}",
    ):
        assert physical_sides(css), css
    for css in (
        ".x { margin-inline-start: 1px; padding: 0 1rem; margin: 1px 2px 3px 2px }",
        ".x { text-align: start; float: inline-end; inset-inline-start: 0 }",
        "/* on the left */ .left-column { color: red }",
    ):
        assert physical_sides(css) == [], css


def test_the_checker_reads_every_stylesheet_the_site_ships() -> None:
    shipped = _shipped()
    assert "site/static/knowhow/site.css" in shipped
    assert "site/static/knowhow/print.css" in shipped
    assert "widgets/static/widgets/frame.css" in shipped
    assert "newsroom/static/newsroom/newsroom.css" in shipped
    assert ".kw{" in shipped["widgets/static/widgets/embed.js"]


def test_shipped_css_uses_logical_sides_only() -> None:
    found = {path: sides for path, css in _shipped().items() if (sides := physical_sides(css))}
    assert found == {}


# Colours -------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOUR = r"#[0-9a-fA-F]{3,6}\b"


def schemes() -> dict[str, dict[str, str]]:
    """Each scheme's colours, from the root's `--name: colour` and
    `--name: light-dark(light colour, dark colour)`."""
    css = SITE_CSS.read_text()
    start = css.index(":root {")
    body = css[start : css.index("}", start)]
    both = dict(re.findall(rf"--([\w-]+)\s*:\s*({COLOUR})", body))
    paired = re.findall(rf"--([\w-]+)\s*:\s*light-dark\(\s*({COLOUR})\s*,\s*({COLOUR})\s*\)", body)
    return {
        "light": {**both, **{name: light for name, light, _ in paired}},
        "dark": {**both, **{name: dark for name, _, dark in paired}},
    }


# The grounds a focused control or link can stand on.
GROUNDS = ("paper", "tint", "card", "warn-tint", "ok-tint", "held-tint")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out_on_every_ground(scheme: str) -> None:
    colours = schemes()[scheme]
    for ground in GROUNDS:
        # The ring is yellow beside near-black: one of the two must stand out.
        best = max(contrast(colours["focus"], colours[ground]),
                   contrast(colours["focus-ink"], colours[ground]))  # fmt: skip
        assert best >= 3, (scheme, ground, best)
    # Words on the yellow of a focused link stay readable.
    assert contrast(colours["focus"], colours["focus-ink"]) >= 4.5


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_field_borders_and_text_have_their_contrast(scheme: str) -> None:
    colours = schemes()[scheme]
    for ground in ("paper", "tint"):
        assert contrast(colours["field-border"], colours[ground]) >= 3, (scheme, ground)
        assert contrast(colours["ink"], colours[ground]) >= 4.5
        assert contrast(colours["muted"], colours[ground]) >= 4.5
        assert contrast(colours["accent"], colours[ground]) >= 4.5
    assert contrast(colours["accent-ink"], colours["accent"]) >= 4.5
    for tint, ink in (("warn-tint", "warn"), ("ok-tint", "ink"), ("held-tint", "held-ink"),
                      ("ins-tint", "ins-ink"), ("del-tint", "del-ink")):  # fmt: skip
        assert contrast(colours[tint], colours[ink]) >= 4.5, (scheme, tint)
