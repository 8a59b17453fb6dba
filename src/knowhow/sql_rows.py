"""Small reads on the posting path, each one SQL statement written out.

Posting asks a handful of small questions (was this form used, was this text marked spam,
was it posted elsewhere today, whom does @name stand for). Built through the ORM, each
costs 0.2 to 0.7 ms of Python to compile, several times what the database takes to
answer. Here the statement is written once with the models' own table and column names,
quoted for the database it runs on, and every value goes as a parameter.

    rows = select(Post, "SELECT 1 FROM {post} WHERE {post.form_nonce} = %s LIMIT 1", [nonce])

`write` runs a statement that changes rows the same way (the insert of a post's mentions,
which bulk_create would make without signals too).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper


class _Names:
    """A model's table as `{name}` and its fields' columns as `{name.field}`, quoted."""

    def __init__(self, model: type[models.Model], connection: BaseDatabaseWrapper) -> None:
        self._model = model
        self._quote = connection.ops.quote_name

    def __str__(self) -> str:
        return str(self._quote(self._model._meta.db_table))

    def __format__(self, spec: str) -> str:
        return str(self)

    def __getattr__(self, name: str) -> str:
        if name == "pk":
            name = str(self._model._meta.pk.name)
        field = self._model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column, name
        return str(self._quote(field.column))


@functools.lru_cache(maxsize=256)
def _statement(alias: str, template: str, named: tuple[tuple[str, type[models.Model]], ...]) -> str:
    connection = connections[alias]
    return template.format(**{name: _Names(model, connection) for name, model in named})


def select(
    model: type[models.Model],
    template: str,
    params: Sequence[Any],
    **others: type[models.Model],
) -> list[tuple[Any, ...]]:
    """The rows of the statement, read where the ORM would read `model` from.

    `{name}` in the template is the table of `model` (named by its model name in lower
    case) or of a model given by keyword, and `{name.field}` that field's column."""
    return _run(router.db_for_read(model), model, template, params, others, fetch=True)


def write(
    model: type[models.Model],
    template: str,
    params: Sequence[Any],
    **others: type[models.Model],
) -> None:
    """Run the statement where the ORM would write `model` (names as for select)."""
    _run(router.db_for_write(model), model, template, params, others, fetch=False)


def _run(
    alias: str,
    model: type[models.Model],
    template: str,
    params: Sequence[Any],
    others: dict[str, type[models.Model]],
    *,
    fetch: bool,
) -> list[tuple[Any, ...]]:
    connection = connections[alias]
    named = ((model._meta.model_name or "", model), *sorted(others.items()))
    sql = _statement(alias, template, tuple(named))
    values = [
        connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value
        for value in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return list(cursor.fetchall()) if fetch else []
