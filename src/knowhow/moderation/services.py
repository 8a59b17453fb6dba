"""Moderators' actions and readers' reports: each one a function that also writes the log."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from knowhow import pagecache
from knowhow.antiabuse import ratelimit
from knowhow.antiabuse.addresses import Address, address_of
from knowhow.antiabuse.checks import check_report_rate, check_standing
from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.antiabuse.services import ACCOUNT_KEPT_HASHES, forget_spam, remember_spam
from knowhow.dates import clock_time
from knowhow.discussion.models import Post
from knowhow.discussion.services import (
    announce_published,
    replace_body,
    threads_changed,
    validate_body,
)
from knowhow.moderation import decisions, learning, letters
from knowhow.moderation.decisions import FITS
from knowhow.moderation.describe import ban_in_force, ban_until
from knowhow.moderation.digest import queue_digests
from knowhow.moderation.models import (
    QUEUE_TAG,
    Appeal,
    CannedReason,
    Flag,
    ModerationAction,
    ReaderNote,
)

Action = ModerationAction.Action


def _log(actor: User | None, action: str, post: Post | None = None, **fields: object) -> None:
    ModerationAction.objects.create(actor=actor, action=action, post=post, **fields)


def record_auto_hold(
    sender: object, *, post: Post, note: str, before: str = "", after: str = "", **kwargs: object
) -> None:
    """Receiver of discussion.events.post_held: the anti-abuse layers' hold goes into the log."""
    _log(None, Action.AUTO_HOLD, post, note=note, before=before, after=after)


def record_review(sender: object, *, post: Post, note: str, **kwargs: object) -> None:
    """Receiver of discussion.events.post_needs_review: the post stays up, and a report by
    the site (no reporter, so it hides nothing) puts it in the queue with the terms met."""
    if Flag.objects.filter(post=post, reporter=None, reporter_hash="").open().exists():
        return  # already waiting for a look
    Flag.objects.create(post=post, reason=Flag.Reason.SPAM, note=f"Blocklist: {note}"[:500])
    transaction.on_commit(queue_digests)


class AlreadyDecided(ValidationError):
    """Another moderator changed the post since this one looked at it."""


def _lock(post: Post, decision: str) -> None:
    """Lock the post's row and check it is still in a state the decision is for."""
    allowed = FITS[decision]
    current = Post.objects.select_for_update().only("status", "held_code").get(pk=post.pk)
    if current.status not in allowed:
        raise AlreadyDecided(
            f"Post {post.number} is now “{current.get_status_display()}”; nothing was changed."
        )
    post.status, post.held_code = current.status, current.held_code


def _set_status(post: Post, status: str, moderator: User, action: str, note: str) -> Post:
    was_visible, previous = post.is_visible, post.status
    post.status = status
    if status in (Post.Status.REMOVED, Post.Status.REJECTED, Post.Status.SPAM):
        post.removed_at = timezone.now()
    post.save(update_fields=["status", "removed_at"])
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
    pagecache.changed(QUEUE_TAG)  # reports closed: the queue shows them
    _log(moderator, action, post, note=note, previous_status=previous)
    if post.is_visible and not was_visible:
        announce_published(post)
    return post


@transaction.atomic
def approve(*, post: Post, moderator: User, note: str = "") -> Post:
    """Publish a held post at the number it was given when it was sent."""
    _lock(post, decisions.APPROVE)
    return _set_status(post, Post.Status.PUBLISHED, moderator, Action.APPROVE, note)


@transaction.atomic
def reject(*, post: Post, moderator: User, note: str = "") -> Post:
    """Keep a held post off the page; its number stays taken."""
    _lock(post, decisions.REJECT)
    return _set_status(post, Post.Status.REJECTED, moderator, Action.REJECT, note)


@transaction.atomic
def mark_spam(*, post: Post, moderator: User, note: str = "") -> Post:
    """Mark the post spam; the guard learns its text and links (their repeats anywhere are
    held), and Akismet is told when it is configured."""
    _lock(post, decisions.SPAM)
    marked = _set_status(post, Post.Status.SPAM, moderator, Action.SPAM, note)
    remember_spam(post_id=post.pk, body=post.body, named=_named(post))
    transaction.on_commit(lambda: learning.spam(post.pk), robust=True)
    return marked


def _named(post: Post) -> str:
    return f"Post {post.number} on “{post.article.title}”"


