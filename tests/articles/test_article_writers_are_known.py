"""Articles are written by the newsroom's workflow; the few other writers are named here
and in articles/services.py's docstring, each with what it writes, so a new one fails
until it goes through the workflow or is named with its reason."""

from __future__ import annotations

from tests.writers import outside, writers

ALLOWED = {
    # Every newsroom change: drafting, review, publishing, revisions.
    "articles/services.py",
    # The Markdown importer writes the row, then records the import through the workflow.
    "exchange/markdown.py",
    # The post counter: the next number of the article's discussion, under the row's lock.
    "discussion/services.py",
    # "You might also Like", stored on the article (search.services.store_related_lists).
    "search/services.py",
    # Removing the demo deletes its own articles (demo.loader.remove_demo).
    "demo/loader.py",
    # `knowhow generate` fills an empty site in bulk, related lists included (demo.synthetic).
    "demo/synthetic.py",
    "*/migrations/*",
}


def test_only_the_named_writers_write_articles() -> None:
    found = writers("Article", names=frozenset({"article", "articles"}))
    assert outside(found, ALLOWED) == set()
    assert "articles/services.py" in found
