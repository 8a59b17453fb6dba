"""The API against its own OpenAPI document, read live: generated requests, well-formed and
malformed, never get a server error, and every answer matches the schema documented for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


def _load() -> Any:
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    # The loader leaves its response open, so Django never hears that the request finished:
    # say it, or every later database connection of the run would be bound as a request's.
    request_finished.send(sender=None)
    return loaded


schema = _load()


@pytest.fixture
def served(settings: Any, article: Any) -> Iterator[None]:
    """Requests served in the test's transaction, as Django's test client serves them (a
    finished request would close the test's connection), with room for many of them."""
    settings.API_RATE_ADDRESS = [(100_000, 60)]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    # Whatever request a generated case left open is over (its bounds too), with the test's
    # connection kept.
    request_finished.send(sender=None)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_api_keeps_to_its_document(case: Any, served: None) -> None:
    # Every check but one: a text with a NUL fits a string's schema, yet the site refuses it
    # in any address (400, site.unreadable), on purpose: PostgreSQL cannot store one.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