@transaction.atomic
def remove_post(*, post: Post, moderator: User | None = None, note: str = "") -> Post:
    """Take a published post down; the thread shows it was removed by a moderator."""
    _lock(post, decisions.REMOVE)
    previous = post.status
    post.status = Post.Status.REMOVED
    post.removed_at = timezone.now()
    post.save(update_fields=["status", "removed_at"])
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
    pagecache.changed(QUEUE_TAG)  # reports closed: the queue shows them
    _log(moderator, Action.REMOVE, post, note=note, previous_status=previous)
    return post


@transaction.atomic
def edit_post(*, post: Post, moderator: User, body: str, note: str) -> Post:
    """A moderator's edit; the note says why, and the log keeps both texts."""
    if not note.strip():
        raise ValidationError(_("Say why you edited the post; the note goes into the log."))
    text = validate_body(body)
    before = post.body
    replace_body(post=post, text=text, edited_at=timezone.now())
    _log(moderator, Action.EDIT, post, note=note.strip(), before=before, after=text)
    return post


@transaction.atomic
def dismiss_flags(*, post: Post, moderator: User, note: str = "") -> Post:
    """Reports were unfounded: the post shows again if reports had hidden it."""
    _lock(post, decisions.DISMISS)
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
    pagecache.changed(QUEUE_TAG)  # reports closed: the queue shows them
    if post.status == Post.Status.HELD and post.held_code == Post.HELD_FOR_REPORTS:
        post.status = Post.Status.PUBLISHED
        post.held_because = post.held_code = ""
        post.save(update_fields=["status", "held_because", "held_code"])
    _log(moderator, Action.DISMISS_FLAGS, post, note=note)
    return post


@transaction.atomic
def flag_post(
    *, post: Post, reason: str, note: str = "", reporter: User | None, address: Address
) -> Flag | None:
    """A reader's report; reports of established readers (discussion.trust) on enough
    different networks hide the post for review.

    Each account, and each anonymous address (an IPv6 reader's /64), reports a post once:
    returns None when this reader had already reported it. Every report reaches the queue,
    but only established readers' hide, one voice per network (/24, /48), so neither
    anonymous clients nor fresh accounts nor one reader's many addresses can hide a post.
    Raises Refused when the reader's account or address is banned, or past the reports
    allowed per account, address and network ("rate_limited"); a shadow-hidden reader is
    thanked as anyone is, but the report is set aside at once and counts for nothing.
    """
    standing = check_standing(reporter, address)
    if reason not in Flag.Reason.values:
        raise ValidationError(_("Choose why you are reporting this post."))
    check_report_rate(reporter, address)
    # One report at a time per post, so two reports racing both count towards hiding it.
    post.status = Post.objects.select_for_update().values_list("status", flat=True).get(pk=post.pk)
    mine = Flag.objects.filter(post=post)
    if reporter is not None:
        mine = mine.filter(reporter=reporter)
    else:
        mine = mine.filter(reporter__isnull=True, reporter_hash=address.reader_hash)
    if not standing.shadow:
        mine = mine.open()
    if mine.exists():
        return None
    now = timezone.now()
    flag = Flag.objects.create(
        post=post,
        reporter=reporter,
        reporter_hash="" if reporter else address.reader_hash,
        network_hash=address.network_hash,
        reason=reason,
        note=note.strip()[:500],
        created_at=now,
        resolved_at=now if standing.shadow else None,
    )
    if standing.shadow:
        return flag
    votes = Flag.objects.filter(post=post).open().votes()
    if post.status == Post.Status.PUBLISHED and votes >= settings.FLAG_THRESHOLD:
        post.status = Post.Status.HELD
        post.held_because = f"reported by {votes} reader{'s' if votes != 1 else ''}"
        post.held_code = Post.HELD_FOR_REPORTS
        post.save(update_fields=["status", "held_because", "held_code"])
        _log(None, Action.FLAG_HOLD, post, note=post.held_because)
        transaction.on_commit(queue_digests)
    return flag


@dataclass(frozen=True)
class BanPlan:
    """What a ban would do, worked out before anything changes, for the moderator to confirm:
    the bans (not saved), each with the ban already in force on the same reader or place if
    there is one, and how many posts would be taken down with them."""

    pairs: list[tuple[Ban, Ban | None]]
    removes: int

    @property
    def record(self) -> Ban:
        return self.pairs[0][0]

    @property
    def records(self) -> list[Ban]:
        return [new for new, _ in self.pairs]

    @property
    def existing(self) -> list[Ban]:
        return [old for _, old in self.pairs if old is not None]


