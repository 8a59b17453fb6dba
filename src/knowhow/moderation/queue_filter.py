"""What the moderation queue shows, from its address: which posts (held, reported or both),
why they wait, which article, and in what order. Each choice is a GET parameter, so a
decision (a form's `next`, or a script's request) comes back to the same view of the queue;
an unknown value is the default, never an error."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.http import QueryDict

from knowhow.antiabuse import spam
from knowhow.discussion.models import Post
from knowhow.moderation.models import Flag

SHOW = {"all": "All posts", "held": "Held only", "reported": "Reported only"}
SORT = {"oldest": "Oldest first", "newest": "Newest first"}

# Why a post waits, as the queue's "Reason" offers it: the code of a hold (Post.held_code),
# or the reason readers gave in an open report.
HELD = "held:"
REPORT = "report:"
HELD_REASONS: dict[str, str] = {
    Post.HELD_FOR_REPORTS: "Hidden by readers' reports",
    spam.ANONYMOUS_NEEDS_APPROVAL: "Anonymous post",
    spam.FIRST_POST_NEEDS_APPROVAL: "First post of an account",
    spam.LIKE_MARKED_SPAM: "Like a post marked spam",
    spam.BLOCKED_WORD: "Blocked word",
    spam.BLOCKED_DOMAIN: "Blocked domain",
    spam.TOO_MANY_LINKS: "Too many links",
    spam.REPEATED_ELSEWHERE: "Same text elsewhere",
    spam.CHECKER_SAYS_SPAM: "The spam checker",
}


def reason_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The reasons, grouped as the select shows them."""
    return [
        ("Held because", [(HELD + code, label) for code, label in HELD_REASONS.items()]),
        ("Reported as", [(REPORT + value, str(label)) for value, label in Flag.Reason.choices]),
    ]


@dataclass(frozen=True)
class QueueFilter:
    show: str = "all"
    reason: str = ""
    sort: str = "oldest"
    article: str = ""  # the article's slug

    @classmethod
    def from_query(cls, query: QueryDict) -> QueueFilter:
        show = query.get("show", "all")
        sort = query.get("sort", "oldest")
        reason = query.get("reason", "")
        known = reason.removeprefix(HELD) in HELD_REASONS if reason.startswith(HELD) else False
        known = known or (
            reason.startswith(REPORT) and reason.removeprefix(REPORT) in Flag.Reason.values
        )
        return cls(
            show=show if show in SHOW else "all",
            reason=reason if known else "",
            sort=sort if sort in SORT else "oldest",
            article=query.get("article", "").strip()[:255],
        )

    @property
    def held_code(self) -> str | None:
        """The hold code asked for, if the reason is one."""
        return self.reason.removeprefix(HELD) if self.reason.startswith(HELD) else None

    @property
    def report_reason(self) -> str | None:
        """The report reason asked for, if the reason is one."""
        return self.reason.removeprefix(REPORT) if self.reason.startswith(REPORT) else None

    @property
    def newest_first(self) -> bool:
        return self.sort == "newest"

    @property
    def narrowed(self) -> bool:
        """Whether any choice differs from the whole queue, oldest first."""
        return self != DEFAULT

    def params(self, **extra: str | int) -> list[tuple[str, str]]:
        chosen = [
            (name, value)
            for name, value in (
                ("show", self.show),
                ("reason", self.reason),
                ("sort", self.sort),
                ("article", self.article),
            )
            if value != getattr(DEFAULT, name)
        ]
        return chosen + [(name, str(value)) for name, value in extra.items()]

    def query(self) -> str:
        """ "?show=held&…" for the choices made, "" for the whole queue."""
        params = self.params()
        return f"?{urlencode(params)}" if params else ""

    def page_param(self, name: str) -> str:
        """The pagination partial's `param`: the choices, then the page's own parameter."""
        params = self.params()
        return f"{urlencode(params)}&{name}" if params else name

    def but(self, **changes: str) -> QueueFilter:
        return replace(self, **changes)


DEFAULT = QueueFilter()
