"""The decisions the moderation queue offers on a post: the service each one calls, the
posts it makes sense for (from decisions.FITS), and what the moderator is told afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from knowhow.discussion.models import Post
from knowhow.moderation import decisions, services
from knowhow.moderation.decisions import FITS


@dataclass(frozen=True)
class PostAction:
    name: str
    # The button's word and what the moderator is told afterwards, in English; `label` and
    # `done` give them in the moderator's language. {posts} becomes "Post 3 on <title>".
    label_words: str
    done_words: str
    service: Callable[..., Post]
    # Offered only on a post with open reports (the queue loads them as `open_flags`).
    needs_reports: bool = False

    @property
    def label(self) -> str:
        return gettext(self.label_words)

    @property
    def done(self) -> str:
        return gettext(self.done_words)

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


APPROVE = PostAction(
    decisions.APPROVE, gettext_noop("Approve"), gettext_noop("Approved {posts}"), services.approve
)
REJECT = PostAction(
    decisions.REJECT, gettext_noop("Reject"), gettext_noop("Rejected {posts}"), services.reject
)
SPAM = PostAction(
    decisions.SPAM,
    gettext_noop("Mark spam"),
    gettext_noop("Marked {posts} as spam"),
    services.mark_spam,
)
REMOVE = PostAction(
    decisions.REMOVE, gettext_noop("Remove"), gettext_noop("Removed {posts}"), services.remove_post
)
DISMISS = PostAction(
    decisions.DISMISS,
    gettext_noop("Dismiss reports"),
    gettext_noop("Dismissed the reports on {posts}"),
    services.dismiss_flags,
    needs_reports=True,
)

# In the order of the queue's buttons.
ACTIONS: dict[str, PostAction] = {a.name: a for a in (APPROVE, REJECT, REMOVE, SPAM, DISMISS)}
# What the queue's "Apply to selected" offers: the decisions that suit many posts at once.
BULK_ACTIONS: tuple[PostAction, ...] = (APPROVE, REJECT, REMOVE, SPAM, DISMISS)