class AlreadyBanned(ValidationError):
    """The reader or place is banned already: say so, and offer to change that ban."""


def _reader_posts(records: Sequence[Ban]) -> QuerySet[Post]:
    """The posts these bans' reader still has up or waiting: what "remove their posts" takes."""
    theirs = Q(pk__in=[])
    for record in records:
        if record.kind in (Ban.Kind.ACCOUNT, Ban.Kind.SHADOW):
            theirs |= Q(author=record.user)
        elif record.kind == Ban.Kind.ADDRESS:
            theirs |= Q(ip_hash__in=record.hashes)
        elif record.kind == Ban.Kind.NETWORK:
            theirs |= Q(network_hash__in=record.hashes)
        # A range names no stored post: addresses are never kept.
    return Post.objects.filter(theirs, status__in=(Post.Status.PUBLISHED, Post.Status.HELD))


def latest_post_with_address(user: User) -> Post | None:
    """The account's latest post with an address on record: whose address and network a ban
    by name takes (addresses are kept only as hashes on posts)."""
    posts = Post.objects.select_related("article").filter(author=user).exclude(ip_hash="")
    return posts.order_by("-created_at", "-pk").first()


# An account ban also bars the addresses the account posted from in this many days.
BAN_COVERS_ADDRESSES_DAYS = 30


def addresses_used(user: User) -> list[str]:
    """The hashed addresses the account posted from in its last BAN_COVERS_ADDRESSES_DAYS,
    newest first, each once (addresses are kept only as hashes, on posts)."""
    since = timezone.now() - dt.timedelta(days=BAN_COVERS_ADDRESSES_DAYS)
    # The site's own address (imports, commands, a proxy not configured) is everyone's.
    own = [address_of(raw) for raw in ("127.0.0.1", "::1")]
    rows = (
        Post.objects.filter(author=user, created_at__gte=since)
        .exclude(ip_hash="")
        .exclude(ip_hash__in=[h for a in own for h in (a.ip_hash, a.previous_ip_hash)])
        .order_by("-created_at")
        .values_list("ip_hash", flat=True)
    )
    return list(dict.fromkeys(rows))[:ACCOUNT_KEPT_HASHES]


def _new_ban(kind: str, post: Post | None, user: User | None, cidr: str) -> Ban:
    if kind in (Ban.Kind.ACCOUNT, Ban.Kind.SHADOW):
        user = user or (post.author if post else None)
        if user is None:
            raise ValidationError(
                _("An anonymous post has no account to ban; ban its address."), code="no_account"
            )
        # A banned account's addresses are barred too, so signing out gets round nothing;
        # a shadow-hidden one's are not, which would tell it.
        hashes = addresses_used(user) if kind == Ban.Kind.ACCOUNT else []
        return Ban(kind=kind, user=user, source_post=post, hashes=hashes)
    if kind in (Ban.Kind.ADDRESS, Ban.Kind.NETWORK):
        if post is None and user is not None:
            post = latest_post_with_address(user)
            if post is None:
                raise ValidationError(
                    _("%(name)s has no post with an address on record to ban.")
                    % {"name": user.username},
                    code="no_address",
                )
        if post is None or not post.ip_hash:
            raise ValidationError(_("Choose a post whose address to ban."), code="no_address")
        value = post.ip_hash if kind == Ban.Kind.ADDRESS else post.network_hash
        return Ban(kind=kind, hashes=[value], source_post=post)
    if kind == Ban.Kind.RANGE:
        try:
            network = ipaddress.ip_network(cidr.strip(), strict=False)
        except ValueError:
            raise ValidationError(
                _("%(typed)s is not an address range such as 203.0.113.0/24.")
                % {"typed": repr(cidr)},
                code="bad_range",
            ) from None
        return Ban(kind=kind, cidr=str(network))
    raise ValidationError(_("Unknown kind of ban: %(kind)s") % {"kind": kind}, code="unknown_kind")


def _in_force(record: Ban) -> Ban | None:
    """The ban already in force on the same reader or place as this new one, if any."""
    same = Ban.objects.active().filter(kind=record.kind).order_by("-created_at", "-pk")
    if record.kind in (Ban.Kind.ACCOUNT, Ban.Kind.SHADOW):
        return same.filter(user=record.user).first()
    if record.kind == Ban.Kind.RANGE:
        return same.filter(cidr=record.cidr).first()
    wanted = set(record.hashes)
    # Hashes are a JSON list; bans in force are few, so they are compared here.
    return next((ban for ban in same if wanted & set(ban.hashes)), None)


