"""Who writes a model: the places in src/ that call a write on its rows.

A write is a call of save, delete, create, update, bulk_create, bulk_update, get_or_create
or update_or_create on `Model.objects...` or `Model._default_manager...`, or on a queryset
or instance reached through a variable named for the model (`post.save()`,
`posts.update(...)`). Asked about fields, a write is such a call naming one of them as a
keyword (`.update(related_scores=...)`), or an assignment to one (`a.related_scores = x`).
Tests use it to keep "the only way" docstrings true.
"""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "knowhow"
WRITES = frozenset(
    {
        "save",
        "delete",
        "create",
        "update",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
    }
)


def parse(path: Path) -> ast.Module:
    """The file's syntax tree. Python 3.11's tree builder can raise a spurious SystemError
    ("recursion depth mismatch") while other threads of the test process run; the file is
    then parsed again, and at last in a fresh process."""
    text = path.read_text(encoding="utf-8")
    for _ in range(3):
        try:
            return ast.parse(text, filename=str(path))
        except SystemError:
            continue
    tree = subprocess.run(  # noqa: S603 - this interpreter, reading the file's text
        [
            sys.executable,
            "-c",
            "import ast, pickle, sys; "
            "sys.stdout.buffer.write(pickle.dumps(ast.parse(sys.stdin.read())))",
        ],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout
    parsed: ast.Module = pickle.loads(tree)  # noqa: S301 - made just now by this interpreter
    return parsed


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def writers(
    model: str, *, names: frozenset[str] = frozenset(), fields: frozenset[str] = frozenset()
) -> set[str]:
    """The files (relative to src/knowhow) that write the model's rows, or the fields."""
    found: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        tree = parse(path)
        for node in ast.walk(tree):
            if _writes(node, model, names, fields):
                found.add(path.relative_to(SRC).as_posix())
    return found


def _writes(node: ast.AST, model: str, names: frozenset[str], fields: frozenset[str]) -> bool:
    if isinstance(node, ast.Assign):  # `article.related_scores = ...`, saved later
        return any(isinstance(t, ast.Attribute) and t.attr in fields for t in node.targets)
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
    ):
        return False
    if fields:
        # `.update(related_scores=...)`, or `bulk_update(rows, ["related_scores"])`.
        named = {keyword.arg for keyword in node.keywords} | {
            element.value
            for argument in node.args
            if isinstance(argument, ast.List | ast.Tuple)
            for element in argument.elts
            if isinstance(element, ast.Constant)
        }
        return bool(named & fields)
    source = ast.unparse(node.func.value)
    root = _root(node.func.value)
    return (
        f"{model}.objects" in source
        or f"{model}._default_manager" in source
        or (isinstance(root, ast.Name) and root.id in names)
    )


def outside(found: set[str], allowed: set[str]) -> set[str]:
    """The files among found that the allow-list does not name; "*/migrations/*" allows
    every app's migrations (they run once, on the schema of their time)."""
    return {
        path
        for path in found
        if path not in allowed and not ("*/migrations/*" in allowed and "/migrations/" in path)
    }
