"""Form fields that name rows by id refuse ids no id column can hold, before any query.

SQLite raises OverflowError and PostgreSQL a DataError for an id past 2**63 - 1, which
would turn a typo or a hostile form into a server error instead of a form error.
"""

from __future__ import annotations

from typing import Any

from django import forms

# The largest value of a 64-bit signed id column (BigAutoField) on every database.
ID_MAX = 2**63 - 1


class RowsField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id; an id out of range is refused like an unknown one."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            digits = str(pk).strip().lstrip("-")
            if digits.isdigit() and not 0 < int(str(pk)) <= ID_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class RowIdField(forms.IntegerField):
    """One row's id (or number) typed or sent in a hidden field, within the column's range."""

    def __init__(self, *, min_value: int = 1, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=ID_MAX, **kwargs)
