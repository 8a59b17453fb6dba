"""Autosaves: the editor's text kept on the server while it is typed, apart from the
revisions, so that a closed tab, a crashed browser or an ended session loses no word.

An autosave belongs to one person and one article (or that person's new article); nobody
else sees it, and it changes no page readers or other staff see, so it names no cached
page. It never becomes a revision by itself: its writer restores it into the form and
saves, and a save from an old revision meets the stale-save refusal like any other.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from knowhow.articles import roles
from knowhow.articles.models import Article, Revision
from knowhow.articles.revisions import TEXT_FIELDS, normalised, same_content
from knowhow.articles.services import NotAllowed
from knowhow.dates import clock_time
from knowhow.newsroom.models import Autosave

# The editor form's fields an autosave keeps (isso's ACCEPT): nothing else sent is stored.
FIELDS = (
    "title", "topic", "written_by", "synopsis", "body", "sources", "reviewed_by",
    "reviewed_on", "lead_image", "copyright_holder", "search_title", "search_description",
    "note", "minor",
)  # fmt: skip
# Far above any article (the longest seed article is ~30 000 characters), so an autosave
# is never cut short, yet a flood of megabytes is not stored.
LONGEST_FIELD = 500_000
# How long a text kept from a signed-out save waits for its writer to sign in.
KEPT_FOR = dt.timedelta(days=7)
_SALT = "knowhow.newsroom.kept-text"


def typed_fields(data: QueryDict | dict[str, Any]) -> dict[str, str]:
    """The editor's fields from a posted form, as text; refused whole (never cut short) when
    one is longer than LONGEST_FIELD."""
    fields = {name: str(data.get(name) or "") for name in FIELDS if name in data}
    if any(len(value) > LONGEST_FIELD for value in fields.values()):
        raise NotAllowed("This text is too long to be kept; it is still on your page.",
                         code="too_long")  # fmt: skip
    return fields


def _base_for(article: Article | None, base: Any) -> int:
    """The revision number the text was typed over; a number the article never had (a
    forged or damaged form) is refused rather than kept as if it were true."""
    text = str(base or "0")
    if not text.isdigit():
        raise NotAllowed("This autosave came from a damaged page.", code="bad_base")
    number = int(text)
    latest = article.latest_revision.number if article and article.latest_revision else 0
    if number > latest or (article is None and number != 0):
        raise NotAllowed("This autosave names a revision the article does not have.",
                         code="bad_base")  # fmt: skip
    return number


@transaction.atomic
def keep_autosave(*, user: User, article: Article | None, base: Any,
                  fields: dict[str, str]) -> Autosave:  # fmt: skip
    """Keep what this person typed over revision `base`, replacing their earlier autosave of
    the article; refused for a person who may not edit it."""
    if article is None:
        allowed = roles.may_start(user)
    else:
        article = Article.objects.select_related("latest_revision").get(pk=article.pk)
        allowed = roles.may_edit(user, article)
    if not allowed:
        raise NotAllowed("You may not edit this article, so nothing was kept.", code="not_yours")
    number = _base_for(article, base)
    kept = Autosave.objects.select_for_update().filter(user=user, article=article).first()
    if kept is not None and kept.base > number:
        # A page opened before a newer revision (another tab, a replayed request) never
        # replaces text typed over that newer revision; its own text stays on that page.
        raise NotAllowed(
            f"Your text typed over revision {kept.base} in another page is kept; this page "
            f"shows revision {number}, so its text was not kept over it.",
            code="older_page",
        )
    autosave, _ = Autosave.objects.update_or_create(
        user=user,
        article=article,
        defaults={"base": number, "fields": fields, "saved_at": timezone.now(), "token": ""},
    )
    return autosave


def autosave_of(user: User, article: Article | None) -> Autosave | None:
    return Autosave.objects.filter(user=user, article=article).first()


def discard_autosave(*, user: User, article: Article | None) -> None:
    """Forget this person's autosave of the article (after they saved it, or chose to)."""
    Autosave.objects.filter(user=user, article=article).delete()


@dataclass(frozen=True)
class Offer:
    """An autosave offered back on the editor page: when it was kept, and whether someone
    saved the article since the revision it was typed over (then `newest` and `diffs`:
    how the autosave's words differ from the newest revision's)."""

    autosave: Autosave
    newest: Revision | None
    text: dict[str, str]

    @property
    def when(self) -> str:
        """When it was kept, as a person says it: the time today, else the day too."""
        return clock_time(self.autosave.saved_at)

    @property
    def changed_since(self) -> bool:
        return self.newest is not None and self.newest.number != self.autosave.base


def offer_for(user: User, article: Article | None) -> Offer | None:
    """This person's autosave of the article, if its words differ from the newest revision;
    an autosave of words already saved offers nothing."""
    autosave = autosave_of(user, article)
    if autosave is None:
        return None
    newest = article.latest_revision if article is not None else None
    text = {name: autosave.fields[name] for name in TEXT_FIELDS if name in autosave.fields}
    if newest is not None:
        saved = {name: newest.content.get(name) or "" for name in text}
        if same_content(saved, text):  # saved since, by them or by someone else
            return None
    elif not any(normalised(text).values()):
        return None
    return Offer(autosave=autosave, newest=newest, text=text)


# A save that arrived after the session ended ------------------------------------------


@transaction.atomic
def keep_signed_out(*, article: Article | None, fields: dict[str, str], base: str) -> str:
    """Keep a save sent by someone whose session had ended; returns the signed token that
    brings it back once they sign in (it holds no text, only which kept row is theirs)."""
    Autosave.objects.filter(user=None, saved_at__lt=timezone.now() - KEPT_FOR).delete()
    token = secrets.token_urlsafe(32)
    number = int(base) if base.isdigit() and int(base) < 2**31 else 0
    # PostgreSQL's JSON holds no NUL; no field of the editor's form can carry one anyway.
    kept = {name: str(value).replace("\x00", "") for name, value in fields.items()}
    Autosave.objects.create(user=None, article=article, base=number, fields=kept, token=token)
    return signing.dumps(token, salt=_SALT)


@transaction.atomic
def claim_kept(*, user: User, token: str, article: Article | None) -> Autosave | None:
    """The text kept from a signed-out save, now this person's autosave of the article (it
    replaces an older one: it is what they typed last). None if the token is not good, the
    text was claimed or forgotten, or this person may not edit the article."""
    try:
        raw = signing.loads(token, salt=_SALT, max_age=KEPT_FOR)
    except signing.BadSignature:
        return None
    kept = Autosave.objects.select_for_update().filter(user=None, token=raw, article=article)
    found = kept.first()
    if found is None:
        return None
    allowed = (roles.may_edit(user, article) if article is not None
               else roles.may_start(user))  # fmt: skip
    if not allowed:
        return None
    Autosave.objects.filter(user=user, article=article).delete()
    found.user, found.token = user, ""
    found.save(update_fields=["user", "token"])
    return found


def forget_unclaimed(*, now: dt.datetime) -> int:
    """Housekeeping: texts kept from signed-out saves that nobody came back for in a week."""
    deleted, _ = Autosave.objects.filter(user=None, saved_at__lt=now - KEPT_FOR).delete()
    return deleted
