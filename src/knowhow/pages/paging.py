"""Paging long lists, the same pages and numbers as Django's, without reading far into an
index to reach the last ones."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def _rows(listed: Any, start: int, stop: int) -> list[Any]:
    """Rows start to stop of an ordered list. Past the first rows, their ids are found
    first (one narrow column, no joins), then just those rows are read whole: skipping
    thousands of whole rows with their joins costs in proportion to the depth. Every page
    but the first asks the same two queries, however deep."""
    if start == 0 or not isinstance(listed, QuerySet):
        return list(listed[start:stop])
    ids = list(listed.values_list("pk", flat=True)[start:stop])
    found = {row.pk: row for row in listed.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class NearerEndPaginator(Paginator):
    """Pages of an ordered query read from whichever end is nearer: the last page of a
    5,000-post thread or of a topic of 10,000 articles skips no rows, as the first skips
    none, and the middle skips at most half, and those by their ids alone. Pages and
    numbers are Paginator's own."""

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        listed = self.object_list
        if bottom <= self.count // 2 or not hasattr(listed, "reverse"):
            rows = _rows(listed, bottom, top)
        else:
            # The same rows, read backwards from the end, then put the right way round.
            rows = _rows(listed.reverse(), self.count - top, self.count - bottom)
            rows.reverse()
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]
