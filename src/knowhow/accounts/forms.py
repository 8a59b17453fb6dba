"""Account forms: sign-up, password reset, the reader's settings, and deleting the account."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.models import User

from knowhow.antiabuse import ratelimit
from knowhow.links import email_link_options

# Names shown on every post and in reader links: plain ASCII letters and digits, with dots,
# hyphens and underscores inside, so no name can pass for another (a Cyrillic "с" for a
# Latin "c") or turn a link into a path ("..").
USERNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9])?")


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True, help_text="Used only to reset your password; never shown to anyone."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = (
            "Up to 30 letters (a–z), digits, dots, hyphens or underscores, beginning and "
            "ending with a letter or digit. Shown with your posts."
        )

    def clean_username(self) -> str:
        name = str(super().clean_username())
        if not USERNAME.fullmatch(name):
            raise forms.ValidationError(
                "Please use only the letters a–z, digits, and dots, hyphens or underscores "
                "between them (at most 30 characters).",
                code="invalid_username",
            )
        return name  # Django's own check has refused a name taken in another case

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. "
                "If it is yours, use “forgot password?” on the sign-in page."
            )
        return email


# Reset emails to one address: at most this many an hour and a day, whoever asks.
RESET_RATES = [(3, 3600), (10, 86400)]


class SiteAddressResetForm(PasswordResetForm):
    """Emails reset links on the site's own address, never on a Host header a request sent,
    and never floods an inbox: past RESET_RATES, asking again sends nothing (the page
    answers the same, so it tells nothing either)."""

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        address = self.cleaned_data["email"].strip().lower()
        key = "reset:" + hashlib.sha256(address.encode()).hexdigest()
        if ratelimit.hit(key, RESET_RATES) is not None:
            return
        kwargs.update(email_link_options())
        super().save(**kwargs)


class ReaderSettingsForm(forms.Form):
    notify_replies = forms.BooleanField(
        label="Email me when someone replies to or mentions me", required=False
    )


class DeleteAccountForm(forms.Form):
    KEEP, REMOVE = "keep", "remove"

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    posts = forms.ChoiceField(
        label="Your posts",
        choices=[(KEEP, "Keep my posts, shown as anonymous"), (REMOVE, "Remove my posts")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to your posts."},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.KEEP