def plan_ban(
    *,
    kind: str = "",
    kinds: Sequence[str] = (),
    expires_at: dt.datetime | None = None,
    post: Post | None = None,
    user: User | None = None,
    cidr: str = "",
    remove_posts: bool = False,
) -> BanPlan:
    """Check a ban (one kind, or several on one reader) and say what it would do, changing
    nothing; ban() makes it."""
    chosen = list(kinds) or [kind]
    if not any(chosen):
        raise ValidationError(_("Choose what to ban."), code="no_kind")
    if Ban.Kind.ACCOUNT in chosen and Ban.Kind.SHADOW in chosen:
        raise ValidationError(
            _("Ban the account or shadow-hide it, not both: a banned account cannot post."),
            code="account_and_shadow",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            _("The ban would end before it starts; choose a later end."), code="ends_before"
        )
    pairs = []
    for each in chosen:
        record = _new_ban(each, post, user, cidr)
        record.expires_at = expires_at
        pairs.append((record, _in_force(record)))
    removes = _reader_posts([r for r, _ in pairs]).count() if remove_posts else 0
    return BanPlan(pairs, removes)


def _take_down(posts: QuerySet[Post], *, moderator: User, note: str, ban_record: Ban) -> int:
    """Remove published posts and reject held ones, all at once, each logged with the ban."""
    rows = list(posts.select_for_update().order_by("pk").values_list("pk", "status"))
    if not rows:
        return 0
    now = timezone.now()
    ids = [pk for pk, _ in rows]
    threads_changed(Post.objects.filter(pk__in=ids))
    shown = [pk for pk, status in rows if status == Post.Status.PUBLISHED]
    held = [pk for pk, status in rows if status == Post.Status.HELD]
    Post.objects.filter(pk__in=shown).update(status=Post.Status.REMOVED, removed_at=now)
    Post.objects.filter(pk__in=held).update(status=Post.Status.REJECTED, removed_at=now)
    Flag.objects.filter(post_id__in=ids, resolved_at__isnull=True).update(resolved_at=now)
    pagecache.changed(QUEUE_TAG)
    ModerationAction.objects.bulk_create(
        ModerationAction(
            actor=moderator,
            action=Action.REMOVE if status == Post.Status.PUBLISHED else Action.REJECT,
            post_id=pk,
            ban=ban_record,
            note=note,
            previous_status=status,
            created_at=now,
        )
        for pk, status in rows
    )
    return len(rows)


@transaction.atomic
def ban(*, kind: str, **terms: Any) -> Ban:
    """One ban: see ban_reader."""
    return ban_reader(kinds=[kind], **terms)[0]


@transaction.atomic
def ban_reader(
    *,
    kinds: Sequence[str],
    moderator: User,
    reason: str,
    expires_at: dt.datetime | None = None,
    post: Post | None = None,
    user: User | None = None,
    cidr: str = "",
    remove_posts: bool = False,
    replace: bool = False,
    reader_reason: str = "",
) -> list[Ban]:
    """Ban an account (or shadow-hide it), the address or network a post came from (or an
    account's latest one), or a range; several kinds on one reader at once. With
    remove_posts, also take down the posts that reader has up or waiting.

    A reader or place already banned that way is not banned twice: AlreadyBanned is raised
    (code "already_banned"), or with replace=True the ban in force is changed to these
    terms instead. The account's or post's row is locked first, so two moderators banning
    the same reader at once make one ban."""
    if user is not None:
        User.objects.select_for_update().filter(pk=user.pk).first()
    if post is not None:
        Post.objects.select_for_update().filter(pk=post.pk).first()
    plan = plan_ban(
        kinds=kinds, expires_at=expires_at, post=post, user=user, cidr=cidr, remove_posts=False
    )
    if plan.existing and not replace:
        raise AlreadyBanned(already_banned_message(plan.existing), code="already_banned")
    made = []
    for record, old in plan.pairs:
        if old is not None:
            made.append(
                _change_ban(
                    old,
                    moderator=moderator,
                    reason=reason,
                    expires_at=expires_at,
                    reader_reason=reader_reason,
                )
            )
            continue
        record.reason = reason.strip()
        record.reader_reason = reader_reason.strip()
        record.created_by = moderator
        record.save()
        if record.kind == Ban.Kind.SHADOW and record.user is not None:
            hidden = Post.objects.filter(author=record.user, status=Post.Status.PUBLISHED)
            threads_changed(hidden)
            hidden.update(shadow=True)
        _log(moderator, Action.BAN, post, ban=record, note=record.reason)
        made.append(record)
    if remove_posts:
        _take_down(
            _reader_posts(made),
            moderator=moderator,
            note=reason.strip() or "Taken down with the ban.",
            ban_record=made[0],
        )
    return made


