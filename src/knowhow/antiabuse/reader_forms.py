"""The guarded reader form: the one base of every form a reader sends without an account's
trust (a post, a question), and the rules its text and its history follow.

    class PostForm(GuardedForm):
        TOKENS = FormTokens("knowhow.discussion.post-form")
        WORDING = Wording(...)

The form carries a signed token (when it was shown, for what, with a nonce so one form
makes one submission) and a honeypot; `renewed()` gives it back with the reader's text and
a fresh token. `clean_text` is the one rule of a reader's text, `StoredHistory` the one
answer to what the anti-abuse layers ask about stored submissions (antiabuse.spam.PostHistory).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from django import forms
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from knowhow import sql_rows
from knowhow.antiabuse.checks import Refused
from knowhow.antiabuse.spam import Submission

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A form is good for one submission, within a few hours of being shown; a refused one comes
# back with the reader's text and a fresh form.
FORM_MAX_AGE = 3 * 3600
# A minute's leeway for the clocks of several servers.
CLOCK_LEEWAY = 60
# How long the same reader sending the same text again gets the stored one back.
DUPLICATE_WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class FormToken:
    age: float  # seconds since the form was shown
    nonce: str


class _Signer(signing.Signer):
    """Django's signer, its HMAC key worked out once instead of for every signature: a
    page kept in memory signs a form time for each visitor it is answered to."""

    @functools.cached_property
    def _keyed(self) -> Any:
        hasher = getattr(hashlib, self.algorithm)
        salt = force_bytes(self.salt) + b"signer"
        key = hasher(salt + force_bytes(self.key)).digest()
        return hmac.new(key, digestmod=hasher)

    def signature(self, value: Any, key: Any = None) -> str:
        if key is not None and key != self.key:  # an old SECRET_KEY, while unsigning
            return super().signature(value, key)
        mac = self._keyed.copy()
        mac.update(force_bytes(value))
        return base64.urlsafe_b64encode(mac.digest()).strip(b"=").decode()


@dataclass(frozen=True)
class FormTokens:
    """Signed notes of when a form was shown, for what (its scope, such as an article's
    number; none for a form that serves the whole site), with a nonce of their own:
    "scope:time:nonce:signature"."""

    salt: str

    @functools.cached_property
    def _signer(self) -> signing.Signer:
        return _Signer(salt=self.salt)

    def issue(self, *scope: str, now: float | None = None, shared: bool = False) -> str:
        """A token; a shared one (an edge hands it to everyone who opens the form within a
        second or two) has a nonce starting with ".", which the form binds to the visitor's
        own CSRF secret (GuardedForm), so that one visitor's form still makes one post."""
        # Always as long (two decimals): a kept page compressed around it (pagecache) splices
        # it in as a value of a known length.
        moment = f"{now or time.time():.2f}"
        nonce = "." + secrets.token_urlsafe(11) if shared else secrets.token_urlsafe(12)
        return self._signer.sign(":".join([*scope, moment, nonce]))

    def read(self, token: str, *scope: str, now: float | None = None) -> FormToken | None:
        """The form's token, or None if it is missing, forged, for another scope, or stale."""
        try:
            parts = self._signer.unsign(token).split(":")
            if len(parts) != len(scope) + 2 or tuple(parts[: len(scope)]) != scope:
                return None
            moment, nonce = parts[len(scope) :]
            age = (now or time.time()) - float(moment)
        except (signing.BadSignature, ValueError):
            return None
        if not nonce or not -CLOCK_LEEWAY <= age <= FORM_MAX_AGE:
            return None
        return FormToken(max(0.0, age), nonce)


@dataclass(frozen=True)
class Wording:
    """What a guarded form tells the reader, in the words of what it sends."""

    empty: StrOrPromise
    # Formatted with limit and length.
    too_long: StrOrPromise
    nul: StrOrPromise
    honeypot: StrOrPromise
    expired: StrOrPromise


def clean_text(text: str, *, limit: int, wording: Wording) -> str:
    """A reader's text as it will be stored, or a ValidationError the reader can act on."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise ValidationError(wording.empty, code="empty")
    if len(cleaned) > limit:
        raise ValidationError(
            str(wording.too_long).format(
                limit=number_format(limit, force_grouping=True),
                length=number_format(len(cleaned), force_grouping=True),
            ),
            code="too_long",
        )
    if "\x00" in cleaned:
        raise ValidationError(wording.nul, code="nul")
    return cleaned


def reader_text(*, label: StrOrPromise, help_text: StrOrPromise, **attrs: Any) -> forms.CharField:
    """The field of a reader's text, taken as typed: the form's clean_<field> runs
    clean_text, which says what is wrong in the site's own words."""
    widget = forms.Textarea(attrs=attrs)
    return forms.CharField(
        label=label, strip=False, required=False, widget=widget, help_text=help_text
    )


def reader_email(*, label: StrOrPromise, help_text: StrOrPromise) -> forms.EmailField:
    """An address a reader may leave to be told something: optional, never shown."""
    widget = forms.EmailInput(attrs={"autocomplete": "email"})
    return forms.EmailField(
        label=label, required=False, max_length=254, help_text=help_text, widget=widget
    )


