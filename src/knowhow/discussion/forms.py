"""The "Post your comments" form: the only fields a reader may send."""

from __future__ import annotations

import functools
import time
from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest

from knowhow.discussion.services import validate_body
from knowhow.pagecache.holes import hole

FORM_SALT = "knowhow.discussion.post-form"
FORM_MAX_AGE = 7 * 86400


def issue_token(article_id: int, now: float | None = None) -> str:
    """A signed note of when the form was shown, for the article it belongs to."""
    return signing.dumps({"a": article_id, "t": round(now or time.time(), 2)}, salt=FORM_SALT)


def token_age(token: str, article_id: int, now: float | None = None) -> float | None:
    """Seconds since the form was shown, or None if the token is missing, forged or stale."""
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != article_id:
        return None
    return max(0.0, (now or time.time()) - float(data.get("t", 0)))


def issued_hole(request: HttpRequest, article_id: int) -> str:
    """The form's "issued" value: this visitor's own time, also when the page is cached."""
    return hole(request, "issued", article_id, lambda: issue_token(article_id))


@functools.lru_cache(maxsize=1024)
def _issued_at(article_id: int, second: int) -> str:
    return issue_token(article_id, float(second))


def fill_issued(arg: str, viewer: object = None) -> str:
    """The page cache's filler for the "issued" hole (registered in apps.py): the time this
    visitor got the form, to the second, signed once per second and article."""
    return _issued_at(int(arg), int(time.time()))


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
    )
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
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
        age = token_age(cleaned.get("issued") or "", self.article_id)
        if age is None:
            raise forms.ValidationError(
                "This form has expired. Your text is still here: please post it again.",
                code="expired",
            )
        cleaned["form_age"] = age
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
