"""What a reader is told when their post is held for a moderator or refused: one plain
sentence per reason, saying why and what to do, with the numbers of the settings.

The guard's signals (antiabuse.spam) carry a code and words for moderators; the reader's
words for each code are here, and only here. The refusals of antiabuse.checks and of the
discussion take their words from here too, so one file reads as the whole list. Every
sentence is in the language of the request that asks for it (gettext).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


def too_many_links(*, count: int, anonymous: bool) -> str:
    limit = settings.ANONYMOUS_LINK_LIMIT
    extra = count - limit
    numbers = {"limit": limit, "count": count, "extra": extra}
    if anonymous:
        allowed = ngettext(
            "Anonymous posts can have %(limit)d link; yours has %(count)d.",
            "Anonymous posts can have %(limit)d links; yours has %(count)d.",
            limit,
        )
        remove = ngettext("Remove one, or sign in.", "Remove %(extra)d, or sign in.", extra)
    else:
        allowed = ngettext(
            "Posts from new accounts can have %(limit)d link; yours has %(count)d.",
            "Posts from new accounts can have %(limit)d links; yours has %(count)d.",
            limit,
        )
        remove = ngettext(
            "Remove one, or post again once a moderator has let your first posts through.",
            "Remove %(extra)d, or post again once a moderator has let your first posts through.",
            extra,
        )
    # Two sentences, each whole: what the limit is, then what to do.
    return f"{allowed % numbers} {remove % numbers}"


def blocked_word(term: str) -> str:
    return _(
        "It contains “%(term)s”, a word a moderator checks before it goes up. "
        "If you did not mean it as an advert, you need do nothing."
    ) % {"term": term}


def blocked_domain(term: str) -> str:
    return _(
        "It names or links to %(term)s, a site a moderator checks before a post goes up. "
        "Remove that link if it is not needed."
    ) % {"term": term}


# Reasons with no numbers: the sentence for each code.
HELD = {
    REPEATED_ELSEWHERE: gettext_lazy(
        "The same text went up elsewhere on this site today. A moderator checks repeated "
        "posts; write it for this article if you want it up sooner."
    ),
    CHECKER_SAYS_SPAM: gettext_lazy(
        "The spam checker we use doubted it. A moderator reads it and lets it through if "
        "it is not spam; you need do nothing."
    ),
    LIKE_MARKED_SPAM: gettext_lazy(
        "It has the same text or links as a post marked as spam before. A moderator reads it; "
        "you need do nothing."
    ),
    ANONYMOUS_NEEDS_APPROVAL: gettext_lazy(
        "On this site a moderator reads every anonymous post before it goes up. "
        "Sign in to post under your name."
    ),
    FIRST_POST_NEEDS_APPROVAL: gettext_lazy(
        "A moderator reads the first post of each account before it goes up. "
        "Once one is through, your posts go up straight away."
    ),
}


def held(code: str) -> str:
    """The sentence of a reason with no numbers, in the reader's language ("" if none)."""
    return str(HELD.get(code, ""))


# What an edit that holds a post adds before the reasons.
HELD_EDIT = gettext_lazy("Your change is awaiting moderation.")


def held_message(number: int, reasons: list[str]) -> str:
    """What a reader whose post was held reads: that it is kept, who sees it, and why."""
    why = " ".join(reasons) or _("A moderator checks it before it goes up.")
    return _(
        "Thank you. Your post is Post %(number)s and is awaiting moderation; only you can see "
        "it until a moderator approves it. Why: %(why)s"
    ) % {"number": number, "why": why}


# Refusals: the post was not stored, and the reader's text is given back.
FORM_USED = gettext_lazy(
    "This form was already used for a post. Your text is still here: please post it again."
)
QUESTION_FORM_USED = gettext_lazy(
    "This form was already used for a question. Yours is still here: please send it again."
)
CLOSED = gettext_lazy(
    "This article is not open for discussion any more, so posts are not taken here."
)
CANNOT_SAVE = gettext_lazy(
    "The site cannot save posts right now, so yours was not posted. Your text is kept "
    "below: please send it again in a few minutes."
)


