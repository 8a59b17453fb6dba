"""The forms of reader questions: the public ask form (the only fields a reader may send)
and the editors' forms for merging a question and turning it into a draft."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowhow.antiabuse.reader_forms import (
    FormToken,
    FormTokens,
    GuardedForm,
    reader_email,
    reader_text,
)
from knowhow.articles.models import Person, Topic
from knowhow.articles.roles import writers
from knowhow.newsroom.models import QUESTION_MAX_LENGTH, Question
from knowhow.newsroom.question_services import QUESTION_WORDING, validate_text
from knowhow.row_ids import RowIdField

# A form is good for one question, within a few hours of being shown.
TOKENS = FormTokens("knowhow.newsroom.ask-form")


def issue_token(now: float | None = None) -> str:
    """A signed note of when the form was shown, with a nonce."""
    return TOKENS.issue(now=now)


def read_token(token: str, now: float | None = None) -> FormToken | None:
    """The form's token, or None if it is missing, forged or stale."""
    return TOKENS.read(token, now=now)


class AskForm(GuardedForm):
    TOKENS = TOKENS
    WORDING = QUESTION_WORDING
    summary_field = "text"

    text = reader_text(
        label=cast(str, gettext_lazy("Your question")),
        help_text=cast(
            str,
            format_lazy(
                gettext_lazy(
                    "One question, in your own words: what would you like an article to explain? "
                    "At most {most} characters. Editors read every question; it is not published."
                ),
                most=f"{QUESTION_MAX_LENGTH:,}",
            ),
        ),
        rows=5,
        maxlength=QUESTION_MAX_LENGTH,
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Only the editors see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = reader_email(
        label=cast(str, gettext_lazy("Email me when it is answered (optional)")),
        help_text=cast(
            str,
            gettext_lazy(
                "One email, with the answer's title and link, if an editor publishes an article "
                "answering it. Never shown, never used for anything else."
            ),
        ),
    )
    article = forms.SlugField(required=False, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        return validate_text(self.cleaned_data.get("text") or "")


class MergeForm(forms.Form):
    into = RowIdField(label=gettext_lazy("Duplicate of question"))

    def clean_into(self) -> Question:
        number = self.cleaned_data["into"]
        question = Question.objects.filter(pk=number).first()
        if question is None:
            raise forms.ValidationError(_("There is no question %(number)s.") % {"number": number})
        return question


class WriterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DraftForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title of the article"),
        max_length=200,
        help_text=gettext_lazy("The question the article answers, as readers will see it."),
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"), queryset=Topic.objects.order_by("name")
    )
    writer = WriterChoice(label=gettext_lazy("Writer"), queryset=Person.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["writer"].queryset = writers()  # type: ignore[attr-defined]
