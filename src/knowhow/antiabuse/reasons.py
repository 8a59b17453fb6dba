"""What a reader is told when their post is held for a moderator or refused: one plain
sentence per reason, saying why and what to do, with the numbers of the settings.

The guard's signals (antiabuse.spam) carry a code and words for moderators; the reader's
words for each code are here, and only here. The refusals of antiabuse.checks and of the
discussion take their words from here too, so one file reads as the whole list.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from knowhow.dates import clock_time

# The codes of the spam guard's signals and policies (antiabuse.spam), kept in step there.
TOO_MANY_LINKS = "too_many_links"
BLOCKED_WORD = "blocked_word"
BLOCKED_DOMAIN = "blocked_domain"
REPEATED_ELSEWHERE = "repeated_elsewhere"
CHECKER_SAYS_SPAM = "checker_says_spam"
LIKE_MARKED_SPAM = "like_marked_spam"
ANONYMOUS_NEEDS_APPROVAL = "anonymous_needs_approval"
FIRST_POST_NEEDS_APPROVAL = "first_post_needs_approval"


def _remove(extra: int) -> str:
    return "Remove one" if extra == 1 else f"Remove {extra}"


def too_many_links(*, count: int, anonymous: bool) -> str:
    limit = settings.ANONYMOUS_LINK_LIMIT
    extra = count - limit
    links = f"{limit} link{'s' if limit != 1 else ''}"
    if anonymous:
        return f"Anonymous posts can have {links}; yours has {count}. {_remove(extra)}, or sign in."
    return (
        f"Posts from new accounts can have {links}; yours has {count}. "
        f"{_remove(extra)}, or post again once a moderator has let your first posts through."
    )


def blocked_word(term: str) -> str:
    return (
        f"It contains “{term}”, a word a moderator checks before it goes up. "
        "If you did not mean it as an advert, you need do nothing."
    )


def blocked_domain(term: str) -> str:
    return (
        f"It names or links to {term}, a site a moderator checks before a post goes up. "
        "Remove that link if it is not needed."
    )


# Reasons with no numbers: the sentence for each code.
HELD: dict[str, str] = {
    REPEATED_ELSEWHERE: (
        "The same text went up elsewhere on this site today. A moderator checks repeated "
        "posts; write it for this article if you want it up sooner."
    ),
    CHECKER_SAYS_SPAM: (
        "The spam checker we use doubted it. A moderator reads it and lets it through if "
        "it is not spam; you need do nothing."
    ),
    LIKE_MARKED_SPAM: (
        "It has the same text or links as a post marked as spam before. A moderator reads it; "
        "you need do nothing."
    ),
    ANONYMOUS_NEEDS_APPROVAL: (
        "On this site a moderator reads every anonymous post before it goes up. "
        "Sign in to post under your name."
    ),
    FIRST_POST_NEEDS_APPROVAL: (
        "A moderator reads the first post of each account before it goes up. "
        "Once one is through, your posts go up straight away."
    ),
}

# What an edit that holds a post adds before the reasons.
HELD_EDIT = "Your change is awaiting moderation."


def held_message(number: int, reasons: list[str]) -> str:
    """What a reader whose post was held reads: that it is kept, who sees it, and why."""
    why = " ".join(reasons) or "A moderator checks it before it goes up."
    return (
        f"Thank you. Your post is Post {number} and is awaiting moderation; only you can see "
        f"it until a moderator approves it. Why: {why}"
    )


# Refusals: the post was not stored, and the reader's text is given back.
FORM_USED = "This form was already used for a post. Your text is still here: please post it again."
CLOSED = "This article is not open for discussion any more, so posts are not taken here."
CANNOT_SAVE = (
    "The site cannot save posts right now, so yours was not posted. Your text is kept "
    "below: please send it again in a few minutes."
)


def banned(expires_at: dt.datetime | None) -> str:
    when = f" until {clock_time(expires_at, with_date=True)}" if expires_at else ""
    return (
        f"Posting from this account or address is suspended{when}. "
        "You may appeal to the moderators from the appeal page."
    )


def too_fast(*, age: float, least: int, thing: str = "post") -> str:
    """A form sent sooner after the page loaded than a person reads: how long to wait."""
    wait = max(1, int(least - age + 0.999))
    return (
        f"That was quicker than anyone reads: this {thing} was sent {age:.1f} seconds after "
        f"the page loaded. Please wait {wait} second{'s' if wait != 1 else ''}, then send it "
        "again; your text is still here."
    )


def rate_limited(*, doing: str, retry_after: int, again: str = "try again") -> str:
    """Past a rate limit: how long to wait, in whole minutes, and until what time."""
    minutes = (retry_after + 59) // 60
    until = timezone.now() + dt.timedelta(seconds=retry_after)
    return (
        f"You are {doing} faster than this site allows. Please wait {minutes} "
        f"minute{'s' if minutes != 1 else ''} (until {clock_time(until)}) and {again}; "
        "your text is still here."
    )


def blocked(said: list[str]) -> str:
    """A blocklist term refuses the post outright: which, so the reader knows what to change."""
    return (
        f"This site does not accept that post: it {'; '.join(said)}. Please change it and post "
        "again; your text is still here."
    )
