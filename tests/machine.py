"""What a test needs from the machine: in a user's clone a missing server skips the test,
saying what to install; in CI (CI=true) it fails, so that no part goes untested unseen."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(what: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what}")
    pytest.skip(what)
