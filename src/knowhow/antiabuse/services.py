"""The anti-abuse layers' own writes, each named for what it does (bans themselves are
made and lifted by moderation.services)."""

from __future__ import annotations

from django.db import transaction

from knowhow.antiabuse.addresses import Address
from knowhow.antiabuse.bans import current_hash
from knowhow.antiabuse.fingerprints import body_fingerprint, links_fingerprint
from knowhow.antiabuse.models import Ban, SpamPrint
from knowhow.antiabuse.reading import read_post

# Hashes a ban keeps: one per period the address was seen in, the oldest forgotten.
KEPT_HASHES = 6
# An account ban holds the addresses the account used (moderation.services.addresses_used).
ACCOUNT_KEPT_HASHES = 100


@transaction.atomic
def carry_ban_forward(*, ban: Ban, address: Address) -> None:
    """Add this period's hash of the address to a ban that matched it by the period
    before's, so the ban holds on once that hash is too old to compute."""
    locked = Ban.objects.select_for_update().get(pk=ban.pk)
    current = current_hash(locked, address)
    if current in locked.hashes:  # another request carried it first
        return
    kept = ACCOUNT_KEPT_HASHES if locked.kind == Ban.Kind.ACCOUNT else KEPT_HASHES
    locked.hashes = [*locked.hashes, current][-kept:]
    locked.save(update_fields=["hashes"])


@transaction.atomic
def remember_spam(*, post_id: int, body: str, named: str) -> None:
    """Keep the fingerprints of a post a moderator marked spam (its text's and its links'),
    so the spam guard holds their repeats anywhere on the site."""
    prints = [(SpamPrint.Kind.TEXT, body_fingerprint(body))]
    links = links_fingerprint(read_post(body))
    if links:
        prints.append((SpamPrint.Kind.LINKS, links))
    for kind, value in prints:
        SpamPrint.objects.get_or_create(
            kind=kind, value=value, post_id=post_id, defaults={"named": named[:300]}
        )


@transaction.atomic
def forget_spam(*, post_id: int) -> None:
    """The post was not spam after all (its mark undone): its repeats are let through."""
    SpamPrint.objects.filter(post_id=post_id).delete()
