"""The "Post your comments" form: the only fields a reader may send."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from knowhow.antiabuse.reader_forms import (
    FORM_MAX_AGE,
    FormToken,
    FormTokens,
    GuardedForm,
    reader_email,
    reader_text,
)
from knowhow.discussion.services import POST_WORDING, validate_body
from knowhow.pagecache.holes import hole
from knowhow.row_ids import RowIdField

__all__ = ["FORM_MAX_AGE", "EditForm", "PostForm", "issue_token", "read_token"]

# A form is good for one post on one article, within a few hours of being shown.
TOKENS = FormTokens("knowhow.discussion.post-form")


def issue_token(article_id: int, now: float | None = None) -> str:
    """A signed note of when the form was shown, for which article, with a nonce of its own
    so that one form makes at most one post."""
    return TOKENS.issue(str(article_id), now=now)


def read_token(token: str, article_id: int, now: float | None = None) -> FormToken | None:
    """The form's token, or None if it is missing, forged, for another article, or stale."""
    return TOKENS.read(token, str(article_id), now=now)


def shared_token(article_id: int, until: float) -> str:
    """A token an edge hands to everyone who opens the form before `until`, signed as
    shown at that time: the minimum time to post counts from no earlier than the visit."""
    return TOKENS.issue(str(article_id), now=until, shared=True)


def fill_shared_issued(arg: str, until: float) -> str:
    return shared_token(int(arg), until)


def issued_hole(request: HttpRequest, article_id: int) -> str:
    """The form's "issued" value: this visitor's own time, also when the page is cached."""
    return hole(request, "issued", article_id, lambda: issue_token(article_id))


def fill_issued(arg: str, viewer: object = None) -> str:
    """The page cache's filler for the "issued" hole (registered in apps.py): a token of
    this visitor's own, signed when they got the form."""
    return issue_token(int(arg))


# How to shape a post, said in words, as a screen reader reads symbols one by one.
MARKDOWN_HELP = gettext_lazy(
    "Leave an empty line between paragraphs. To stress words, put an asterisk just before "
    "and just after them. To make a link, put its words in square brackets and the web "
    "address straight after them in round brackets."
)


class PostForm(GuardedForm):
    TOKENS = TOKENS
    WORDING = POST_WORDING
    # An error of the whole post (a refusal) is the text's to show.
    summary_field = "body"

    body = reader_text(
        label=gettext_lazy("Your comment"),
        help_text=MARKDOWN_HELP,
        rows=7,
        cols=60,
    )
    notify_email = reader_email(
        label=gettext_lazy("Email me replies (optional, never shown)"),
        help_text=gettext_lazy("The first time, we email this address a link to confirm it."),
    )
    reply_to = RowIdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, article_id: int, visitor: str = "", **kwargs: Any) -> None:
        super().__init__(*args, scope=(str(article_id),), visitor=visitor, **kwargs)
        self.article_id = article_id

    def clean_body(self) -> str:
        return validate_body(self.cleaned_data.get("body") or "")


class EditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
    )

    def clean_body(self) -> str:
        return validate_body(self.cleaned_data.get("body") or "")
