"""Cursor paging for every list of the API: `?limit=` items, and a `next` link whose
`cursor` is opaque and signed, so a client cannot forge one or carry it to another list.

Lists ordered by a unique key page by that key (a post or article arriving meanwhile shifts
nothing); search results, ranked, page by their page number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from knowhow.api.errors import ApiError

T = TypeVar("T")
M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_SIGNER = signing.Signer(salt="knowhow.api.cursor")


@dataclass(frozen=True)
class Window:
    """Where a list starts (the cursor's values, None for the first page) and how long."""

    kind: str
    after: list[Any] | None
    limit: int


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    # The cursor's values of the next page; None on the last.
    next_after: list[Any] | None


def window(request: HttpRequest, kind: str) -> Window:
    """The requested window of the list `kind`, or a 400 naming the parameter at fault."""
    raw_limit = request.GET.get("limit", "")
    limit = DEFAULT_LIMIT
    if raw_limit:
        if (
            not raw_limit.isascii()
            or not raw_limit.isdigit()
            or not 1 <= int(raw_limit) <= MAX_LIMIT
        ):
            message = f"limit is a whole number from 1 to {MAX_LIMIT}."
            raise ApiError(400, "invalid", message, {"limit": [message]})
        limit = int(raw_limit)
    text = request.GET.get("cursor", "")
    if not text:
        return Window(kind, None, limit)
    try:
        found = _SIGNER.unsign_object(text)
    except (signing.BadSignature, ValueError, UnicodeError):
        found = None
    if not (isinstance(found, list) and len(found) == 2 and found[0] == kind):
        message = "This cursor is not one this list gave: start again without it."
        raise ApiError(400, "bad_cursor", message, {"cursor": [message]})
    values = found[1]
    return Window(kind, values if isinstance(values, list) else [values], limit)


def _after(order: Sequence[str], values: list[Any]) -> Q:
    """Rows after the one with these values, in this order (each field may be descending)."""
    condition = Q(pk__in=[])
    for i, spelled in enumerate(order):
        name = spelled.lstrip("-")
        step = {f"{name}__{'lt' if spelled.startswith('-') else 'gt'}": values[i]}
        same = {other.lstrip("-"): values[j] for j, other in enumerate(order[:i])}
        condition |= Q(**same, **step)
    return condition


def by_key(rows: QuerySet[M], order: Sequence[str], at: Window) -> Page[M]:
    """A page of rows ordered by `order`, whose last field is unique."""
    rows = rows.order_by(*order)
    if at.after is not None:
        if len(at.after) != len(order):
            raise ApiError(400, "bad_cursor", "This cursor is not one this list gave.")
        rows = rows.filter(_after(order, at.after))
    found = list(rows[: at.limit + 1])
    items = found[: at.limit]
    if len(found) <= at.limit:
        return Page(items, None)
    last = items[-1]
    values = []
    for spelled in order:
        value = getattr(last, spelled.lstrip("-"))
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return Page(items, values)


def by_offset(items: Sequence[T], at: Window) -> Page[T]:
    """A page of a short list known whole."""
    start = int(at.after[0]) if at.after and isinstance(at.after[0], int) else 0
    start = max(0, start)
    shown = list(items[start : start + at.limit])
    more = start + at.limit < len(items)
    return Page(shown, [start + at.limit] if more else None)


def next_link(request: HttpRequest, at: Window, page: Page[Any]) -> str | None:
    """The address of the next page: this one's, with the next cursor."""
    if page.next_after is None:
        return None
    query = {k: v for k, v in request.GET.items() if k != "cursor"}
    query["cursor"] = _SIGNER.sign_object([at.kind, page.next_after])
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
