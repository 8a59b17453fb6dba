"""Who hears about a newly visible post: the author it replies to and the readers it mentions.

Only readers who asked for these emails (and have an address), the anonymous poster who
left an address for replies, never the post's own author, never an unsubscribed address,
never an address its owner has not confirmed, never twice for one post. Four queries,
whatever the number of mentions.

Whom a post mentions is read from the Mentions the discussion stored with the post's text:
only readers who had taken part in this article's discussion, so a post cannot email
arbitrary accounts by naming them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from knowhow.discussion.models import Mention, Post
from knowhow.notifications.models import ConfirmedAddress, EmailOptOut, SentNotification

REPLY = "reply"
MENTION = "mention"
_HASH_SALT = "knowhow.notifications.sent"


@dataclass(frozen=True)
class Recipient:
    email: str
    reason: str  # REPLY or MENTION
    username: str = ""  # empty for an anonymous poster
    user_id: int | None = None
    # The interface language the recipient last posted in ("" if not known).
    language: str = ""


def address_key(email: str) -> str:
    """The form of an address used to compare it: addresses differing only in case are one."""
    return email.strip().lower()


def address_hash(email: str) -> str:
    return salted_hmac(_HASH_SALT, address_key(email), algorithm="sha256").hexdigest()


# Providers that deliver an address with its dots left out to the same inbox.
_DOTLESS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_key(email: str) -> str:
    """The inbox an address reaches, as far as can be told from the address: most providers
    deliver "name+anything@" to "name@", Gmail ignores dots, and a domain in Unicode is its
    ASCII (IDNA) form. Caps and opt-outs count by it, so that variants of one address cannot
    multiply what reaches one inbox."""
    local, _, domain = address_key(email).rpartition("@")
    local = local.split("+", 1)[0]
    with contextlib.suppress(UnicodeError):  # a name IDNA cannot spell is kept as typed
        domain = domain.encode("idna").decode("ascii")
    if domain in _DOTLESS:
        local, domain = local.replace(".", ""), _DOTLESS[domain]
    return f"{local}@{domain}"


def opt_out_forms(email: str) -> set[str]:
    """The forms an opt-out is kept and looked up under: the address as typed (case
    folded) and the plain form of its inbox, so no variant of it escapes an opt-out."""
    return {address_key(email), mailbox_key(email)}


def is_confirmed(email: str) -> bool:
    """Whether the address's owner confirmed they want reply emails."""
    return ConfirmedAddress.objects.filter(address_hash=address_hash(email)).exists()


def opted_out(emails: Iterable[str]) -> set[str]:
    """Those of the addresses (by address_key) that asked for no more emails, themselves or
    as the plain form of their inbox: one query, however many addresses."""
    forms = {address_key(email): opt_out_forms(email) for email in emails}
    if not forms:
        return set()
    refused = set(
        EmailOptOut.objects.annotate(key=Lower("email"))
        .filter(key__in=set().union(*forms.values()))
        .values_list("key", flat=True)
    )
    return {key for key, either in forms.items() if either & refused}


def is_opted_out(email: str) -> bool:
    """Whether the address, or the plain form of its inbox, asked for no more emails."""
    return bool(opted_out([email]))


def recipients_for(post: Post) -> list[Recipient]:
    """Who should get an email about this post, in order: the replied-to author first."""
    candidates: list[Recipient] = []
    wanted = Q()
    parent = post.reply_to
    replied_user_id = None
    # A reply to a post that is hidden, held or removed tells nobody.
    if parent is not None and parent.is_visible:
        if parent.author_id is not None:
            replied_user_id = parent.author_id
            wanted |= Q(pk=parent.author_id)
        elif parent.notify_email:
            candidates.append(
                Recipient(email=parent.notify_email, reason=REPLY, language=parent.language)
            )
    # The post's stored mentions, as a subquery: one query for the replied-to author and
    # every mentioned reader, however many there are.
    mentions = Mention.objects.filter(post_id=post.pk)
    wanted |= Q(pk__in=mentions.values("user_id"))
    users = (
        User.objects.filter(wanted, is_active=True, preferences__notify_replies=True)
        .exclude(email="")
        # Mentions are stored in order of first appearance: their keys order the emails.
        .annotate(mention_key=Subquery(mentions.filter(user_id=OuterRef("pk")).values("pk")[:1]))
        # The language of the reader's latest post: the one they read the site in.
        .annotate(
            language=Subquery(
                Post.objects.filter(author_id=OuterRef("pk"))
                .exclude(language="")
                .order_by("-created_at")
                .values("language")[:1]
            )
        )
    )
    if post.author_id is not None:
        users = users.exclude(pk=post.author_id)
    found = list(users.only("pk", "username", "email"))
    found.sort(key=lambda u: (u.pk != replied_user_id, u.mention_key or 0))
    for user in found:
        reason = REPLY if user.pk == replied_user_id else MENTION
        # A reply speaks the language of the post it answers; a mention, the reader's latest.
        language = parent.language if reason == REPLY and parent is not None else ""
        language = language or user.language or ""
        candidates.append(Recipient(user.email, reason, user.username, user.pk, language))
    return _deliverable(post, candidates)


def _deliverable(post: Post, candidates: list[Recipient]) -> list[Recipient]:
    """The candidates minus the poster, repeats, unconfirmed and unsubscribed addresses, and
    those already told."""
    own = {address_key(post.notify_email)}
    if post.author is not None:
        own.add(address_key(post.author.email))
    unique: dict[str, Recipient] = {}
    for candidate in candidates:
        key = address_key(candidate.email)
        if key and key not in own:
            unique.setdefault(key, candidate)
    if not unique:
        return []
    refused = opted_out(unique)
    hashes = {address_hash(key): key for key in unique}
    already = SentNotification.objects.filter(post=post, address_hash__in=list(hashes))
    told = {hashes[h] for h in already.values_list("address_hash", flat=True)}
    # Whoever typed an address into a form, its owner must have said yes to these emails.
    confirmed = ConfirmedAddress.objects.filter(address_hash__in=list(hashes))
    yes = {hashes[h] for h in confirmed.values_list("address_hash", flat=True)}
    return [r for key, r in unique.items() if key in yes and key not in refused and key not in told]
