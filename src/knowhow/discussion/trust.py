"""Who is an established reader: an account old enough that has posts the site published.

The one definition, read by the spam guard (the link limit and first posts held for new
accounts, through discussion.history) and by the weighing of reports (moderation.services):
KNOWHOW_ESTABLISHED_ACCOUNT_DAYS and KNOWHOW_ESTABLISHED_POSTS set it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from knowhow.discussion.models import Post


def _published() -> Q:
    # A post a moderator let through or that needed none, shown to everyone (not shadow-hidden).
    return Q(posts__status=Post.Status.PUBLISHED, posts__shadow=False)


def established_accounts(
    users: QuerySet[User] | None = None, *, now: dt.datetime | None = None
) -> QuerySet[User]:
    """The established accounts among users (all by default), in one query."""
    moment = now or timezone.now()
    joined_before = moment - dt.timedelta(days=settings.ESTABLISHED_ACCOUNT_DAYS)
    base = User.objects.all() if users is None else users
    return (
        base.filter(is_active=True, date_joined__lte=joined_before)
        .annotate(published_posts=Count("posts", filter=_published()))
        .filter(published_posts__gte=settings.ESTABLISHED_POSTS)
    )


def is_established(user: User | None, *, now: dt.datetime | None = None) -> bool:
    """Whether this account is an established reader (an anonymous reader never is)."""
    if user is None or user.pk is None:
        return False
    return established_accounts(User.objects.filter(pk=user.pk), now=now).exists()


def established_ids(user_ids: Iterable[int], *, now: dt.datetime | None = None) -> set[int]:
    """Which of these accounts are established, in one query."""
    wanted = User.objects.filter(pk__in=list(user_ids))
    return set(established_accounts(wanted, now=now).values_list("pk", flat=True))
