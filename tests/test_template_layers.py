"""Templates keep to the apps' layers as the code does (the import-linter contract in
pyproject.toml): a template may include or extend one of its own app, of a lower layer,
never one of a higher layer or of a sibling in its layer; likewise the tag libraries it
loads. A part that needs another app's above it (a moderator's controls in the
discussion) gets it from the page that composes both, by name in its context."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.template import engines
from django.template.exceptions import TemplateDoesNotExist

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "knowhow"
# {% include "name" %} and {% extends "name" %} with the name written out; a name from a
# variable is the context's to give, and the view that gives it answers for the layers.
NAMED = re.compile(r"""{%-?\s*(include|extends)\s+(["'])([^"']+)\2""")
LOADS = re.compile(r"{%-?\s*load\s+([^%]+?)\s*-?%}")


def layers() -> list[set[str]]:
    """The contract's layers, top first, each a set of app names (`site`, `pages`, ...)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [
        {name.strip().removeprefix("knowhow.") for name in layer.split("|")}
        for layer in contract["layers"]
    ]


def owner(path: Path) -> str:
    """The app whose templates folder holds the file."""
    return path.relative_to(SRC).parts[0]


def found_owner(name: str) -> str | None:
    """The app that answers for a template name as Django finds it; None outside knowhow."""
    try:
        origin = engines["django"].engine.find_template(name)[1]
    except TemplateDoesNotExist:
        return None
    path = Path(origin.name)
    return owner(path) if path.is_relative_to(SRC) else None


def library_owner(name: str) -> str | None:
    """The app whose templatetags module is the tag library of that name; None outside
    knowhow."""
    module = engines["django"].engine.libraries.get(name, "")
    return module.split(".")[1] if module.startswith("knowhow.") else None


def used(text: str) -> list[tuple[str, str, str | None]]:
    """(tag, name, owning app) of each template a text includes or extends and each tag
    library it loads."""
    found = [(tag, name, found_owner(name)) for tag, _, name in NAMED.findall(text)]
    for names in LOADS.findall(text):
        # {% load a b %}, or {% load tag1 tag2 from library %}: the library is the last word.
        libraries = names.split()[-1:] if " from " in f" {names} " else names.split()
        found += [("load", name, library_owner(name)) for name in libraries]
    return found


def crossings(app: str, text: str) -> list[str]:
    """Each include, extends or load in a template of `app` naming a template or a tag
    library of an app that is above it or beside it in the layers."""
    level = {name: index for index, layer in enumerate(layers()) for name in layer}
    wrong = []
    for tag, name, other in used(text):
        if other is None or other == app:
            continue
        assert app in level, f"{app} is not in the layers contract"
        assert other in level, f"{other} is not in the layers contract"
        if level[other] < level[app]:
            wrong.append(f"{tag} {name!r}: {other} is above {app}")
        elif level[other] == level[app]:
            wrong.append(f"{tag} {name!r}: {other} and {app} share a layer, neither uses the other")
    return wrong


def every_template() -> list[Path]:
    return sorted(p for p in SRC.glob("*/templates/**/*") if p.is_file())


def test_templates_use_only_their_own_app_or_lower_ones() -> None:
    templates = every_template()
    assert len(templates) > 100  # the walk found them
    wrong = {
        str(path.relative_to(SRC)): found
        for path in templates
        if (found := crossings(owner(path), path.read_text(encoding="utf-8")))
    }
    assert wrong == {}


def test_an_include_of_a_higher_app_is_found() -> None:
    # The discussion (below moderation) naming moderation's controls itself, as it once did.
    text = '{% if moderating %}{% include "moderation/partials/thread_controls.html" %}{% endif %}'
    assert crossings("discussion", text) == [
        "include 'moderation/partials/thread_controls.html': moderation is above discussion"
    ]
    # Moderation's pages may use the discussion's partials, and every page the skeleton.
    assert crossings("moderation", '{% include "discussion/partials/suspension.html" %}') == []
    assert crossings("moderation", '{% extends "base.html" %}') == []


def test_an_extends_of_a_sibling_or_a_higher_app_is_found() -> None:
    # The skeleton extending a page of the site above it; widgets using the site's partial.
    assert crossings("pages", "{% extends 'site/home.html' %}") == [
        "extends 'site/home.html': site is above pages"
    ]
    assert crossings("widgets", '{% include "partials/free_widgets.html" %}') == [
        "include 'partials/free_widgets.html': site and widgets share a layer, neither uses "
        "the other"
    ]


def test_a_tag_library_of_a_higher_app_is_found() -> None:
    # The discussion loading moderation's tags; the skeleton's own and a lower app's are fine.
    assert crossings("discussion", "{% load moderating pagecache %}") == [
        "load 'moderating': moderation is above discussion"
    ]
    assert crossings("discussion", "{% load decisions_for from moderating %}") == [
        "load 'moderating': moderation is above discussion"
    ]
    assert crossings("moderation", "{% load head static humanize pictures %}") == []


def test_a_name_the_context_gives_is_left_to_the_page_that_gives_it() -> None:
    assert crossings("discussion", "{% include moderator_controls %}") == []
    assert found_owner("no/such/template.html") is None
    try:
        engines["django"].engine.find_template("admin/base.html")
    except TemplateDoesNotExist:  # pragma: no cover - the admin is installed
        raise AssertionError("Django's admin templates are not found") from None
    assert found_owner("admin/base.html") is None
