"""The ways readers' posts are written: posting, editing or deleting one's own, importing,
and an account's leaving. The moderators' decisions (moderation.services) are the only
other writer: tests/discussion/test_posts_have_known_writers.py fails when another appears."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from knowhow import markup, pagecache, sql_rows
from knowhow.antiabuse import reasons
from knowhow.antiabuse.addresses import Address, address_of
from knowhow.antiabuse.checks import (
    Refused,
    check_edit,
    check_standing,
    check_submission,
    form_used,
)
from knowhow.antiabuse.reader_forms import Wording, clean_text
from knowhow.antiabuse.spam import Submission, Verdict
from knowhow.antiabuse.texts import ReaderText
from knowhow.articles.models import Article, thread_tag
from knowhow.counters import add_and_read
from knowhow.discussion.events import (
    post_held,
    post_needs_review,
    post_published,
    reply_address_given,
)
from knowhow.discussion.history import ThreadHistory
from knowhow.discussion.models import Mention, Post, permalink
from knowhow.outages import is_outage

logger = logging.getLogger(__name__)

MAX_MENTIONS = 20
CANNOT_SAVE = reasons.CANNOT_SAVE
CANNOT_SAVE_RETRY_SECONDS = 60

# A post that was not stored, with a message for the reader (the anti-abuse layers' refusal,
# or the discussion's own, such as a closed article).
PostRefused = Refused


@dataclass(frozen=True)
class PostOutcome:
    post: Post
    duplicate: bool = False
    # Why a held post is held, in the reader's words (antiabuse.reasons).
    reasons: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return self.post.status == Post.Status.HELD


POST_WORDING = Wording(
    empty=gettext_lazy("Please write something before posting."),
    too_long=gettext_lazy(
        "Posts can be at most {limit} characters; yours has {length}. "
        "Please shorten it and post again."
    ),
    nul=gettext_lazy("The post contains a character that cannot be stored."),
    honeypot=gettext_lazy(
        "This post looks automated and was not accepted. If you are a person, "
        "reload the page and post again."
    ),
    expired=gettext_lazy("This form has expired. Your text is still here: please post it again."),
)


def validate_body(body: str) -> str:
    """The post text as it will be stored, or a ValidationError a reader can act on."""
    return clean_text(body, limit=settings.DISCUSSION_MAX_LENGTH, wording=POST_WORDING)


@dataclass(frozen=True)
class MentionTarget:
    """The reader a @name stands for, and their latest visible post in the thread."""

    user_id: int
    post_id: int
    number: int


@dataclass(frozen=True)
class RenderedBody:
    """A post's HTML, and the readers it mentions (the names it links), in order."""

    html: str
    mentions: tuple[MentionTarget, ...] = ()


_MENTION_TARGETS = (
    "SELECT {user}.{user.username}, {post}.{post.author}, {post}.{post.pk}, {post}.{post.number}"
    " FROM {post} INNER JOIN {user} ON {post}.{post.author} = {user}.{user.pk}"
    " WHERE {post}.{post.article} = %s AND {post}.{post.shadow} = %s"
    " AND {post}.{post.status} IN (STATUSES) AND (NAMES) ORDER BY {post}.{post.number} DESC"
)


def _mention_targets(article: Article, names: list[str]) -> dict[str, MentionTarget]:
    """For each @name (lowercased), that reader and their latest visible post here."""
    if not names:
        return {}
    wanted = names[:MAX_MENTIONS]
    visible = sorted(Post.VISIBLE_STATUSES)
    # Post.visible_q(), and each name matched as `username__iexact` matches it; only
    # placeholders are joined in, every value goes as a parameter.
    statuses = ", ".join(["%s"] * len(visible))
    names_match = " OR ".join(["UPPER({user}.{user.username}) = UPPER(%s)"] * len(wanted))
    template = _MENTION_TARGETS.replace("STATUSES", statuses).replace("NAMES", names_match)
    rows = sql_rows.select(Post, template, [article.pk, False, *visible, *wanted], user=User)
    targets: dict[str, MentionTarget] = {}
    for username, user_id, post_id, number in rows:
        targets.setdefault(username.lower(), MentionTarget(user_id, post_id, number))
    return targets


