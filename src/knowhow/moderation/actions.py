"""The decisions the moderation queue offers on a post: the service each one calls, the
posts it makes sense for, and what the moderator is told afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from knowhow.discussion.models import Post
from knowhow.moderation import services

HELD = Post.Status.HELD
PUBLISHED = Post.Status.PUBLISHED


@dataclass(frozen=True)
class PostAction:
    name: str
    label: str
    # What the moderator is told afterwards; {posts} becomes "Post 3 on <title>" or a list of them.
    done: str
    statuses: frozenset[str]
    service: Callable[..., Post]

    def applies_to(self, post: Post) -> bool:
        """Whether the post is still in a state this decision is for (another moderator
        may have decided on it since the queue was shown)."""
        return post.status in self.statuses


APPROVE = PostAction("approve", "Approve", "Approved {posts}", frozenset({HELD}), services.approve)
REJECT = PostAction("reject", "Reject", "Rejected {posts}", frozenset({HELD}), services.reject)
SPAM = PostAction(
    "spam", "Mark spam", "Marked {posts} as spam", frozenset({HELD, PUBLISHED}), services.mark_spam
)
REMOVE = PostAction(
    "remove", "Remove", "Removed {posts}", frozenset({PUBLISHED}), services.remove_post
)
DISMISS = PostAction(
    "dismiss",
    "Dismiss reports",
    "Dismissed the reports on {posts}",
    frozenset({HELD, PUBLISHED}),
    services.dismiss_flags,
)

ACTIONS: dict[str, PostAction] = {a.name: a for a in (APPROVE, REJECT, SPAM, REMOVE, DISMISS)}
# What the queue's "Apply to selected" offers: the decisions that suit many posts at once.
BULK_ACTIONS: tuple[PostAction, ...] = (APPROVE, REJECT, SPAM, DISMISS)
