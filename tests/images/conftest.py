"""Pictures uploaded through the service, and the page cache as a server runs it."""

from __future__ import annotations

import pytest

from knowhow.images.models import Image
from knowhow.images.services import upload_image
from tests.images import pictures
from tests.pagecache.conftest import Clock, Server


@pytest.fixture
def photo(db: None) -> Image:
    return upload_image(
        file=pictures.upload(pictures.jpeg(1600, 1000)),
        alt="A runner stretching her calf against a wall",
        caption="Stretch before you run.",
        credit="Photo: Ana Lind",
        by=None,
    )


@pytest.fixture
def server(transactional_db: None) -> Server:
    return Server(Clock())


@pytest.fixture
def other_server(transactional_db: None) -> Server:
    """A second process's cache: its own memory, the same shared versions."""
    return Server(Clock())
