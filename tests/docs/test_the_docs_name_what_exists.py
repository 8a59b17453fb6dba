"""The documentation names what the code has: every variable the code reads is on the
Configuration page, every `knowhow` command a page gives exists, and every command the site
adds is in the command table."""

from __future__ import annotations

import re
import tomllib

import pytest
from django.core.management import get_commands

from tests.docs.built_site import DOCS, ROOT

pytestmark = pytest.mark.same_in_both_passes

CONFIGURATION = DOCS / "operators" / "configuration.md"
COMMANDS = DOCS / "operators" / "commands.md"


def variables_in_the_code() -> set[str]:
    used = set()
    for path in (ROOT / "src" / "knowhow").rglob("*.py"):
        used |= set(re.findall(r'"(KNOWHOW_[A-Z_]+)"', path.read_text()))
    assert used, "no KNOWHOW_ variables found"
    return used


def test_every_variable_in_the_code_is_on_the_configuration_page() -> None:
    page = CONFIGURATION.read_text()
    # Listed in a table's first column, not merely mentioned in a sentence.
    listed = {
        name
        for first_cell in re.findall(r"^\|([^|]*)\|", page, re.M)
        for name in re.findall(r"`(KNOWHOW_[A-Z_]+)`", first_cell)
    }
    missing = sorted(variables_in_the_code() - listed)
    assert missing == []


def _commands_named(text: str) -> set[str]:
    named = set(re.findall(r"`knowhow ([a-z][a-z_]*)", text))
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            # The command itself, or run in a container (`exec app`, the image's `/data`).
            named |= set(re.findall(r"^knowhow ([a-z][a-z_]*)", line))
            named |= set(re.findall(r"(?:exec \w+|:/data) knowhow ([a-z][a-z_]*)", line))
    return named


def test_every_knowhow_command_the_docs_give_exists() -> None:
    named: set[str] = set()
    for page in DOCS.rglob("*.md"):
        named |= _commands_named(page.read_text())
    assert {"serve", "migrate", "createsuperuser", "backup", "restore", "import"} <= named
    unknown = sorted(name for name in named if name not in get_commands())
    assert unknown == []


def test_the_command_finder_reads_code_spans_and_shell_lines() -> None:
    text = (
        "Run `knowhow serve` or\n```sh\nknowhow migrate   # then knowhow x\n"
        "createdb --owner knowhow knowhow\ndocker compose exec app knowhow nosuch\n```\n"
    )
    assert _commands_named(text) == {"serve", "migrate", "nosuch"}


def test_every_command_the_site_adds_is_in_the_command_table() -> None:
    own = {
        path.stem
        for path in (ROOT / "src" / "knowhow").rglob("management/commands/*.py")
        if not path.stem.startswith("_")
    }
    assert {"serve", "backup", "import"} <= own
    table = set(re.findall(r"^\| `knowhow ([a-z_]+)", COMMANDS.read_text(), re.M))
    assert sorted(own - table) == []


def _layers_in_the_contract() -> list[set[str]]:
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (layers,) = (
        c["layers"] for c in contract["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    )
    return [{name.strip() for name in layer.split("|")} for layer in layers]


def _layers_drawn() -> list[set[str]]:
    """Each box of the drawing is a layer; a long layer runs on over several rows."""
    page = (DOCS / "architecture.md").read_text()
    drawing = page.split("```text", 1)[1].split("```", 1)[0]
    boxes: list[set[str]] = []
    for box in re.split(r"^\+-+\+$", drawing, flags=re.M):
        names = {
            name.strip()
            for row in box.splitlines()
            if row.startswith("|")
            for name in row.strip().strip("|").split("|")
        }
        if names:
            boxes.append(names)
    return boxes


def test_the_architecture_page_draws_the_layers_the_contract_holds() -> None:
    assert _layers_drawn() == _layers_in_the_contract()