def already_banned_message(existing: Sequence[Ban]) -> str:
    said = "; ".join(ban_in_force(ban) for ban in existing)
    return _("Already banned: %(bans)s. Nothing was changed; you may change the ban in force.") % {
        "bans": said
    }


def _change_ban(
    record: Ban,
    *,
    moderator: User,
    reason: str,
    expires_at: dt.datetime | None,
    reader_reason: str = "",
) -> Ban:
    record = Ban.objects.select_for_update().get(pk=record.pk)
    before = f"{ban_until(record)}: {record.reason}".strip()
    record.expires_at = expires_at
    if reason.strip():
        record.reason = reason.strip()
    if reader_reason.strip():
        record.reader_reason = reader_reason.strip()
    record.save(update_fields=["expires_at", "reason", "reader_reason"])
    after = f"{ban_until(record)}: {record.reason}".strip()
    _log(moderator, Action.CHANGE_BAN, ban=record, note=reason.strip(), before=before, after=after)
    return record


def _end_ban(ban_record: Ban) -> None:
    """Lift the ban; a shadow-hidden reader's posts show again unless another such ban holds."""
    ban_record.lifted_at = timezone.now()
    ban_record.save(update_fields=["lifted_at"])
    if ban_record.kind == Ban.Kind.SHADOW and ban_record.user is not None:
        still = Ban.objects.active().filter(kind=Ban.Kind.SHADOW, user=ban_record.user).exists()
        if not still:
            shown = Post.objects.filter(author=ban_record.user, shadow=True)
            threads_changed(shown)
            shown.update(shadow=False)


@transaction.atomic
def lift_ban(*, ban_record: Ban, moderator: User, note: str = "") -> Ban:
    _end_ban(ban_record)
    _log(moderator, Action.LIFT_BAN, ban=ban_record, note=note)
    return ban_record


class CannotUndo(ValidationError):
    """The entry cannot be undone (again); `code` says why, nothing was changed."""


def _undo_refusal(entry: ModerationAction) -> CannotUndo | None:
    """Why this locked entry cannot be undone now, or None."""
    done = ModerationAction.objects.filter(undoes=entry).select_related("actor").first()
    if done is not None:
        who = done.actor.username if done.actor else "the site"
        when = clock_time(done.created_at, with_date=True)
        return CannotUndo(
            f"That was already undone by {who} on {when}; nothing was changed.",
            code="already_undone",
        )
    if entry.action != decisions.BAN and entry.action not in decisions.UNDOES:
        return CannotUndo(
            f"“{entry.get_action_display()}” cannot be undone here.", code="not_undoable"
        )
    if entry.action == decisions.BAN and entry.ban is None:
        return CannotUndo("That ban no longer exists; nothing was changed.", code="gone")
    if entry.action != decisions.BAN and entry.post is None:
        return CannotUndo("That post no longer exists; nothing was changed.", code="gone")
    return None


@transaction.atomic
def undo(*, entry: ModerationAction, moderator: User, note: str = "") -> ModerationAction:
    """Reverse a logged removal, rejection, spam mark or ban (shadow-hiding included), once.

    A post goes back to the status it had before, at its number and place; the thread's
    cached pages are named as changed by Post.save (pagecache.follow in discussion.apps), or by
    threads_changed for the posts a ban took down, which its undo puts back too. Undoing a
    spam mark tells Akismet "not spam" when it is configured. The undo is logged, pointing at
    the entry it reversed; a second undo of the same entry is refused (CannotUndo).
    """
    # of=self: the joined post and ban may be missing, and rows on an outer join's
    # nullable side cannot be locked (PostgreSQL); the post and the ban are locked below.
    locked = ModerationAction.objects.select_for_update(of=("self",)).select_related(
        "post__article", "ban"
    )
    entry = locked.get(pk=entry.pk)
    refusal = _undo_refusal(entry)
    if refusal is not None:
        raise refusal
    if entry.action == decisions.BAN:
        assert entry.ban is not None
        return _undo_ban(entry, entry.ban, moderator, note)
    post = entry.post
    assert post is not None
    _lock(post, decisions.UNDO)
    if post.status != decisions.UNDOES[entry.action]:
        raise AlreadyDecided(
            f"Post {post.number} is now “{post.get_status_display()}”; nothing was changed.",
            code="changed",
        )
    previous = post.status
    post.status = entry.previous_status or decisions.RESTORES_BY_DEFAULT[entry.action]
    post.removed_at = None
    post.save(update_fields=["status", "removed_at"])
    done = _log_undo(moderator, entry, post=post, note=note, previous_status=previous)
    if entry.action == decisions.SPAM:
        forget_spam(post_id=post.pk)
        transaction.on_commit(lambda: learning.not_spam(post.pk), robust=True)
    return done


