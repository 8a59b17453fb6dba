"""The SVG chart builder: a pure function of numbers and words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from knowhow.moderation.charts import Series, bar_chart, tick_step

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - markup the test itself just made


def chart(**overrides: object) -> str:
    fields: dict[str, object] = {
        "title": "Posts per day",
        "description": "Three days of posts.",
        "labels": ["1 May", "2 May", "3 May"],
        "series": [Series("Posts", [2, 0, 5], "#0b5cad"), Series("Held", [1, 0, 0], "#a35200")],
    }
    fields.update(overrides)
    return bar_chart(**fields)  # type: ignore[arg-type]


def test_chart_is_well_formed_svg_with_a_title_and_description() -> None:
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled_by = (root.get("aria-labelledby") or "").split()
    assert [root.find(f"{SVG}title"), root.find(f"{SVG}desc")] != [None, None]
    assert labelled_by == ["chart-title", "chart-desc"]
    assert root.findtext(f"{SVG}title") == "Posts per day"
    assert root.findtext(f"{SVG}desc") == "Three days of posts."


def test_one_bar_per_nonzero_value_with_its_number() -> None:
    root = parse(chart())
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert [b.findtext(f"{SVG}title") for b in bars] == [
        "1 May: 2 posts",
        "1 May: 1 held",
        "3 May: 5 posts",
    ]
    heights = [float(b.get("height") or 0) for b in bars]
    assert heights[2] > heights[0] > heights[1] > 0


def test_legend_names_every_series_and_axis_labels_every_few_days() -> None:
    labels = [f"{d} May" for d in range(1, 12)]
    svg = chart(labels=labels, series=[Series("Posts", [1] * 11, "#000")], label_every=5)
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Posts" in texts
    assert [t for t in texts if t and t.endswith("May")] == ["1 May", "6 May", "11 May"]


def test_every_word_is_escaped() -> None:
    svg = chart(
        title="<script>alert(1)</script>",
        description='"quoted" & more',
        labels=["<b>", "2", "3"],
        series=[Series("A&B <i>", [1, 1, 1], '"red" onload="x"')],
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert 'onload="x"' not in svg
    root = parse(svg)  # still well-formed
    assert root.findtext(f"{SVG}title") == "<script>alert(1)</script>"


def test_no_inline_styles_only_presentation_attributes() -> None:
    svg = chart()
    assert "style" not in svg
    assert 'fill="#0b5cad"' in svg and "stroke=" in svg


def test_all_zero_series_draws_axes_and_no_bars() -> None:
    svg = chart(series=[Series("Posts", [0, 0, 0], "#000")])
    assert 'class="bar"' not in svg
    assert re.search(r">0</text>", svg)


def test_series_and_labels_must_match() -> None:
    with pytest.raises(ValueError, match="one value per label"):
        chart(series=[Series("Posts", [1, 2], "#000")])


@pytest.mark.parametrize(
    ("largest", "step"), [(0, 1), (3, 1), (4, 1), (7, 2), (10, 5), (40, 10), (130, 50)]
)
def test_axis_steps_are_round_numbers(largest: int, step: int) -> None:
    assert tick_step(largest) == step