def render_body(article: Article, text: str | ReaderText) -> RenderedBody:
    """The post's HTML with its @names linked, and whom those links mention.

    A name is a mention only if that reader has a visible post in this thread; the same
    resolution gives the link and the stored Mention, so the two never disagree. The
    Markdown is rendered once, with the text's other readings (ReaderText), and the names
    linked into that HTML.
    """
    written = ReaderText.of(text)
    targets = _mention_targets(article, markup.mentioned_names(written.text))
    linked: dict[int, MentionTarget] = {}

    def mention_url(name: str) -> str | None:
        target = targets.get(name.lower())
        if target is None:
            return None
        linked.setdefault(target.user_id, target)
        return permalink(article.slug, target.number)

    html = markup.link_mentions(written.html, mention_url)
    return RenderedBody(html, tuple(linked.values()))


_MENTION_ROWS = (
    "INSERT INTO {mention} ({mention.post}, {mention.user}, {mention.target_post}) VALUES ROWS"
)


def _save_mentions(post: Post, mentions: tuple[MentionTarget, ...], *, replace: bool) -> None:
    """Store whom the post mentions, replacing what an earlier text of it mentioned."""
    if replace:
        Mention.objects.filter(post=post).delete()
    if not mentions:
        return
    # One INSERT of every row, as bulk_create would make it (no signals either way).
    rows = ", ".join(["(%s, %s, %s)"] * len(mentions))
    sql_rows.write(
        Mention,
        _MENTION_ROWS.replace("ROWS", rows),
        [value for m in mentions for value in (post.pk, m.user_id, m.post_id)],
    )


@transaction.atomic
def replace_body(
    *, post: Post, text: str | ReaderText, edited_at: dt.datetime, also: tuple[str, ...] = ()
) -> Post:
    """Give a stored post a new, validated text: its HTML, fingerprint and mentions follow.

    The only way a post's text changes (its author's and a moderator's edits); `also` names
    further fields the caller set on the post, saved in the same write.
    """
    written = ReaderText.of(text)
    rendered = render_body(post.article, written)
    post.body = written.text
    post.body_html = rendered.html
    post.fingerprint = written.fingerprint
    post.edited_at = edited_at
    post.save(update_fields=["body", "body_html", "fingerprint", "edited_at", *also])
    _save_mentions(post, rendered.mentions, replace=True)
    return post


@contextlib.contextmanager
def _cannot_save_on_outage() -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        _refuse_on_outage(error)
        raise


def _refuse_on_outage(error: OperationalError) -> None:
    """The database could not write (disk full, locked too long): the transaction rolled back
    whole, number and all, and the reader keeps their text to send again."""
    if is_outage(error):
        words = str(error).strip().splitlines()
        logger.error(
            "database unavailable: a post was not stored: %s: %s",
            type(error).__name__,
            words[0][:200] if words else "",
        )
        raise PostRefused(CANNOT_SAVE, "unavailable", CANNOT_SAVE_RETRY_SECONDS) from None


def _as_user(author: User | AnonymousUser | None) -> User | None:
    return author if isinstance(author, User) else None


def post_comment(**fields: Any) -> Post:
    """submit_post, for callers that only need the post."""
    return submit_post(**fields).post


def submit_post(
    *,
    article: Article,
    body: str,
    author: User | AnonymousUser | None = None,
    address: Address | None = None,
    form_age: float | None = None,
    reply_to: int | None = None,
    notify_email: str = "",
    user_agent: str = "",
    referrer: str = "",
    own_post_ids: Iterable[int] = (),
    account: User | AnonymousUser | None = None,
    form_nonce: str = "",
    now: dt.datetime | None = None,
) -> PostOutcome:
    """Store a reader's post under the article with the next number, or raise PostRefused.

    Checks run cheapest first and refusals happen before a number is taken, so numbers of
    stored posts have no gaps. A post the spam guard doubts is stored as held, not dropped;
    the same reader sending the same post again gets the stored one back (duplicate=True):
    the same account, or for an anonymous post a browser whose session holds it
    (own_post_ids).
    """
    text = validate_body(body)
    user = _as_user(author)
    address = address or address_of("127.0.0.1")
    if not article.is_published:
        raise PostRefused(reasons.CLOSED, "closed")

    # The checks write too (rate counts kept in the database): a write that fails there
    # is the same outage as one that fails storing the post.
    submission = Submission(
        body=text,
        author=user,
        address=address,
        form_age=form_age,
        user_agent=user_agent,
        referrer=referrer,
        permalink=article.get_absolute_url(),
        notify_email=notify_email,
        account=_as_user(account) or user,
        form_nonce=form_nonce,
        hold_first_post=article.topic.holds_first_posts,
    )
    with _cannot_save_on_outage():
        passed = check_submission(submission, history=ThreadHistory(article, own_post_ids), now=now)
    if passed.earlier_copy is not None:
        return PostOutcome(passed.earlier_copy, duplicate=True)
    try:
        post = _store(
            article=article,
            text=submission.text,  # as the layers read it: rendered and fingerprinted once
            user=user,
            address=address,
            verdict=passed.verdict,
            shadow=passed.shadow,
            reply_to=reply_to,
            notify_email=notify_email if user is None else "",
            now=now or timezone.now(),
            form_nonce=form_nonce,
        )
    except OperationalError as error:
        _refuse_on_outage(error)
        raise
    except IntegrityError:
        # Two requests raced with one form: the other stored its post, and this one's
        # number was rolled back with it, so numbering has no gap.
        if form_nonce and Post.objects.filter(form_nonce=form_nonce).exists():
            raise form_used() from None
        raise
    held = post.status == Post.Status.HELD
    return PostOutcome(post, reasons=tuple(passed.verdict.plain_reasons) if held else ())