def _log_undo(
    moderator: User, entry: ModerationAction, *, post: Post | None, note: str, **fields: object
) -> ModerationAction:
    try:
        with transaction.atomic():  # the one-to-one refuses a second undo of the entry
            return ModerationAction.objects.create(
                actor=moderator,
                action=Action.UNDO,
                post=post,
                ban=entry.ban,
                undoes=entry,
                note=note.strip(),
                **fields,
            )
    except IntegrityError:
        raise CannotUndo(
            "Another moderator undid that a moment ago; nothing was changed.",
            code="already_undone",
        ) from None


def _undo_ban(entry: ModerationAction, record: Ban, moderator: User, note: str) -> ModerationAction:
    """Lift the ban if it still holds, and put back the posts taken down with it that are
    still down (each one's own undo is logged too)."""
    record = Ban.objects.select_for_update().get(pk=record.pk)
    rows = (
        ModerationAction.objects.select_for_update(of=("self",))
        .filter(ban=record, action__in=list(decisions.UNDOES), undone_by__isnull=True)
        .exclude(post=None)
        .order_by("pk")
    )
    taken = [(row, row.post_id) for row in rows if row.post_id is not None]
    locked = Post.objects.select_for_update().filter(pk__in=[pk for _, pk in taken])
    statuses: dict[int, str] = dict(locked.values_list("pk", "status"))
    # Only posts still as the ban left them: one undone or changed since stays as it is.
    back = [(row, pk) for row, pk in taken if statuses.get(pk) == decisions.UNDOES[row.action]]
    if not record.is_active and not back:
        raise CannotUndo(
            "That ban is already over and took no post down that is still down; "
            "nothing was changed.",
            code="ban_over",
        )
    if record.is_active:
        _end_ban(record)
    done = _log_undo(moderator, entry, post=entry.post, note=note)
    if back:
        threads_changed(Post.objects.filter(pk__in=[pk for _, pk in back]))
        restore: dict[str, list[int]] = {}
        for row, pk in back:
            status = row.previous_status or decisions.RESTORES_BY_DEFAULT[row.action]
            restore.setdefault(status, []).append(pk)
        for status, post_ids in restore.items():  # at most one query per status
            Post.objects.filter(pk__in=post_ids).update(status=status, removed_at=None)
        ModerationAction.objects.bulk_create(
            ModerationAction(
                actor=moderator,
                action=Action.UNDO,
                post_id=pk,
                ban=record,
                undoes=row,
                note=note.strip(),
                previous_status=statuses[pk],
                created_at=done.created_at,
            )
            for row, pk in back
        )
    return done


def clean_term(*, kind: str, value: str) -> str:
    """The blocklist value as it is kept: lowercased, a domain without scheme, path or www."""
    cleaned = value.strip().lower()
    if kind == BlockedTerm.Kind.DOMAIN:
        cleaned = cleaned.removeprefix("http://").removeprefix("https://").split("/")[0]
        cleaned = cleaned.removeprefix("www.")
    if not cleaned:
        raise ValidationError(_("Enter a word or a domain to block."), code="empty")
    return cleaned


