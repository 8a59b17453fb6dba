"""Adding to a counter column and reading its new value back in one statement.

Post numbers and rate-limit counts are taken this way: `UPDATE ... RETURNING` locks the
row, adds and answers at once, where an UPDATE and a SELECT cost two round trips and two
compiled queries on every post.
"""

from __future__ import annotations

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper


def add_and_read(
    model: type[models.Model], *, key_field: str, key: int | str, column: str, amount: int = 1
) -> int | None:
    """Add amount to the column of the row whose key_field is key; its new value, or None
    when no row has that key. Call it inside a transaction: where the database cannot
    return rows from an UPDATE (SQLite before 3.35) it runs an UPDATE and a SELECT, and
    the transaction keeps the row locked between them."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    target = connection.ops.quote_name(_column(model, column))
    where = connection.ops.quote_name(_column(model, key_field))
    # Only the model's own names, quoted, are in the text; values go as parameters.
    update = f"UPDATE {table} SET {target} = {target} + %s WHERE {where} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        if returns_rows(connection):
            cursor.execute(f"{update} RETURNING {target}", [amount, key])
            row = cursor.fetchone()
        else:
            cursor.execute(update, [amount, key])
            if not cursor.rowcount:
                return None
            cursor.execute(f"SELECT {target} FROM {table} WHERE {where} = %s", [key])  # noqa: S608
            row = cursor.fetchone()
    return None if row is None else int(row[0])


def returns_rows(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database answers an UPDATE with RETURNING (SQLite from 3.35, PostgreSQL):
    the same support as returning columns from an INSERT."""
    return bool(connection.features.can_return_columns_from_insert)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return str(field.column)
