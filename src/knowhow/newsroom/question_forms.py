"""The forms of reader questions: the public ask form (the only fields a reader may send)
and the editors' forms for merging a question and turning it into a draft."""

from __future__ import annotations

import functools
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing

from knowhow.articles.models import Person, Topic
from knowhow.articles.roles import writers
from knowhow.newsroom.models import QUESTION_MAX_LENGTH, Question
from knowhow.newsroom.question_services import validate_text

FORM_SALT = "knowhow.newsroom.ask-form"
# A form is good for one question, within a few hours of being shown.
FORM_MAX_AGE = 3 * 3600


@functools.cache
def _signer() -> signing.Signer:
    return signing.Signer(salt=FORM_SALT)


def issue_token(now: float | None = None) -> str:
    """A signed note of when the form was shown, with a nonce: "time:nonce:signature"."""
    return _signer().sign(f"{round(now or time.time(), 2)}:{secrets.token_urlsafe(12)}")


@dataclass(frozen=True)
class FormToken:
    age: float  # seconds since the form was shown
    nonce: str


def read_token(token: str, now: float | None = None) -> FormToken | None:
    """The form's token, or None if it is missing, forged or stale."""
    try:
        moment, nonce = _signer().unsign(token).split(":")
        age = (now or time.time()) - float(moment)
    except (signing.BadSignature, ValueError):
        return None
    if not nonce or not -60 <= age <= FORM_MAX_AGE:  # a minute's leeway between servers
        return None
    return FormToken(max(0.0, age), nonce)


class AskForm(forms.Form):
    text = forms.CharField(
        label="Your question",
        strip=False,
        required=False,  # validate_text says what is wrong in the site's own words
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": QUESTION_MAX_LENGTH}),
        help_text=(
            "One question, in your own words: what would you like an article to explain? "
            f"At most {QUESTION_MAX_LENGTH:,} characters. Editors read every question; "
            "it is not published."
        ),
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=100,
        help_text="Only the editors see it.",
    )
    email = forms.EmailField(
        label="Email me when it is answered (optional)",
        required=False,
        max_length=254,
        help_text=(
            "One email, with the answer's title and link, if an editor publishes an article "
            "answering it. Never shown, never used for anything else."
        ),
    )
    article = forms.SlugField(required=False, widget=forms.HiddenInput)
    issued = forms.CharField(required=False, widget=forms.HiddenInput)
    # A field people never see and bots fill in.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("issued", issue_token())

    def clean_text(self) -> str:
        return validate_text(self.cleaned_data.get("text") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("website") or "").strip():
            raise forms.ValidationError(
                "This question looks automated and was not accepted. If you are a person, "
                "reload the page and send it again.",
                code="honeypot",
            )
        token = read_token(cleaned.get("issued") or "")
        if token is None:
            raise forms.ValidationError(
                "This form has expired. Your question is still here: please send it again.",
                code="expired",
            )
        cleaned["form_age"] = token.age
        cleaned["form_nonce"] = token.nonce
        return cleaned

    def renewed(self) -> AskForm:
        """The same form for showing again, with a fresh token and what the reader typed."""
        self.errors  # noqa: B018 - validate now, so the errors stay those of what was sent
        data = {key: self.data.get(key) for key in self.data}
        data["issued"] = issue_token()
        data["website"] = ""
        self.data = data
        return self


class MergeForm(forms.Form):
    into = forms.IntegerField(label="Duplicate of question", min_value=1)

    def clean_into(self) -> Question:
        number = self.cleaned_data["into"]
        question = Question.objects.filter(pk=number).first()
        if question is None:
            raise forms.ValidationError(f"There is no question {number}.")
        return question


class WriterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DraftForm(forms.Form):
    title = forms.CharField(
        label="Title of the article",
        max_length=200,
        help_text="The question the article answers, as readers will see it.",
    )
    topic = forms.ModelChoiceField(label="Topic", queryset=Topic.objects.order_by("name"))
    writer = WriterChoice(label="Writer", queryset=Person.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["writer"].queryset = writers()  # type: ignore[attr-defined]
