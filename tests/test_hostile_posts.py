"""Every route refuses hostile values with a 4xx or a form error, never a 5xx.

The routes come from the URL configuration and the field names from every form in the
project, so a new route or field is tried without this file changing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowhow.articles.models import Article

# Values that break code which trusts a field: too big for any id column, NUL, a huge
# text, negative and fractional numbers, wrong types, and a valid-looking small id.
KNOWN_HOSTILE = [
    "9" * 25,
    str(2**63),
    "-1",
    "0",
    "1.5",
    "1e309",
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "[]",
    "{}",
    "null",
    "../../etc/passwd",
    "1",
    "",
]
HOSTILE = st.one_of(
    st.sampled_from(KNOWN_HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)


def routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def form_fields() -> list[str]:
    names: set[str] = set()
    todo: list[type] = [forms.BaseForm]
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith("knowhow."):
            names.update(getattr(form, "base_fields", {}))
    return sorted(names)


def post_routes() -> list[str]:
    """The project's own routes (not Django's admin), with any parameter left in."""
    return sorted(
        {
            "/" + route
            for route in routes(get_resolver().url_patterns)
            if not route.startswith(("admin/", "^")) and "(?P" not in route
        }
    )


# Loading the URL configuration imports every view, and so every form.
ROUTES = post_routes()
FIELDS = form_fields()


def address(route: str, number: str, article: Article) -> str:
    route = re.sub(r"<int:\w+>", number, route)
    return re.sub(r"<(?:slug|str|path):\w+>", article.slug, route)


@pytest.mark.parametrize("route", ROUTES)
def test_no_post_route_fails_on_hostile_values(db: None, article: Article, route: str) -> None:
    boss = User.objects.create_superuser("boss", "boss@example.org", "pw")
    number = st.sampled_from(["1", "9" * 25, str(2**63), "0"])

    @settings(
        max_examples=12,
        derandomize=True,  # the same tries every run: CI judges this change, not luck
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        as_staff=st.booleans(),
        number=number,
        values=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, HOSTILE)),
    )
    def attempt(as_staff: bool, number: str, values: dict[str, str]) -> None:
        client = Client(raise_request_exception=False)
        if as_staff:
            client.force_login(boss)
        answer = client.post(address(route, number, article), values)
        assert answer.status_code < 500, (route, values, answer.status_code)

    # Each known hostile value in every field at once, as staff, in every id of the address;
    # the same in the query string of a GET, which pages read for searches and choices.
    staff = Client(raise_request_exception=False)
    staff.force_login(boss)
    for value in KNOWN_HOSTILE:
        for id_value in ("1", value if value.lstrip("-").isdigit() else "1"):
            attempt.hypothesis.inner_test(True, id_value, dict.fromkeys(FIELDS, value))  # type: ignore[attr-defined]
        if len(value) < 1000:
            answer = staff.get(address(route, "1", article), dict.fromkeys(FIELDS, value))
            assert answer.status_code < 500, (route, "GET", value, answer.status_code)
    attempt()
