"""A page not found is routine: no WARNING, and at INFO one line for it, not two."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.test import Client


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines_about(self, path: str) -> list[tuple[str, str]]:
        return [(r.levelname, r.getMessage()) for r in self.records if path in r.getMessage()]


@pytest.fixture
def log() -> Iterator[Records]:
    """What the site's log handler gets, at the level the operator chose."""
    records = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(records)
    yield records
    root.removeHandler(records)
    root.setLevel(level)


@pytest.mark.django_db
def test_a_missing_page_writes_no_warning(log: Records) -> None:
    logging.getLogger().setLevel(logging.WARNING)
    assert Client().get("/no-such-page/").status_code == 404
    assert log.lines_about("/no-such-page/") == []


@pytest.mark.django_db
def test_at_info_a_missing_page_is_one_info_line(log: Records) -> None:
    logging.getLogger().setLevel(logging.INFO)
    assert Client().get("/no-such-page/").status_code == 404
    (line,) = log.lines_about("/no-such-page/")
    assert line[0] == "INFO" and "404" in line[1]


@pytest.mark.django_db
def test_a_server_error_is_still_an_error(log: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    logging.getLogger().setLevel(logging.WARNING)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("knowhow.site.views.articles.recent_articles", boom)
    assert Client(raise_request_exception=False).get("/").status_code == 500
    assert ("ERROR", "Internal Server Error: /") in log.lines_about("Internal Server Error")
