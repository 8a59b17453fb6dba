"""The documentation site builds in strict mode, every link and anchor between its pages
leads somewhere, and it loads nothing from the network."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs.built_site import (
    CONFIG,
    DOCS,
    ROOT,
    broken_links,
    build,
    network_loads,
    read,
)

pytestmark = pytest.mark.same_in_both_passes


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("site-docs")
    built = build(out)
    assert built.returncode == 0, built.stdout + built.stderr
    # Strict mode stops at the first warning; a warning that let it finish is one too.
    assert "WARNING" not in built.stdout + built.stderr, built.stdout + built.stderr
    yield out


def test_every_page_is_built_with_its_picture(site: Path) -> None:
    pages = sorted(p.relative_to(DOCS).with_suffix(".html") for p in DOCS.rglob("*.md"))
    assert len(pages) >= 30
    missing = [str(page) for page in pages if not (site / page).is_file()]
    assert missing == []
    editor = read(site / "writers" / "editor.html")
    assert ("img", "src", "../newsroom-editor.png") in editor.refs
    assert (site / "newsroom-editor.png").is_file()


def test_every_link_and_anchor_between_the_pages_resolves(site: Path) -> None:
    assert broken_links(site) == []
    # The checker looks at anchors too: pages link to sections of others.
    refs = [value for _t, _n, value in read(site / "operators" / "configuration.html").refs]
    assert "../moderators/keeping-the-discussion-clean.html#the-layers" in refs


def test_the_site_loads_nothing_from_the_network(site: Path) -> None:
    assert network_loads(site) == []


def test_the_link_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<h2 id="here">Here</h2><a href="b.html#there">b</a><a href="#here">here</a>'
        '<a href="gone.html">gone</a><a href="https://example.org/">out</a>'
        '<a href="b.html#nowhere">nowhere</a>'
    )
    (tmp_path / "b.html").write_text('<h2 id="there">There</h2><img src="pic.png" alt="">')
    assert broken_links(tmp_path) == [
        "a.html: gone.html",
        "a.html: b.html#nowhere",
        "b.html: pic.png",
    ]
    assert network_loads(tmp_path) == []
    (tmp_path / "c.html").write_text('<script src="https://cdn.example.org/x.js"></script>')
    assert network_loads(tmp_path) == ["c.html: <script src=https://cdn.example.org/x.js>"]


def test_a_link_to_a_missing_anchor_fails_the_build(tmp_path: Path) -> None:
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "operators" / "upgrading.md"
    page.write_text(page.read_text() + "\nSee [the restore](backups.md#no-such-section).\n")
    built = build(tmp_path / "out", tmp_path / "mkdocs.yml")
    assert built.returncode != 0
    assert "no-such-section" in built.stdout + built.stderr


def test_the_readme_gives_the_two_commands_and_the_way_to_the_docs() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.*?)```", readme, re.S)
    assert [line.split("#")[0].strip() for line in commands[0].splitlines()] == [
        "make serve",
        "make test",
    ]
    assert "make docs" in readme
    linked = re.findall(r"\]\(([^)#]+)\)", readme)
    assert "docs/index.md" in linked and "docs/operators/configuration.md" in linked
    missing = [link for link in linked if "://" not in link and not (ROOT / link).exists()]
    assert missing == []
    assert len(readme.splitlines()) < 80
