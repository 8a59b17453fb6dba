"""An article's "You might also Like" list is stored by search.services.store_related_lists,
and by the synthetic-site generator for the empty site it fills; working it out
(search.related) writes nothing."""

from __future__ import annotations

from tests.writers import outside, writers

ALLOWED = {
    "search/services.py",
    # `knowhow generate` fills an empty site's related lists from what it made each article
    # about, in bulk (demo.synthetic).
    "demo/synthetic.py",
    "*/migrations/*",
}


def test_only_the_search_services_store_related_lists() -> None:
    found = writers("Article", fields=frozenset({"related_scores"}))
    assert outside(found, ALLOWED) == set()
    assert "search/services.py" in found
