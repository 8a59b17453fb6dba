"""Which moderator's decision fits a post in which status: the one table.

The services lock a post and check its status against it (services._lock), the queue's
actions and buttons are built from it (actions.PostAction.statuses), so what the service
accepts and what the queue offers cannot disagree.
"""

from __future__ import annotations

from knowhow.discussion.models import Post

HELD = Post.Status.HELD
PUBLISHED = Post.Status.PUBLISHED

APPROVE = "approve"
REJECT = "reject"
SPAM = "spam"
REMOVE = "remove"
DISMISS = "dismiss"
# The harmless default of every decision form, what Enter sends: it changes nothing.
KEEP = "keep"

FITS: dict[str, frozenset[str]] = {
    APPROVE: frozenset({HELD}),
    REJECT: frozenset({HELD}),
    SPAM: frozenset({HELD, PUBLISHED}),
    # A held post is rejected, not removed: removing is for what readers could see.
    REMOVE: frozenset({PUBLISHED}),
    DISMISS: frozenset({HELD, PUBLISHED}),
}