def import_post(
    *,
    article: Article,
    body: str,
    author: User | None,
    created_at: dt.datetime,
    author_name: str = "",
    import_key: str = "",
    number: int | None = None,
    status: str = Post.Status.PUBLISHED,
    edited_at: dt.datetime | None = None,
) -> Post:
    """Store a post from trusted content (demo data, a site import): numbered and published,
    without the checks meant for posts arriving over the internet, and without reply emails
    about things said long ago.

    An import may keep the post's own number (later posts are numbered after the highest),
    its author's name as it was signed elsewhere, a key saying where it came from, and its
    status (a post removed there stays a removed post's mark here)."""
    post = _store(
        article=article,
        text=ReaderText(validate_body(body)),
        user=author,
        address=address_of("127.0.0.1"),
        verdict=Verdict(),
        shadow=False,
        reply_to=None,
        notify_email="",
        now=created_at,
        announce=False,
        number=number,
        author_name=author_name.strip()[:150],
        import_key=import_key,
    )
    if status != post.status or edited_at is not None:
        removed = status in Post.TOMBSTONE_STATUSES
        Post.objects.filter(pk=post.pk).update(
            status=status, edited_at=edited_at, removed_at=created_at if removed else None
        )
        post.status, post.edited_at = status, edited_at
        pagecache.changed(article.thread_tag)
    return post


@transaction.atomic
def _store(
    *,
    article: Article,
    text: ReaderText,
    user: User | None,
    address: Address,
    verdict: Verdict,
    shadow: bool,
    reply_to: int | None,
    notify_email: str,
    now: dt.datetime,
    announce: bool = True,
    form_nonce: str = "",
    number: int | None = None,
    author_name: str = "",
    import_key: str = "",
) -> Post:
    # The UPDATE locks the article row until commit, so concurrent posters queue here
    # and each reads back a number nobody else has or will have.
    if number is None:
        number = add_and_read(Article, key_field="id", key=article.pk, column="last_post_number")
        if number is None:
            raise Article.DoesNotExist(f"article {article.pk} is gone")
    else:  # an imported post keeping its number: later ones come after the highest
        Article.objects.filter(pk=article.pk).update(
            last_post_number=Greatest(F("last_post_number"), number)
        )
    parent = (
        Post.objects.filter(article=article, number=reply_to).only("pk").first()
        if reply_to
        else None
    )
    held = verdict.hold
    rendered = render_body(article, text)
    post = Post(
        article=article,
        number=number,
        author=user,
        body=text.text,
        body_html=rendered.html,
        fingerprint=text.fingerprint,
        status=Post.Status.HELD if held else Post.Status.PUBLISHED,
        shadow=shadow,
        reply_to=parent,
        held_because=verdict.explain() if held else "",
        held_code=verdict.code if held else "",
        spam_score=verdict.score,
        ip_hash=address.ip_hash,
        network_hash=address.network_hash,
        notify_email=notify_email,
        form_nonce=form_nonce,
        created_at=now,
        author_name=author_name,
        import_key=import_key,
        language="" if import_key else translation.get_language() or "",
    )
    sql_rows.create(post)  # as post.save() would, its statement made once
    _save_mentions(post, rendered.mentions, replace=False)
    if notify_email:
        # Its owner is asked to confirm the address before any reply is emailed to it.
        transaction.on_commit(lambda: reply_address_given.send(sender=Post, post=post), robust=True)
    if held:
        announce_held(post, note=verdict.explain())
    else:
        if announce and not shadow:
            announce_published(post, mentions=bool(rendered.mentions))
        announce_review(post, verdict)
    return post


