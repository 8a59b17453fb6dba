"""Personal API tokens: made, shown once, found again by their secret, revoked.

A token reads `kh_<prefix>_<secret>`. The prefix finds the row; the secret is compared with
its stored SHA-256 hash (the secret is 32 random bytes, so no slow hash is needed: there is
nothing to guess). What a token may do is the scopes it was made with, bounded at every use
by what its account may do then: a token never gains more than its account has.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knowhow.accounts.models import ApiToken
from knowhow.articles.roles import is_moderator, is_newsroom_staff

Scope = ApiToken.Scope
TOKEN_START = "kh_"  # noqa: S105 - the mark every token starts with, not a secret
# Days a new token lasts, as the settings page offers them (0: until revoked).
LIFETIMES = (30, 90, 365, 0)
# A token's last use is written at most this often: a busy client costs no write a request.
LAST_USED_EVERY = dt.timedelta(minutes=1)
MAX_LIVE_TOKENS = 20


def allowed_scopes(user: User) -> list[str]:
    """The scopes this account may give a token now, in the order the settings page shows."""
    if not user.is_active:
        return []
    allowed = [Scope.READ.value, Scope.POST.value]
    if is_newsroom_staff(user):
        allowed.append(Scope.NEWSROOM.value)
    if is_moderator(user):
        allowed.append(Scope.MODERATE.value)
    return allowed


def granted(token: ApiToken) -> frozenset[str]:
    """What the token may do now: its scopes that its account still has."""
    return frozenset(token.scope_list) & frozenset(allowed_scopes(token.user))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # The whole token, to be shown this once; only its hash is kept.
    text: str


@transaction.atomic
def create_token(
    *, user: User, name: str, scopes: list[str], days: int, now: dt.datetime | None = None
) -> NewToken:
    """Make a token for the account, or raise ValidationError naming the field at fault."""
    now = now or timezone.now()
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError({"name": _("Give the token a name, to know it again later.")})
    wanted = sorted(set(scopes))
    if not wanted:
        raise ValidationError({"scopes": _("Choose at least one thing the token may do.")})
    beyond = [scope for scope in wanted if scope not in allowed_scopes(user)]
    if beyond:
        raise ValidationError(
            {
                "scopes": _("Your account cannot give a token: %(scopes)s.")
                % {"scopes": ", ".join(beyond)}
            }
        )
    if days not in LIFETIMES:
        raise ValidationError({"days": _("Choose how long the token lasts.")})
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if sum(1 for token in live if token.is_live(now)) >= MAX_LIVE_TOKENS:
        raise ValidationError(
            {
                "name": _("An account has at most %(most)d tokens: revoke one first.")
                % {"most": MAX_LIVE_TOKENS}
            }
        )
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=" ".join(wanted),
        created_at=now,
        expires_at=now + dt.timedelta(days=days) if days else None,
    )
    return NewToken(token, f"{TOKEN_START}{prefix}_{secret}")


def revoke_token(*, user: User, token_id: int, now: dt.datetime | None = None) -> bool:
    """Revoke one of the account's own tokens; False when it has no such live token."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
    )


def tokens_of(user: User) -> list[ApiToken]:
    """The account's tokens not revoked, newest first, for its settings page."""
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))


def token_for(text: str, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token of an active account this text is, else None; notes its use."""
    now = now or timezone.now()
    start, _, rest = text.partition(TOKEN_START)
    prefix, _, secret = rest.partition("_")
    if start or not prefix or not secret or len(text) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.is_live(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
