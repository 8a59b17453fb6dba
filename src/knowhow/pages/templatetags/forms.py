"""How every form on the site says what is wrong (the GOV.UK pattern), written once.

{% error_title %}: "Error: " before a page's title when any form on the page was refused.
{% error_summary form %}: the "There is a problem" box, first in a refused form: focused on
load, each error a link to its field (an error of the whole form links to the form's
main field, `form.summary_field`, or its first field).
{% form_field field %}: one field with its label, help and errors, the input tied to them
with aria-describedby and marked aria-invalid when refused.

The include partials/form_fields.html draws a whole form with these; the hand-drawn forms
(a post, a question) use the same tags, so every refused form reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

# What a refused page's title starts with, so a screen reader hears it first.
ERROR_TITLE = "Error: "


def refused_forms(values: list[Any]) -> list[BaseForm]:
    """The bound forms among these values that carry errors. The type is asked, not
    isinstance: a lazy value of the page (a thread, a fact) must not be read for this."""
    return [v for v in values if issubclass(type(v), BaseForm) and v.is_bound and v.errors]


@register.simple_tag(takes_context=True)
def error_title(context: template.Context) -> str:
    """ERROR_TITLE when a form on this page was refused, else nothing."""
    return ERROR_TITLE if refused_forms(list(context.flatten().values())) else ""


@dataclass(frozen=True)
class Problem:
    text: str
    target: str  # the id of the field it links to


def summary_target(form: BaseForm) -> str:
    """Where an error of the whole form sends the reader: the form's main field."""
    name = getattr(form, "summary_field", "")
    fields = [field for field in form.visible_fields() if not field.is_hidden]
    chosen = next((f for f in fields if f.name == name), fields[0] if fields else None)
    return chosen.id_for_label if chosen is not None else ""


def problems(form: BaseForm) -> list[Problem]:
    found = [Problem(str(error), summary_target(form)) for error in form.non_field_errors()]
    for field in form.visible_fields():
        # A field's error in the summary names its field: "Title: This field is required."
        found += [Problem(f"{field.label}: {error}", field.id_for_label) for error in field.errors]
    return found


@register.simple_tag
def error_summary(form: BaseForm | None, heading: str = "There is a problem") -> SafeString | str:
    if form is None or not (form.is_bound and form.errors):
        return ""
    context = {"problems": problems(form), "heading": heading}
    return render_to_string("partials/error_summary.html", context)


def error_id(field: BoundField) -> str:
    return f"{field.auto_id}_errors"


def help_id(field: BoundField) -> str:
    return f"{field.auto_id}_helptext"


def field_errors(field: BoundField) -> list[str]:
    """The field's errors; the form's own errors are the main field's to show."""
    errors = [str(error) for error in field.errors]
    form = field.form
    if form.is_bound and form.non_field_errors() and summary_target(form) == field.id_for_label:
        errors = [str(error) for error in form.non_field_errors()] + errors
    return errors


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    """The input, tied to its help and its errors."""
    described = [help_id(field)] if field.help_text else []
    attrs: dict[str, str | bool] = {}
    if field_errors(field):
        described.append(error_id(field))
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def form_field(field: BoundField, mark_required: bool = False) -> SafeString:
    return render_to_string(
        "partials/form_field.html",
        {
            "field": field,
            "mark_required": mark_required and field.field.required,
            "widget": field_widget(field),
            "errors": field_errors(field),
            "error_id": error_id(field),
            "help_id": help_id(field),
        },
    )
