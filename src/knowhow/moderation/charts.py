"""Bar charts drawn on the server as inline SVG, for the moderators' dashboard.

Pure functions: numbers and words in, markup out, every word escaped. Colours and fonts are
SVG presentation attributes (fill=, stroke=, font-size=) because the site's
Content-Security-Policy refuses inline styles; no script, no external request. Each part
also has a class, so the page's stylesheet (moderation.css) repaints it from the site's
colour scheme, light or dark; the attributes are what a stylesheet-less reader sees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK = "#1d2330"
MUTED = "#5a6270"
GRID = "#dde1e7"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    colour: str
    # The name the stylesheet colours it by (data-series="posts").
    key: str = ""


@dataclass(frozen=True)
class Frame:
    """The chart's size and the margins that hold the legend and the axes' labels."""

    width: int = 960
    height: int = 340
    left: int = 52
    right: int = 12
    top: int = 48
    bottom: int = 44

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom


def _num(value: float) -> str:
    """A coordinate with no more digits than a screen can show."""
    return f"{value:.1f}".removesuffix(".0")


def tick_step(largest: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 50, ...) that covers `largest` in about `ticks` steps."""
    rough = max(largest, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= rough:
            return max(int(step), 1)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    label_every: int = 5,
    chart_id: str = "chart",
    frame: Frame | None = None,
) -> str:
    """A grouped bar chart: one group per label (a day), one bar per series in each group.

    Every `label_every`-th label is written under its group, counting back from the last so
    the newest is always named. Bars of zero are left out; each bar has a <title> with its
    label, value and series, and the whole has a <title> and <desc> for screen readers.
    """
    frame = frame or Frame()
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    largest = max((max(s.values, default=0) for s in series), default=0)
    step = tick_step(largest)
    top_value = step * max(1, math.ceil(largest / step))
    slot = frame.plot_width / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    base = frame.top + frame.plot_height

    def y_of(value: float) -> float:
        return base - frame.plot_height * value / top_value

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" '
        f'height="{frame.height}" role="img" aria-labelledby="{escape(title_id)} '
        f'{escape(desc_id)}" font-family="system-ui, sans-serif" font-size="13" fill="{INK}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]

    # The legend, in a row above the plot.
    parts.append('<g class="legend">')
    x = float(frame.left)
    for s in series:
        parts.append(
            f'<rect data-series="{escape(s.key)}" x="{_num(x)}" y="14" width="14" height="14" '
            f'fill="{escape(s.colour)}"/>'
            f'<text x="{_num(x + 20)}" y="26">{escape(s.name)}</text>'
        )
        x += 28 + 8.5 * len(s.name)
    parts.append("</g>")

    # Horizontal grid lines with the value axis's labels.
    parts.append('<g class="y-axis">')
    for value in range(0, top_value + 1, step):
        at = _num(y_of(value))
        parts.append(
            f'<line class="{"grid" if value else "axis"}" x1="{frame.left}" '
            f'x2="{frame.width - frame.right}" y1="{at}" y2="{at}" '
            f'stroke="{GRID if value else MUTED}" stroke-width="1"/>'
            f'<text class="axis-label" x="{frame.left - 8}" y="{at}" dy="0.35em" '
            f'text-anchor="end" fill="{MUTED}">{value}</text>'
        )
    parts.append("</g>")

    parts.append('<g class="bars">')
    for i, label in enumerate(labels):
        x0 = frame.left + slot * i + slot * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            if value <= 0:
                continue
            y = y_of(value)
            parts.append(
                f'<rect class="bar" data-series="{escape(s.key)}" x="{_num(x0 + bar * j)}" '
                f'y="{_num(y)}" '
                f'width="{_num(max(bar - 1, 1))}" height="{_num(base - y)}" '
                f'fill="{escape(s.colour)}"><title>{escape(label)}: {value} '
                f"{escape(s.name.lower())}</title></rect>"
            )
    parts.append("</g>")

    parts.append('<g class="x-axis">')
    last = len(labels) - 1
    for i, label in enumerate(labels):
        if (last - i) % max(label_every, 1):
            continue
        centre = frame.left + slot * (i + 0.5)
        # The last day's label ends at the plot's edge, so a long date is not cut off.
        label_x = frame.width - frame.right if i == last else centre
        anchor = "end" if i == last else "middle"
        parts.append(
            f'<line class="axis" x1="{_num(centre)}" x2="{_num(centre)}" y1="{_num(base)}" '
            f'y2="{_num(base + 5)}" stroke="{MUTED}"/>'
            f'<text class="axis-label" x="{_num(label_x)}" y="{_num(base + 22)}" '
            f'text-anchor="{anchor}" fill="{MUTED}">{escape(label)}</text>'
        )
    parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
