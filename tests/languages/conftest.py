"""A site that lets readers switch between English, Spanish and Arabic."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowhow.articles.models import Article
from tests.pagecache.conftest import Clock, Server


@pytest.fixture
def multilingual_server(several_languages: None, transactional_db: None) -> Server:
    """One server process's page cache on a site with three interface languages."""
    return Server(Clock())


@pytest.fixture
def translated(make_article: Callable[..., Article]) -> tuple[Article, Article]:
    """An English original and its Spanish translation, both published."""
    original = make_article("What is a Muscle Cramp?")
    spanish = make_article(
        "¿Qué es un calambre muscular?",
        slug="que-es-un-calambre-muscular",
        language="es",
        translation_of=original,
        body="Un calambre es una contracción repentina y dolorosa de un músculo.\n\n"
        "Estirar el músculo suele aliviarlo.",
    )
    return original, spanish


@pytest.fixture
def server(transactional_db: None) -> Server:
    """One server process's page cache, on a site in one language."""
    return Server(Clock())
