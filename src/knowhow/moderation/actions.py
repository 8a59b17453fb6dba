"""The decisions the moderation queue offers on a post: the service each one calls, the
posts it makes sense for (from decisions.FITS), and what the moderator is told afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from knowhow.discussion.models import Post
from knowhow.moderation import decisions, services
from knowhow.moderation.decisions import FITS


@dataclass(frozen=True)
class PostAction:
    name: str
    label: str
    # What the moderator is told afterwards; {posts} becomes "Post 3 on <title>" or a list of them.
    done: str
    service: Callable[..., Post]
    # Offered only on a post with open reports (the queue loads them as `open_flags`).
    needs_reports: bool = False

    @property
    def statuses(self) -> frozenset[str]:
        return FITS[self.name]

    def applies_to(self, post: Post) -> bool:
        """Whether the post is still in a state this decision is for (another moderator
        may have decided on it since the queue was shown)."""
        return post.status in self.statuses

    def offered_for(self, post: Post) -> bool:
        """Whether the queue shows this decision's button on the post."""
        return self.applies_to(post) and (
            not self.needs_reports or bool(getattr(post, "open_flags", ()))
        )


APPROVE = PostAction(decisions.APPROVE, "Approve", "Approved {posts}", services.approve)
REJECT = PostAction(decisions.REJECT, "Reject", "Rejected {posts}", services.reject)
SPAM = PostAction(decisions.SPAM, "Mark spam", "Marked {posts} as spam", services.mark_spam)
REMOVE = PostAction(decisions.REMOVE, "Remove", "Removed {posts}", services.remove_post)
DISMISS = PostAction(
    decisions.DISMISS,
    "Dismiss reports",
    "Dismissed the reports on {posts}",
    services.dismiss_flags,
    needs_reports=True,
)

# In the order of the queue's buttons.
ACTIONS: dict[str, PostAction] = {a.name: a for a in (APPROVE, REJECT, REMOVE, SPAM, DISMISS)}
# What the queue's "Apply to selected" offers: the decisions that suit many posts at once.
BULK_ACTIONS: tuple[PostAction, ...] = (APPROVE, REJECT, REMOVE, SPAM, DISMISS)
