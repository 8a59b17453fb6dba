"""Every word of the interface goes through Django's translation machinery, and the shipped
Spanish and Arabic catalogues translate all of it.

For each part of the code (an app, or "root" for the modules directly under knowhow/), this
fails on:
- literal words in a template: text between tags, and the attributes a reader sees or hears
  (alt, title, placeholder, aria-label, a button's value, the page's description);
- a literal string handed to the interface in Python: a ValidationError, a message, a form
  field's label or help, a model's verbose name, a choice's label;
- a missing, incomplete or fuzzy catalogue in either language, a compiled catalogue that
  differs from its source, a string the code asks for that its catalogue lacks, and a
  catalogue Django does not load.

A line that must stay as written (a brand, a code sample) ends with `{# notranslate #}` in a
template or `# notranslate` in Python.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType
from django.utils import translation

import knowhow

SRC = Path(knowhow.__file__).parent
LANGUAGES = ("es", "ar")
ROOT = "root"

# Modules at the root that speak to operators in a terminal, not to readers.
ROOT_MODULES_FOR_OPERATORS = {"__init__.py", "__main__.py", "cli.py", "config.py", "settings.py"}
# Python under these folders speaks to operators (commands) or to the database (migrations).
NOT_INTERFACE_FOLDERS = {"migrations", "management", "tests"}

LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDER = "\ue000"
VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-placeholder",
    "aria-valuetext",
    "label",
}


def units() -> list[str]:
    apps = sorted(p.parent.name for p in SRC.glob("*/apps.py"))
    return [*apps, ROOT]


def translated_units() -> list[str]:
    return units()


def unit_folder(unit: str) -> Path:
    return SRC if unit == ROOT else SRC / unit


def templates_of(unit: str) -> list[Path]:
    if unit == ROOT:
        return []
    folder = SRC / unit / "templates"
    return sorted(p for p in folder.rglob("*") if p.suffix in {".html", ".txt", ".xml"})


def python_of(unit: str) -> list[Path]:
    if unit == ROOT:
        return sorted(p for p in SRC.glob("*.py") if p.name not in ROOT_MODULES_FOR_OPERATORS)
    return sorted(
        p
        for p in (SRC / unit).rglob("*.py")
        if not NOT_INTERFACE_FOLDERS & set(p.relative_to(SRC / unit).parts)
    )


# Templates -------------------------------------------------------------------------------


# `name="words"` in an include's or a with's arguments (not `name=_("words")`).
HANDED_VALUE = re.compile(r'\b\w+="([^"]*)"')


def skeleton(source: str) -> str:
    """The template with every tag and variable replaced by a placeholder and every
    translated block, comment and exempt line removed: what is left is literal text."""
    source = "\n".join("" if "{# notranslate #}" in line else line for line in source.split("\n"))
    out: list[str] = []
    skipping_until: str | None = None
    for token in Lexer(source).tokenize():
        if skipping_until:
            if token.token_type is TokenType.BLOCK and token.contents.split()[0] == skipping_until:
                skipping_until = None
                out.append(PLACEHOLDER)
            continue
        if token.token_type is TokenType.TEXT:
            out.append(token.contents)
            continue
        if token.token_type is TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans"}:
                skipping_until = "end" + name
            elif name == "comment":
                skipping_until = "endcomment"
            elif name in {"include", "with"}:
                # A value handed to an included part (its heading, its landmark's label)
                # shows as written unless it is _("…").
                for value in HANDED_VALUE.findall(token.contents):
                    if " " in value or value[:1].isupper():
                        out.append(f"<p>{value}</p>")
        out.append(PLACEHOLDER)
    return "".join(out)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES and LETTER.search(value):
                self.found.append(f'<{tag} {name}="{value}">')
        button = tag == "input" and values.get("type") in {"submit", "button", "reset"}
        value = values.get("value") or ""
        if button and LETTER.search(value):
            self.found.append(f'<input value="{value}">')
        if tag == "meta" and values.get("name") == "description":
            content = values.get("content") or ""
            if LETTER.search(content):
                self.found.append(f'<meta content="{content}">')
        if tag in {"script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and LETTER.search(data):
            self.found.append(" ".join(data.split()))


def literal_text(path: Path) -> list[str]:
    text = skeleton(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [" ".join(line.split()) for line in text.splitlines() if LETTER.search(line)]
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    return [found.replace(PLACEHOLDER, "…") for found in parser.found]


# Python ----------------------------------------------------------------------------------

SINK_CALLS = {"ValidationError", "add_error", "add_message"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
SINK_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "message",
    "error_messages",
    "choices",
}
TRANSLATORS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}


def _literals(node: ast.AST) -> Iterator[ast.AST]:
    """String literals with words in them, not inside a call to a translation function."""
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in TRANSLATORS:
            return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if LETTER.search(node.value) and (" " in node.value.strip() or node.value.istitle()):
            yield node
        return
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        if any(LETTER.search(str(part)) for part in parts):
            yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def _call_name(call: ast.Call) -> tuple[str, str]:
    func = call.func
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return owner, func.attr
    return "", ""


def bypassing_strings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            owner, name = _call_name(node)
            if name in SINK_CALLS or (owner == "messages" and name in MESSAGE_LEVELS):
                arguments = node.args[1:] if name in {"add_error", "add_message"} else node.args
                if owner == "messages":
                    arguments = node.args[1:]
                for argument in arguments:
                    found.extend(_literals(argument))
            for keyword in node.keywords:
                if keyword.arg in SINK_KEYWORDS:
                    found.extend(_literals(keyword.value))
        elif isinstance(node, ast.ClassDef):
            bases = {getattr(b, "attr", getattr(b, "id", "")) for b in node.bases}
            for statement in node.body:
                if not isinstance(statement, ast.Assign):
                    continue
                targets = {getattr(t, "id", "") for t in statement.targets}
                if node.name == "Meta" and targets & {"verbose_name", "verbose_name_plural"}:
                    found.extend(_literals(statement.value))
                if bases & {"TextChoices", "IntegerChoices", "Choices"}:
                    value = statement.value
                    if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
                        found.extend(_literals(value.elts[-1]))
    return [
        f"{path.relative_to(SRC)}:{node.lineno}: {lines[node.lineno - 1].strip()}"
        for node in found
        if "# notranslate" not in lines[node.lineno - 1]
    ]


# Catalogues ------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.context}\x04{self.msgid}" if self.context is not None else self.msgid


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a .po string is a C string, close enough to Python's


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header included (msgid "")."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started
        if started:
            entries.append(entry)
        entry, started = Entry(), False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            if started and target and target[0] != "msgctxt":
                finish()
            entry.fuzzy = True
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = _unquote(line)
            assert target, f"{path}:{number}: a string continues nothing"
            kind, index = target
            if kind == "msgctxt":
                entry.context = (entry.context or "") + value
            elif kind == "msgid":
                entry.msgid += value
            elif kind == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            else:
                entry.strings[index] += value
            continue
        if keyword in {"msgctxt", "msgid"} and started and target and target[0] not in {"msgctxt"}:
            finish()
        started = True
        entry.line = entry.line or number
        value = _unquote(rest)
        if keyword == "msgctxt":
            entry.context, target = value, ("msgctxt", 0)
        elif keyword == "msgid":
            entry.msgid, target = value, ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.plural, target = value, ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.strings[0], target = value, ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.strings[index], target = value, ("msgstr", index)
    finish()
    return entries


def catalogue(unit: str, language: str) -> Path:
    return unit_folder(unit) / "locale" / language / "LC_MESSAGES" / "django.po"


def asked_for(unit: str) -> set[str]:
    """The plain msgids the unit's code asks for in its simplest forms: `{% translate "…" %}`
    and `_("…")`, `gettext("…")`, `gettext_lazy("…")`."""
    wanted: set[str] = set()
    simple_tag = re.compile(
        r"""\{%\s*(?:translate|trans)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*(?:as\s+\w+\s*)?%\}"""
    )
    for path in templates_of(unit):
        for match in simple_tag.finditer(path.read_text(encoding="utf-8")):
            wanted.add(match.group(1)[1:-1])
    for path in python_of(unit):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"_", "gettext", "gettext_lazy"}
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                wanted.add(node.args[0].value)
    return wanted


def uses_translation(unit: str) -> bool:
    if any(
        "{% translate" in p.read_text() or "{% blocktranslate" in p.read_text()
        for p in templates_of(unit)
    ):
        return True
    return any("gettext" in p.read_text() for p in python_of(unit))


# Tests -----------------------------------------------------------------------------------


def test_every_part_of_the_code_is_checked() -> None:
    assert {"site", "discussion", "newsroom", "moderation", "accounts", ROOT} <= set(units())


@pytest.mark.parametrize("unit", translated_units())
def test_templates_have_no_untranslated_words(unit: str) -> None:
    untranslated = {
        str(path.relative_to(SRC)): words
        for path in templates_of(unit)
        if (words := literal_text(path))
    }
    assert not untranslated, "words a reader sees bypass translation:\n" + "\n".join(
        f"{path}: {words}" for path, words in untranslated.items()
    )


@pytest.mark.parametrize("unit", translated_units())
def test_python_hands_the_interface_no_untranslated_words(unit: str) -> None:
    untranslated = [line for path in python_of(unit) for line in bypassing_strings(path)]
    assert not untranslated, "strings a reader sees bypass translation:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("unit", translated_units())
def test_catalogue_translates_every_string(unit: str, language: str) -> None:
    if not uses_translation(unit):
        assert not catalogue(unit, language).exists(), "a catalogue for a part with no strings"
        return
    path = catalogue(unit, language)
    assert path.exists(), f"{path.relative_to(SRC)} is missing"
    entries = read_po(path)
    header = next(e for e in entries if e.msgid == "" and e.context is None)
    if language == "ar":
        assert "nplurals=6" in header.strings[0], "Arabic has six plural forms"
    problems = []
    for entry in entries:
        if entry.msgid == "":
            continue
        where = f"{path.relative_to(SRC)}:{entry.line}: {entry.msgid!r}"
        if entry.fuzzy:
            problems.append(f"{where} is fuzzy")
        if not entry.strings or not all(entry.strings.values()):
            problems.append(f"{where} is not translated")
    missing = asked_for(unit) - {e.msgid for e in entries}
    problems += [
        f"{path.relative_to(SRC)} lacks {msgid!r} (run makemessages)" for msgid in sorted(missing)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("unit", translated_units())
def test_compiled_catalogue_matches_its_source(unit: str, language: str) -> None:
    path = catalogue(unit, language)
    if not path.exists():
        return
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled.relative_to(SRC)} is missing (run compilemessages)"
    with compiled.open("rb") as handle:
        loaded = gettext.GNUTranslations(handle)
    shipped = dict(loaded._catalog)  # type: ignore[attr-defined]
    for entry in read_po(path):
        if entry.msgid == "":
            continue
        if entry.plural is None:
            assert shipped.get(entry.key) == entry.strings[0], (
                f"{compiled.relative_to(SRC)} differs from its .po at {entry.msgid!r}: "
                "run compilemessages"
            )
        else:
            for index, text in entry.strings.items():
                assert shipped.get((entry.key, index)) == text, (
                    f"{compiled.relative_to(SRC)} differs at {entry.msgid!r}[{index}]"
                )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("unit", translated_units())
def test_django_finds_the_catalogue(unit: str, language: str) -> None:
    path = catalogue(unit, language)
    if not path.exists():
        return
    untranslated = []
    with translation.override(language):
        for entry in read_po(path):
            if entry.msgid == "" or entry.plural is not None or entry.context is not None:
                continue
            if entry.strings[0] != entry.msgid and translation.gettext(entry.msgid) == entry.msgid:
                untranslated.append(entry.msgid)
    assert not untranslated, f"Django does not load {path.relative_to(SRC)}: {untranslated[:5]}"