def announce_review(post: Post, verdict: Verdict) -> None:
    """Tell subscribers (the moderation queue) that a post went up which blocklist terms
    ask moderators to look at, once committed."""
    if not verdict.review:
        return
    note = "; ".join(signal.text for signal in verdict.review)
    transaction.on_commit(
        lambda: post_needs_review.send(sender=Post, post=post, note=note), robust=True
    )


def announce_published(post: Post, *, mentions: bool | None = None) -> None:
    """Tell subscribers (reply emails, caches) once the post is visible and committed;
    `mentions` says whether it mentions anyone, when the caller has just stored it.

    Robust: a subscriber that fails is logged, and the reader whose post is stored still
    hears that it is."""
    transaction.on_commit(
        lambda: post_published.send(sender=Post, post=post, mentions=mentions), robust=True
    )


def announce_held(post: Post, *, note: str, before: str = "", after: str = "") -> None:
    """Tell subscribers (the moderation log) that the layers held the post, once committed."""
    transaction.on_commit(
        lambda: post_held.send(sender=Post, post=post, note=note, before=before, after=after),
        robust=True,
    )


def threads_changed(posts: QuerySet[Post]) -> None:
    """Name the threads these posts are in as changed (for writes that bypass Post.save,
    such as bulk updates and an account's deletion)."""
    articles = posts.order_by().values_list("article_id", flat=True).distinct()
    pagecache.changed(*(thread_tag(pk) for pk in articles))


def can_change(post: Post, user: User | AnonymousUser | None, own_post_ids: list[int]) -> bool:
    """Whether this reader may still edit or delete the post: theirs, and within the window."""
    if post.status not in Post.OWN_STATUSES:
        return False
    if timezone.now() > post.changeable_until:
        return False
    if post.author_id is not None:
        return isinstance(user, User) and user.pk == post.author_id
    return post.pk in own_post_ids


@transaction.atomic
def edit_own_post(
    *,
    post: Post,
    body: str,
    account: User | AnonymousUser | None = None,
    address: Address | None = None,
    now: dt.datetime | None = None,
) -> Post:
    """A reader's correction of their post; a correction the spam guard doubts is held.

    Refused (PostRefused) when the reader's account or address is banned."""
    if address is not None:
        check_standing(_as_user(account), address)
    text = ReaderText(validate_body(body))
    before = post.body
    verdict = check_edit(text, author=post.author, history=ThreadHistory(post.article))
    also: tuple[str, ...] = ()
    if verdict.hold and post.status == Post.Status.PUBLISHED:
        post.status = Post.Status.HELD
        post.held_because = "edited: " + verdict.explain()
        post.held_code = verdict.code
        post.spam_score = verdict.score
        also = ("status", "held_because", "held_code", "spam_score")
        announce_held(post, note=post.held_because, before=before, after=text.text)
    elif post.status == Post.Status.PUBLISHED:
        announce_review(post, verdict)
    return replace_body(post=post, text=text, edited_at=now or timezone.now(), also=also)


@transaction.atomic
def withdraw_account_posts(*, author: User, keep: bool, now: dt.datetime | None = None) -> None:
    """An account is leaving: its posts stay, to go anonymous with it, or come down as
    "removed by its author", numbers kept either way. Its name leaves every thread."""
    threads_changed(Post.objects.filter(author=author))
    if keep:
        return
    # Only posts that are or may become visible; rejected, spam and moderator-removed
    # posts keep the status a moderator gave them.
    Post.objects.filter(author=author, status__in=Post.OWN_STATUSES).update(
        status=Post.Status.DELETED, removed_at=now or timezone.now()
    )


@transaction.atomic
def delete_own_post(*, post: Post, now: dt.datetime | None = None) -> Post:
    """The author takes the post down; its number stays, marked "removed by its author"."""
    post.status = Post.Status.DELETED
    post.removed_at = now or timezone.now()
    post.save(update_fields=["status", "removed_at"])
    return post