@transaction.atomic
def block_term(
    *,
    kind: str,
    value: str,
    moderator: User,
    match: str = BlockedTerm.Match.WORDS,
    action: str = BlockedTerm.Outcome.HOLD,
) -> BlockedTerm:
    """Add a word or domain to the blocklist, found as whole words (with their forms) or
    inside words, and what it does to a post: hold it, refuse it, or publish it for review.
    A term already there takes the new match and action."""
    cleaned = clean_term(kind=kind, value=value)
    if match not in BlockedTerm.Match.values or action not in BlockedTerm.Outcome.values:
        raise ValidationError(_("Choose how the term is found and what it does."), code="choice")
    term, created = BlockedTerm.objects.select_for_update().get_or_create(
        kind=kind,
        value=cleaned,
        defaults={"created_by": moderator, "match": match, "action": action},
    )
    if created or (term.match, term.action) != (match, action):
        term.match, term.action = match, action
        term.save()  # a save, so every process's kept blocklist follows
        how = "" if (match, action) == ("words", "hold") else f" ({match}, {action})"
        _log(moderator, Action.BLOCK_TERM, note=f"blocked {kind} {cleaned}{how}")
    return term


@transaction.atomic
def unblock_term(*, term: BlockedTerm, moderator: User) -> None:
    _log(moderator, Action.BLOCK_TERM, note=f"unblocked {term.kind} {term.value}")
    term.delete()


@transaction.atomic
def add_reader_note(*, reader: User, moderator: User, body: str) -> ReaderNote:
    """A moderator's note on a reader, for the other moderators; the reader never sees it."""
    if not body.strip():
        raise ValidationError(_("Write the note first."), code="empty")
    return ReaderNote.objects.create(reader=reader, author=moderator, body=body.strip())


@transaction.atomic
def message_reader(*, reader: User, moderator: User, subject: str, body: str) -> ReaderNote:
    """Email the reader a moderator's message: kept on the reader's page, sent by the task
    worker once committed (retried while the mail server is away)."""
    if not reader.email:
        raise ValidationError(
            _("%(name)s has no email address on record; nothing was sent.")
            % {"name": reader.username},
            code="no_email",
        )
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."), code="empty")
    note = ReaderNote.objects.create(
        reader=reader,
        author=moderator,
        kind=ReaderNote.Kind.MESSAGE,
        subject=subject.strip(),
        body=body.strip(),
    )
    transaction.on_commit(lambda: letters.send_reader_message.enqueue(note.pk), robust=True)
    return note


@transaction.atomic
def add_canned_reason(*, label: str, moderator: User) -> CannedReason:
    """A set reason moderators may pick in decision forms, listed after the others."""
    label = " ".join(label.split())
    if not label:
        raise ValidationError(_("Write the reason first."), code="empty")
    if CannedReason.objects.filter(label__iexact=label).exists():
        raise ValidationError(
            _("“%(label)s” is a set reason already.") % {"label": label}, code="exists"
        )
    last = CannedReason.objects.order_by("-position").values_list("position", flat=True).first()
    return CannedReason.objects.create(label=label, position=(last or 0) + 1)


@transaction.atomic
def remove_canned_reason(*, reason: CannedReason, moderator: User) -> None:
    """No longer offered; decisions made with it keep its words in the log."""
    reason.delete()


APPEAL_OUTCOMES: dict[str, frozenset[str]] = {
    Appeal.Kind.BAN: frozenset({Appeal.Outcome.UPHELD, Appeal.Outcome.LIFTED}),
    Appeal.Kind.POST: frozenset({Appeal.Outcome.KEPT, Appeal.Outcome.RESTORED}),
}


# Appeals and second looks per account, or per address for anonymous readers.
APPEAL_RATES = [(3, 3600), (10, 86400)]


def appeal_wait(*, user: User | None, address: Address) -> int | None:
    """Count an appeal or second look this reader is sending: the seconds until they may
    send another, when past the allowance, else None."""
    who = f"user:{user.pk}" if user is not None else f"address:{address.reader_hash}"
    refused = ratelimit.hit(f"appeal:{who}", APPEAL_RATES)
    return None if refused is None else refused.retry_after


def _appeal_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(
            _("Say in a few words why the moderators should think again."), code="empty"
        )
    return text


@transaction.atomic
def appeal_ban(*, ban_record: Ban, user: User | None, email: str, text: str) -> Appeal:
    """A banned reader's appeal: it waits in the queue beside the ban. A reader without an
    account address gives one to be answered at; one appeal at a time per ban."""
    text = _appeal_text(text)
    email = email.strip()
    if user is None or not user.email:
        if not email:
            raise ValidationError(
                _("Give an email address the moderators can answer."), code="no_email"
            )
        validate_email(email)
    Ban.objects.select_for_update().filter(pk=ban_record.pk).first()
    if Appeal.objects.filter(
        kind=Appeal.Kind.BAN, ban=ban_record, decided_at__isnull=True
    ).exists():
        raise ValidationError(
            _(
                "An appeal against this ban is already with the moderators; "
                "you will hear from them."
            ),
            code="already_appealed",
        )
    return Appeal.objects.create(
        kind=Appeal.Kind.BAN, ban=ban_record, user=user, email=email, text=text
    )


