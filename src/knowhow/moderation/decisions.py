"""Which moderator's decision fits a post in which status, and which decisions can be
undone: the one table.

The services lock a post and check its status against it (services._lock), the queue's
actions and buttons are built from it (actions.PostAction.statuses), and the log, the thread
and the queue offer Undo from it (undoable), so what the service accepts and what the pages
offer cannot disagree. Decision names are the log's action codes (ModerationAction.Action).
"""

from __future__ import annotations

from knowhow.discussion.models import Post

HELD = Post.Status.HELD
PUBLISHED = Post.Status.PUBLISHED
REJECTED = Post.Status.REJECTED
SPAM_STATUS = Post.Status.SPAM
REMOVED = Post.Status.REMOVED

APPROVE = "approve"
REJECT = "reject"
SPAM = "spam"
REMOVE = "remove"
DISMISS = "dismiss"
# The harmless default of every decision form, what Enter sends: it changes nothing.
KEEP = "keep"
# Reverses a logged decision: the post goes back to the status it had before it.
UNDO = "undo"
# A ban (shadow-hiding included), logged without a post status of its own to undo.
BAN = "ban"

# The status each decision that can be undone leaves a post in; Undo fits only while the
# post is still there (nothing else moves a post out of these, but check all the same).
UNDOES: dict[str, str] = {REJECT: REJECTED, SPAM: SPAM_STATUS, REMOVE: REMOVED}

# Where an undo returns a post whose log entry predates recording the previous status.
RESTORES_BY_DEFAULT: dict[str, str] = {REJECT: HELD, SPAM: HELD, REMOVE: PUBLISHED}

FITS: dict[str, frozenset[str]] = {
    APPROVE: frozenset({HELD}),
    REJECT: frozenset({HELD}),
    SPAM: frozenset({HELD, PUBLISHED}),
    # A held post is rejected, not removed: removing is for what readers could see.
    REMOVE: frozenset({PUBLISHED}),
    DISMISS: frozenset({HELD, PUBLISHED}),
    UNDO: frozenset(UNDOES.values()),
}


def undoable(action: str, post_status: str | None, undone: bool) -> bool:
    """Whether a logged decision can still be undone: one of the decisions Undo reverses,
    not undone yet, and (for a decision on a post) the post still as it left it."""
    if undone:
        return False
    if action == BAN:
        return True
    return action in UNDOES and post_status == UNDOES[action]
