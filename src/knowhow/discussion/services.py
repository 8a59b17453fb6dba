"""The only ways posts are written: posting and removing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from knowhow import markup
from knowhow.articles.models import Article
from knowhow.discussion.models import Post

MAX_MENTIONS = 20


def validate_body(body: str) -> str:
    """The post text as it will be stored, or a ValidationError a reader can act on."""
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError("Please write something before posting.", code="empty")
    limit = settings.DISCUSSION_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            f"Posts can be at most {limit:,} characters; yours has {len(text):,}. "
            "Please shorten it and post again.",
            code="too_long",
        )
    if "\x00" in text:
        raise ValidationError("The post contains a character that cannot be stored.", code="nul")
    return text


def post_url(article: Article, number: int) -> str:
    """A permanent address for a post that finds it on whichever page it is."""
    return reverse("post-permalink", args=[article.slug, number])


def _mention_targets(article: Article, names: list[str]) -> dict[str, int]:
    """For each @name (lowercased), the number of that reader's latest visible post here."""
    if not names:
        return {}
    wanted = Q()
    for name in names[:MAX_MENTIONS]:
        wanted |= Q(author__username__iexact=name)
    targets: dict[str, int] = {}
    rows = (
        Post.objects.visible()
        .filter(wanted, article=article)
        .order_by("-number")
        .values_list("author__username", "number")
    )
    for username, number in rows:
        targets.setdefault(username.lower(), number)
    return targets


@transaction.atomic
def post_comment(
    *,
    article: Article,
    body: str,
    author: User | AnonymousUser | None = None,
    now: dt.datetime | None = None,
) -> Post:
    """Store a reader's post under the article with the next number, durably, or raise."""
    text = validate_body(body)
    if not article.is_published:
        raise ValidationError("This article is not open for discussion.", code="closed")
    # The UPDATE locks the article row until commit, so concurrent posters queue here
    # and each reads back a number nobody else has or will have.
    Article.objects.filter(pk=article.pk).update(last_post_number=F("last_post_number") + 1)
    number = Article.objects.filter(pk=article.pk).values_list("last_post_number", flat=True).get()
    targets = _mention_targets(article, markup.mentioned_names(text))

    def mention_url(name: str) -> str | None:
        target = targets.get(name.lower())
        return post_url(article, target) if target else None

    return Post.objects.create(
        article=article,
        number=number,
        author=author if isinstance(author, User) else None,
        body=text,
        body_html=markup.render_post(text, mention_url),
        created_at=now or timezone.now(),
    )


@transaction.atomic
def remove_post(*, post: Post, now: dt.datetime | None = None) -> Post:
    """Hide a post from readers; its number stays taken and the others keep theirs."""
    post.status = Post.Status.REMOVED
    post.removed_at = now or timezone.now()
    post.save(update_fields=["status", "removed_at"])
    return post
