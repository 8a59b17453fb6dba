"""Posts are written by the discussion's services and the moderators' decisions only: a
new writer elsewhere fails here until it goes through them (or is named, with a reason)."""

from __future__ import annotations

from tests.writers import outside, writers

ALLOWED = {
    # Posting, editing and deleting one's own, importing, an account's leaving.
    "discussion/services.py",
    # The moderators' decisions on a post (approve, reject, remove, ban with posts, undo).
    "moderation/services.py",
    "*/migrations/*",
}


def test_only_the_discussion_and_moderation_services_write_posts() -> None:
    found = writers("Post", names=frozenset({"post", "posts", "original"}))
    assert outside(found, ALLOWED) == set()


def test_the_sweep_sees_a_writer_when_there_is_one() -> None:
    assert "discussion/services.py" in writers("Post", names=frozenset({"post"}))
