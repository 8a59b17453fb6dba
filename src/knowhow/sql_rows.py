"""Small reads on the posting path, each one SQL statement written out.

Posting asks a handful of small questions (was this form used, was this text marked spam,
was it posted elsewhere today, whom does @name stand for). Built through the ORM, each
costs 0.2 to 0.7 ms of Python to compile, several times what the database takes to
answer. Here the statement is written once with the models' own table and column names,
quoted for the database it runs on, and every value goes as a parameter.

    rows = select(Post, "SELECT 1 FROM {post} WHERE {post.form_nonce} = %s LIMIT 1", [nonce])

`write` runs a statement that changes rows the same way (the insert of a post's mentions,
which bulk_create would make without signals too). `create` inserts a new model instance
as its save() would, signals and all, with its statement made once per process.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save, pre_save


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


_Field = models.Field[Any, Any]


@functools.lru_cache(maxsize=32)
def _insert(alias: str, model: type[models.Model]) -> tuple[str, tuple[_Field, ...]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = tuple(
        field
        for field in meta.local_concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    )
    # Names from the model, quoted; every value goes as a parameter.
    table = quote(meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    holes = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({holes})"  # noqa: S608
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(str(meta.pk.column))}"
    return sql, fields


def create(instance: models.Model) -> None:
    """Insert a new instance whose primary key the database assigns, as `instance.save()`
    would: pre_save and post_save (created) sent around one INSERT, each field's value
    prepared by the field. Only for models without parents, whose fields are all their own."""
    model = type(instance)
    meta = model._meta
    assert instance._state.adding and instance.pk is None and not meta.parents, model
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    sql, fields = _insert(alias, model)
    pre_save.send(sender=model, instance=instance, raw=False, using=alias, update_fields=None)
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.features.can_return_columns_from_insert:
            instance.pk = cursor.fetchone()[0]
        else:
            instance.pk = connection.ops.last_insert_id(cursor, meta.db_table, str(meta.pk.column))
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )
