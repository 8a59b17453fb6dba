"""Account forms: sign-up, password reset, the reader's settings, and deleting the account."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreationForm,
)
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from knowhow.accounts import tasks, throttle
from knowhow.accounts.models import ApiToken
from knowhow.antiabuse import ratelimit

# Names shown on every post and in reader links: plain ASCII letters and digits, with dots,
# hyphens and underscores inside, so no name can pass for another (a Cyrillic "с" for a
# Latin "c") or turn a link into a path ("..").
USERNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9])?")

# Names a reader could use to pass for the site or its staff on a post.
RESERVED_USERNAMES = frozenset(
    {
        "admin", "administrator", "anonymous", "anon", "moderator", "moderators", "mod",
        "staff", "root", "support", "help", "system", "sysadmin", "webmaster",
        "postmaster", "hostmaster", "abuse", "security", "editor", "editors", "newsroom",
        "official", "team", "owner", "null", "none", "nobody",
    }
)  # fmt: skip


def _name_key(name: str) -> str:
    # "Ad.Min" and "ad_min" read as "admin" on a post.
    return re.sub(r"[._-]", "", name).casefold()


def is_reserved(name: str) -> bool:
    key = _name_key(name)
    return key in RESERVED_USERNAMES or key == _name_key(
        re.sub(r"[^A-Za-z0-9]", "", settings.SITE_NAME)
    )


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True,
        help_text=gettext_lazy("Used only to reset your password; never shown to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    retry_after: int | None = None

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].help_text = _(
            "Up to 30 letters (a–z), digits, dots, hyphens or underscores, beginning and "
            "ending with a letter or digit. Shown with your posts."
        )

    def clean_username(self) -> str:
        name = str(super().clean_username())
        if not USERNAME.fullmatch(name):
            raise forms.ValidationError(
                _(
                    "Please use only the letters a–z, digits, and dots, hyphens or "
                    "underscores between them (at most 30 characters)."
                ),
                code="invalid_username",
            )
        if is_reserved(name):
            raise forms.ValidationError(
                _("That name is kept for the site and its staff; please choose another."),
                code="reserved_username",
            )
        return name  # Django's own check has refused a name taken in another case

    def clean_email(self) -> str:
        # An address another account uses is accepted like any other, so the form never
        # tells whose address it is; that account's address is told instead (accounts.tasks).
        return str(self.cleaned_data["email"]).strip()

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # the password checks run here
        if self.errors:  # only an account that would be made counts
            return
        try:
            throttle.check_signup(self.request)
        except throttle.Throttled as refusal:
            self.retry_after = refusal.retry_after
            self.add_error(
                None,
                forms.ValidationError(
                    ngettext(
                        "Several accounts were made from your network a short while ago. "
                        "Please wait %(minutes)d minute and try again; what you typed is "
                        "still here.",
                        "Several accounts were made from your network a short while ago. "
                        "Please wait %(minutes)d minutes and try again; what you typed is "
                        "still here.",
                        refusal.minutes,
                    )
                    % {"minutes": refusal.minutes},
                    code="throttled",
                ),
            )


def too_many_tries(refusal: throttle.Throttled) -> forms.ValidationError:
    return forms.ValidationError(
        ngettext(
            "Too many wrong passwords for this account or from your network, so for now no "
            "password is checked, not even the right one. Please wait %(minutes)d minute "
            "and try again, or sign in with a link we email you.",
            "Too many wrong passwords for this account or from your network, so for now no "
            "password is checked, not even the right one. Please wait %(minutes)d minutes "
            "and try again, or sign in with a link we email you.",
            refusal.minutes,
        )
        % {"minutes": refusal.minutes},
        code="throttled",
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form, counting each try (see accounts.throttle) before checking it."""

    retry_after: int | None = None

    def clean(self) -> dict[str, Any]:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()
        try:
            attempt = throttle.begin(self.request, username)
        except throttle.Throttled as refusal:
            self.retry_after = refusal.retry_after
            raise too_many_tries(refusal) from None
        cleaned = super().clean()  # a wrong password raises here, and its try stays counted
        throttle.succeeded(attempt)
        return cleaned


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """The admin's sign-in form, counted with the site's: one count for both doors."""


class CheckedPasswordChangeForm(PasswordChangeForm):
    """Changing the password asks for the old one: counted like signing in, so a signed-in
    browser cannot guess the password here instead."""

    retry_after: int | None = None

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        try:
            right = throttle.check_password(self.request, self.user, old_password)
        except throttle.Throttled as refusal:
            self.retry_after = refusal.retry_after
            raise too_many_tries(refusal) from None
        if not right:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


# Reset emails to one address: at most this many an hour and a day, whoever asks.
RESET_RATES = [(3, 3600), (10, 86400)]


class SiteAddressResetForm(PasswordResetForm):
    """Queues reset links (accounts.tasks), so the page answers in the same time whether
    or not an account has the address, and never floods an inbox: past RESET_RATES, asking
    again sends nothing (the page answers the same, so it tells nothing either)."""

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        address = self.cleaned_data["email"].strip().lower()
        key = "reset:" + hashlib.sha256(address.encode()).hexdigest()
        if ratelimit.hit(key, RESET_RATES) is not None:
            return
        tasks.queue_reset_links(self.cleaned_data["email"])


class ReaderSettingsForm(forms.Form):
    notify_replies = forms.BooleanField(
        label=gettext_lazy("Email me when someone replies to or mentions me"), required=False
    )
    held_digest = forms.BooleanField(
        label=gettext_lazy("Email me, at most hourly, the posts newly awaiting moderation"),
        required=False,
    )

    step_emails = forms.BooleanField(
        label=gettext_lazy(
            "Email me about the newsroom's steps on my articles (changes requested, "
            "comments, approval, scheduling, publication) and, as an editor, submissions"
        ),
        required=False,
    )

    def __init__(self, *args: Any, moderator: bool = False, newsroom: bool = False,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        if not moderator:  # a reader has no queue to hear about
            del self.fields["held_digest"]
        if not newsroom:  # nor articles to hear about
            del self.fields["step_emails"]


class DeleteAccountForm(forms.Form):
    KEEP, REMOVE = "keep", "remove"

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    posts = forms.ChoiceField(
        label=gettext_lazy("Your posts"),
        choices=[
            (KEEP, gettext_lazy("Keep my posts, shown as anonymous")),
            (REMOVE, gettext_lazy("Remove my posts")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what happens to your posts.")},
    )

    retry_after: int | None = None

    def __init__(
        self, *args: Any, user: User, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        try:
            right = throttle.check_password(self.request, self.user, password)
        except throttle.Throttled as refusal:
            self.retry_after = refusal.retry_after
            raise too_many_tries(refusal) from None
        if not right:
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.KEEP


class ApiTokenForm(forms.Form):
    """A new personal API token: its name, what it may do (only what the account may), and
    how long it lasts."""

    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("To know it again, such as the program that uses it."),
        error_messages={"required": gettext_lazy("Give the token a name, to know it again later.")},
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What the token may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one thing the token may do.")},
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Lasts"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("A year")),
            (0, gettext_lazy("Until I revoke it")),
        ],
        initial=90,
    )

    prefix = "token"

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ApiToken.Scope.choices)
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = [(scope, labels[scope]) for scope in allowed]
        scopes.initial = ["read"]