@transaction.atomic
def ask_second_look(*, post: Post, user: User, text: str) -> Appeal:
    """The author of a post a moderator removed asks, once, for a second look."""
    text = _appeal_text(text)
    current = Post.objects.select_for_update().only("status", "author_id").get(pk=post.pk)
    if current.author_id != user.pk:
        raise ValidationError(
            _("Only the post's author may ask for a second look."), code="not_yours"
        )
    if current.status != Post.Status.REMOVED:
        raise ValidationError(_("This post is not removed by a moderator."), code="not_removed")
    if Appeal.objects.filter(kind=Appeal.Kind.POST, post=post).exists():
        raise ValidationError(
            _("You already asked for a second look at this post; a post gets one."),
            code="asked_already",
        )
    try:
        with transaction.atomic():
            return Appeal.objects.create(kind=Appeal.Kind.POST, post=post, user=user, text=text)
    except IntegrityError:
        raise ValidationError(
            _("You already asked for a second look at this post; a post gets one."),
            code="asked_already",
        ) from None


@transaction.atomic
def decide_appeal(*, appeal: Appeal, moderator: User, outcome: str, answer: str = "") -> Appeal:
    """Uphold or lift a ban, keep or restore a post, once; the reader is told by email (the
    task worker sends it). Lifting and restoring are the log's own Lift and Undo."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.decided_at is not None:
        raise ValidationError(
            _("Another moderator decided on that appeal already; nothing was changed."),
            code="decided",
        )
    if outcome not in APPEAL_OUTCOMES[appeal.kind]:
        raise ValidationError(_("Choose what to do with the appeal."), code="no_outcome")
    note = f"On appeal: {answer.strip()}" if answer.strip() else "On appeal."
    if outcome == Appeal.Outcome.LIFTED and appeal.ban is not None and appeal.ban.is_active:
        lift_ban(ban_record=appeal.ban, moderator=moderator, note=note)
    if outcome == Appeal.Outcome.RESTORED and appeal.post is not None:
        entry = (
            ModerationAction.objects.filter(
                post=appeal.post, action=Action.REMOVE, undone_by__isnull=True
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if entry is None:
            raise ValidationError(_("That post's removal is no longer in the log."), code="gone")
        undo(entry=entry, moderator=moderator, note=note)
    appeal.outcome = outcome
    appeal.answer = answer.strip()
    appeal.decided_at = timezone.now()
    appeal.decided_by = moderator
    appeal.save(update_fields=["outcome", "answer", "decided_at", "decided_by"])
    appeal_id = appeal.pk
    transaction.on_commit(lambda: letters.tell_appellant.enqueue(appeal_id), robust=True)
    return appeal


@transaction.atomic
def redact_post(*, post: Post, moderator: User, body: str, note: str) -> Post:
    """An edit that removes personal data: the log keeps that a redaction happened, by whom
    and why, and no copy of the removed words, neither in this entry nor in the post's
    earlier ones (edits, held edits), whose texts are cleared."""
    if not note.strip():
        raise ValidationError(_("Say why you redacted the post; the note goes into the log."))
    text = validate_body(body)
    Post.objects.select_for_update().filter(pk=post.pk).first()
    replace_body(post=post, text=text, edited_at=timezone.now())
    ModerationAction.objects.filter(post=post).exclude(before="", after="").update(
        before="", after=""
    )
    _log(moderator, Action.EDIT, post, note=f"{REDACTED} {note.strip()}")
    return post


# How a redaction reads in the log, before the moderator's reason.
REDACTED = "Personal data redacted (the removed words are not kept):"


@transaction.atomic
def close_reports(*, post: Post, moderator: User, note: str = "") -> int:
    """Close the post's open reports after an edit dealt with them (logged as dismissed);
    how many were closed. A post the reports had hidden shows again."""
    count = Flag.objects.filter(post=post).open().count()
    if count and post.status in FITS[decisions.DISMISS]:
        dismiss_flags(post=post, moderator=moderator, note=note or "Closed with the edit.")
    return count
