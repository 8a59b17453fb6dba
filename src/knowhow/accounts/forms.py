"""Sign-up form: a username readers see on their posts, an email for password resets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.models import User

from knowhow.links import email_link_options


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True, help_text="Used only to reset your password; never shown to anyone."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. "
                "If it is yours, use “forgot password?” on the sign-in page."
            )
        return email


class SiteAddressResetForm(PasswordResetForm):
    """Emails reset links on KNOWHOW_SITE_URL when set, never on a Host header a request sent."""

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        kwargs.update(email_link_options())
        super().save(**kwargs)
