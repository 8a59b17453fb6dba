"""The guarded reader form every unsigned form builds on: a signed token for one scope and a
few hours, a honeypot, a renewal that keeps what was typed, and one rule for the text."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import override_settings

from knowhow.antiabuse.checks import Refused
from knowhow.antiabuse.reader_forms import (
    FORM_MAX_AGE,
    FormTokens,
    GuardedForm,
    Wording,
    clean_text,
)

TOKENS = FormTokens("tests.antiabuse.reader-form")
WORDING = Wording(
    empty="Say something.",
    too_long="At most {limit}; yours has {length}.",
    nul="Cannot be stored.",
    honeypot="Looks automated.",
    expired="Form expired.",
)


class NoteForm(GuardedForm):
    TOKENS = TOKENS
    WORDING = WORDING

    note = forms.CharField(required=False, strip=False)

    def clean_note(self) -> str:
        return clean_text(self.cleaned_data.get("note") or "", limit=20, wording=WORDING)


def sent(note: str = "Hello there.", *, age: float = 30, **extra: Any) -> NoteForm:
    issued = TOKENS.issue("7", now=time.time() - age)
    return NoteForm({"note": note, "issued": issued, **extra}, scope=("7",))


def test_a_form_sent_in_time_passes_with_its_age_and_nonce() -> None:
    form = sent()
    assert form.is_valid(), form.errors
    assert 29 <= form.cleaned_data["form_age"] <= 31 and form.cleaned_data["form_nonce"]


def test_each_form_shown_has_a_nonce_of_its_own() -> None:
    first = TOKENS.read(TOKENS.issue("7"), "7")
    second = TOKENS.read(TOKENS.issue("7"), "7")
    assert first is not None and second is not None and first.nonce != second.nonce


@pytest.mark.parametrize(
    "issued",
    [
        "",
        TOKENS.issue("8"),  # for another scope
        TOKENS.issue("7", now=time.time() - FORM_MAX_AGE - 5),  # stale
        TOKENS.issue("7")[:-3] + "abc",  # forged
        FormTokens("another.form").issue("7"),  # another form's
        TOKENS.issue(),  # a form with no scope
    ],
)
def test_a_missing_forged_stale_or_borrowed_token_expires_the_form(issued: str) -> None:
    form = NoteForm({"note": "Hello there.", "issued": issued}, scope=("7",))
    assert not form.is_valid()
    assert form.non_field_errors() == ["Form expired."]


def test_the_honeypot_refuses_the_form() -> None:
    form = sent(website="https://spam.example/")
    assert not form.is_valid() and form.non_field_errors() == ["Looks automated."]


def test_a_renewed_form_keeps_the_text_and_the_errors_with_a_fresh_token() -> None:
    form = sent("", website="https://spam.example/")
    old = form.data["issued"]
    renewed = form.renewed()
    assert renewed.data["note"] == "" and renewed.errors["note"] == ["Say something."]
    assert renewed.data["issued"] != old and renewed.data["website"] == ""
    assert TOKENS.read(renewed.data["issued"], "7") is not None


def test_a_refusal_goes_on_the_form_in_the_layers_words() -> None:
    form = sent()
    form.is_valid()
    refused = form.refused(Refused("Please wait 2 minutes.", "rate_limited", retry_after=90))
    assert refused.non_field_errors() == ["Please wait 2 minutes."]


def test_the_guards_fields_come_after_the_readers_own() -> None:
    assert list(NoteForm(scope=("7",)).fields) == ["note", "issued", "website"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("   \r\n ", "empty"), ("x" * 21, "too_long"), ("a\x00b", "nul")],
)
def test_a_readers_text_is_refused_with_a_code(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text(text, limit=20, wording=WORDING)
    assert refused.value.code == code


def test_a_readers_text_is_kept_with_plain_line_ends_and_no_outer_space() -> None:
    assert clean_text("  one\r\ntwo  ", limit=20, wording=WORDING) == "one\ntwo"


def test_the_limit_is_told_in_the_readers_numbers() -> None:
    with pytest.raises(ValidationError) as refused:
        clean_text("x" * 2000, limit=1000, wording=WORDING)
    assert refused.value.messages == ["At most 1,000; yours has 2,000."]


def test_refusals_answer_with_their_own_status() -> None:
    assert Refused("x", "banned").status == 403
    assert Refused("x", "rate_limited", 60).status == 429
    assert Refused("x", "unavailable", 60).status == 503
    assert Refused("x", "too_fast").status == 400


@override_settings(SECRET_KEY="a new secret key " * 4, SECRET_KEY_FALLBACKS=["old secret " * 5])
def test_form_tokens_are_signed_as_django_signs_and_survive_a_key_rotation() -> None:
    from django.core import signing

    tokens = FormTokens("tests.antiabuse.rotation")
    token = tokens.issue("7")
    assert token == signing.Signer(salt="tests.antiabuse.rotation").sign(token.rsplit(":", 1)[0])
    with override_settings(SECRET_KEY="old secret " * 5):
        old = FormTokens("tests.antiabuse.rotation").issue("7")
    # A form shown before the operator rotated the key still posts.
    assert tokens.read(old, "7") is not None
    assert tokens.read(old[:-2] + "xx", "7") is None