def banned(expires_at: dt.datetime | None) -> str:
    if expires_at:
        return _(
            "Posting from this account or address is suspended until %(until)s. "
            "You may appeal to the moderators from the appeal page."
        ) % {"until": clock_time(expires_at, with_date=True)}
    return _(
        "Posting from this account or address is suspended. "
        "You may appeal to the moderators from the appeal page."
    )


def too_fast_wait(*, age: float, least: int) -> int:
    """Whole seconds still to wait before a form sent `age` seconds after it was shown counts
    as read, when a person takes at least `least` seconds."""
    return max(1, int(least - age + 0.999))


def too_fast(*, age: float, least: int, thing: Literal["post", "question"] = "post") -> str:
    """A form sent sooner after the page loaded than a person reads: how long to wait."""
    wait = too_fast_wait(age=age, least=least)
    # Rounded, not cut: formats write 0.497 as "0.4" otherwise.
    numbers = {"age": number_format(round(age, 1), 1), "wait": wait}
    if thing == "question":
        return (
            ngettext(
                "That was quicker than anyone reads: this question was sent %(age)s seconds after "
                "the page loaded. Please wait %(wait)d second, then send it again; your question "
                "is still here.",
                "That was quicker than anyone reads: this question was sent %(age)s seconds after "
                "the page loaded. Please wait %(wait)d seconds, then send it again; your question "
                "is still here.",
                wait,
            )
            % numbers
        )
    return (
        ngettext(
            "That was quicker than anyone reads: this post was sent %(age)s seconds after "
            "the page loaded. Please wait %(wait)d second, then send it again; your text is "
            "still here.",
            "That was quicker than anyone reads: this post was sent %(age)s seconds after "
            "the page loaded. Please wait %(wait)d seconds, then send it again; your text is "
            "still here.",
            wait,
        )
        % numbers
    )


def _minutes(retry_after: int) -> int:
    return (retry_after + 59) // 60


def rate_limited(*, doing: Literal["posting", "reporting"], retry_after: int) -> str:
    """Past a rate limit: how long to wait, in whole minutes, and until what time."""
    minutes = _minutes(retry_after)
    numbers = {
        "minutes": minutes,
        "until": clock_time(timezone.now() + dt.timedelta(seconds=retry_after)),
    }
    if doing == "reporting":
        return (
            ngettext(
                "You are reporting posts faster than this site allows. Please wait %(minutes)d "
                "minute (until %(until)s) and try again; your text is still here.",
                "You are reporting posts faster than this site allows. Please wait %(minutes)d "
                "minutes (until %(until)s) and try again; your text is still here.",
                minutes,
            )
            % numbers
        )
    return (
        ngettext(
            "You are posting faster than this site allows. Please wait %(minutes)d minute "
            "(until %(until)s) and post again; your text is still here.",
            "You are posting faster than this site allows. Please wait %(minutes)d minutes "
            "(until %(until)s) and post again; your text is still here.",
            minutes,
        )
        % numbers
    )


def questions_rate_limited(*, retry_after: int) -> str:
    """Past the posting limit, told of a question (questions and posts count together)."""
    minutes = _minutes(retry_after)
    return ngettext(
        "You are sending questions and posts faster than this site allows. Please wait "
        "%(minutes)d minute and send it again; your question is still here.",
        "You are sending questions and posts faster than this site allows. Please wait "
        "%(minutes)d minutes and send it again; your question is still here.",
        minutes,
    ) % {"minutes": minutes}


def refused_for(code: str, term: str) -> str:
    """What a blocklist term that refuses a post found in it, as a clause of `blocked`."""
    if code == BLOCKED_DOMAIN:
        return _("links to blocked domain %(term)s") % {"term": term}
    return _("contains blocked word “%(term)s”") % {"term": term}


def blocked(said: list[str]) -> str:
    """A blocklist term refuses the post outright: which, so the reader knows what to change
    (`said` holds the clauses of refused_for)."""
    return _(
        "This site does not accept that post: it %(what)s. Please change it and post "
        "again; your text is still here."
    ) % {"what": "; ".join(said)}
