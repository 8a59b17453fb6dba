"""The "Post your comments" form: the only fields a reader may send."""

from __future__ import annotations

import functools
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest

from knowhow.discussion.services import validate_body
from knowhow.pagecache.holes import hole
from knowhow.row_ids import RowIdField

FORM_SALT = "knowhow.discussion.post-form"
# A form is good for one post, within a few hours of being shown; a refused post comes back
# with the reader's text and a fresh form.
FORM_MAX_AGE = 3 * 3600


@functools.cache
def _signer() -> signing.Signer:
    return signing.Signer(salt=FORM_SALT)


def issue_token(article_id: int, now: float | None = None) -> str:
    """A signed note of when the form was shown, for which article, with a nonce of its own
    so that one form makes at most one post: "article:time:nonce:signature"."""
    moment = round(now or time.time(), 2)
    return _signer().sign(f"{article_id}:{moment}:{secrets.token_urlsafe(12)}")


@dataclass(frozen=True)
class FormToken:
    age: float  # seconds since the form was shown
    nonce: str


def read_token(token: str, article_id: int, now: float | None = None) -> FormToken | None:
    """The form's token, or None if it is missing, forged, for another article, or stale."""
    try:
        article, moment, nonce = _signer().unsign(token).split(":")
        age = (now or time.time()) - float(moment)
        if int(article) != article_id or not nonce:
            return None
    except (signing.BadSignature, ValueError):
        return None
    if not -60 <= age <= FORM_MAX_AGE:  # a minute's leeway for clocks of several servers
        return None
    return FormToken(max(0.0, age), nonce)


def issued_hole(request: HttpRequest, article_id: int) -> str:
    """The form's "issued" value: this visitor's own time, also when the page is cached."""
    return hole(request, "issued", article_id, lambda: issue_token(article_id))


def fill_issued(arg: str, viewer: object = None) -> str:
    """The page cache's filler for the "issued" hole (registered in apps.py): a token of
    this visitor's own, signed when they got the form."""
    return issue_token(int(arg))


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        strip=False,
        required=False,  # validate_body says what is wrong in the site's own words
        widget=forms.Textarea(attrs={"rows": 7, "cols": 60}),
        help_text="Separate paragraphs with a blank line; *emphasis* and [links](https://…) work.",
    )
    notify_email = forms.EmailField(
        label="Email me replies (optional, never shown)",
        required=False,
        max_length=254,
        help_text="The first time, we email this address a link to confirm it.",
    )
    reply_to = RowIdField(required=False, widget=forms.HiddenInput)
    issued = forms.CharField(required=False, widget=forms.HiddenInput)
    # A field people never see and bots fill in.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args: Any, article_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.article_id = article_id
        if not self.is_bound:
            self.initial.setdefault("issued", issue_token(article_id))

    def clean_body(self) -> str:
        return validate_body(self.cleaned_data.get("body") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("website") or "").strip():
            raise forms.ValidationError(
                "This post looks automated and was not accepted. If you are a person, "
                "reload the page and post again.",
                code="honeypot",
            )
        token = read_token(cleaned.get("issued") or "", self.article_id)
        if token is None:
            raise forms.ValidationError(
                "This form has expired. Your text is still here: please post it again.",
                code="expired",
            )
        cleaned["form_age"] = token.age
        cleaned["form_nonce"] = token.nonce
        return cleaned

    def renewed(self) -> PostForm:
        """The same form for showing again, with a fresh token and the reader's text."""
        self.errors  # noqa: B018 - validate now, so the errors stay those of what was sent
        data = {key: self.data.get(key) for key in self.data}
        data["issued"] = issue_token(self.article_id)
        self.data = data
        return self


class EditForm(forms.Form):
    body = forms.CharField(
        label="Your comment", strip=False, required=False, widget=forms.Textarea(attrs={"rows": 7})
    )

    def clean_body(self) -> str:
        return validate_body(self.cleaned_data.get("body") or "")
