"""Paging long lists, the same pages and numbers as Django's, without reading far into an
index to reach the last ones."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class NearerEndPaginator(Paginator):
    """Pages of an ordered query read from whichever end is nearer: the last page of a
    5,000-post thread or of a topic of 10,000 articles skips no rows, as the first skips
    none, and the middle skips at most half. Pages and numbers are Paginator's own."""

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        posts = self.object_list
        if bottom <= self.count // 2 or not hasattr(posts, "reverse"):
            return super().page(number)
        # The same rows, read backwards from the end, then put the right way round.
        rows = list(posts.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]