_GUARD = ("issued", "website")


class GuardedForm(forms.Form):
    """A reader's form with a signed token and a honeypot; subclasses add their fields."""

    TOKENS: ClassVar[FormTokens]
    WORDING: ClassVar[Wording]

    issued = forms.CharField(required=False, widget=forms.HiddenInput)
    # A field people never see and bots fill in.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this field empty"))

    def __init__(
        self, *args: Any, scope: tuple[str, ...] = (), visitor: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        # The visitor's CSRF secret: what a shared token's nonce is bound to.
        self.visitor = visitor
        # The guard's fields come last, after the reader's own, as the page always had them.
        self.order_fields([name for name in self.fields if name not in _GUARD] + list(_GUARD))
        if not self.is_bound:
            self.initial.setdefault("issued", self.TOKENS.issue(*scope))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("website") or "").strip():
            raise forms.ValidationError(self.WORDING.honeypot, code="honeypot")
        token = self.TOKENS.read(cleaned.get("issued") or "", *self.scope)
        if token is None:
            raise forms.ValidationError(self.WORDING.expired, code="expired")
        cleaned["form_age"] = token.age
        cleaned["form_nonce"] = token.nonce
        if token.nonce.startswith("."):
            # A token many visitors got at once: one form per visitor, each its own post.
            own = hashlib.blake2b(f"{token.nonce}:{self.visitor}".encode(), digest_size=11)
            cleaned["form_nonce"] = "." + own.hexdigest()
        return cleaned

    def renewed(self) -> Self:
        """The same form for showing again, with a fresh token and what the reader typed."""
        self.errors  # noqa: B018 - validate now, so the errors stay those of what was sent
        data = {key: self.data.get(key) for key in self.data}
        data["issued"] = self.TOKENS.issue(*self.scope)
        data["website"] = ""
        self.data = data
        return self

    def refused(self, refusal: Refused) -> Self:
        """The form for showing again with the layers' refusal on it."""
        self.add_error(None, refusal.message)
        return self.renewed()


ModelT = TypeVar("ModelT", bound=models.Model)


class StoredHistory(Generic[ModelT]):
    """What the anti-abuse layers ask about stored submissions of one model, which keeps a
    fingerprint, a form nonce and a creation time: one answer for posts and questions."""

    model: ClassVar[type[models.Model]]
    # The field naming the account that sent it (null when sent anonymously).
    author_field: ClassVar[str]
    # Which of several copies is "the" earlier one.
    first: ClassVar[str] = "pk"

    def __init__(self, own_ids: Any = ()) -> None:
        # The anonymous submissions this browser's session remembers as its own.
        self.own_ids = list(own_ids)

    # The field within which a copy counts as the same (one thread), or None: the whole site.
    scope_field: ClassVar[str | None] = None

    def scope_key(self) -> Any:
        """The value of scope_field that this history is about."""
        return None

    def earlier_copy(self, submission: Submission) -> ModelT | None:
        """The same reader's same text in the last day, if any.

        The same reader is the same account, or for an anonymous submission the same browser
        (what its session remembers): never merely the same address, which readers behind one
        proxy or network share, so a copy never hands a submission to someone else.
        """
        if submission.author is None and not self.own_ids:
            return None
        author = "{rows." + self.author_field + "}"
        if submission.author is not None:
            where, params = [f"{author} = %s"], [submission.author.pk]
        else:
            own = [int(pk) for pk in self.own_ids]
            marks = ", ".join(["%s"] * len(own))
            where, params = [f"{author} IS NULL", f"{{rows.pk}} IN ({marks})"], own
        if self.scope_field is not None:
            where.append("{rows." + self.scope_field + "} = %s")
            params.append(self.scope_key())
        where += ["{rows.fingerprint} = %s", "{rows.created_at} >= %s"]
        # A statement per shape (account or a number of own ids), each compiled once.
        template = (
            "SELECT {rows.pk} FROM {rows} WHERE " + " AND ".join(where)  # noqa: S608
            + " ORDER BY {rows." + self.first + "} LIMIT 1"
        )  # fmt: skip
        found = sql_rows.select(
            self.model,
            template,
            [*params, submission.text.fingerprint, timezone.now() - DUPLICATE_WINDOW],
            rows=self.model,
        )
        if not found:
            return None
        return self.model._default_manager.filter(pk=found[0][0]).first()  # type: ignore[return-value]

    def form_used(self, nonce: str) -> bool:
        return bool(
            sql_rows.select(
                self.model, "SELECT 1 FROM {rows} WHERE {rows.form_nonce} = %s LIMIT 1", [nonce],
                rows=self.model,
            )
        )  # fmt: skip

    def repeats_elsewhere(self, fingerprint: str, since: dt.datetime) -> int:
        raise NotImplementedError

    def has_published_post(self, user: User) -> bool:
        raise NotImplementedError

    def is_established(self, user: User) -> bool:
        raise NotImplementedError
