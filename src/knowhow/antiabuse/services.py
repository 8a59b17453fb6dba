"""The anti-abuse layers' own writes, each named for what it does (bans themselves are
made and lifted by moderation.services)."""

from __future__ import annotations

from django.db import transaction

from knowhow.antiabuse.addresses import Address
from knowhow.antiabuse.bans import current_hash
from knowhow.antiabuse.models import Ban

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
