"""A 403 (an account without the right opening the newsroom) is one WARNING line naming the
request, without a traceback."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User

from tests import people


def test_a_403_on_the_newsroom_is_one_line_without_a_traceback(
    reader: User, caplog: pytest.LogCaptureFixture
) -> None:
    browser = people.signed_in(reader)
    with caplog.at_level(logging.INFO, logger="django.request"):
        answer = browser.get("/newsroom/")
    assert answer.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelname == "WARNING"
    assert record.getMessage() == "Forbidden (Permission denied): /newsroom/"
    assert record.exc_info is None
