"""Numbers shown to readers (post numbers, counts), written the way the interface's
language writes them: grouped thousands ("1,234" in English, "1.234" in Spanish) and, where
the language is Arabic and the operator chose them (KNOWHOW_DIGITS=arabic-indic), the
digits ٠١٢٣٤٥٦٧٨٩. Python calls number(); templates load this module as the tag library
`numbers`: {{ value|number }}. Dates go through knowhow.dates, which uses digits() too.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import formats, translation

register = template.Library()

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def digits(text: str) -> str:
    """Text with its digits in the operator's choice where the interface is Arabic."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-", 1)[0]
    if language == "ar" and settings.DIGITS == "arabic-indic":
        return text.translate(ARABIC_INDIC)
    return text


def number(value: int) -> str:
    """A whole number for a reader: 4, 1,234 (grouped as the language groups)."""
    return digits(formats.number_format(value, use_l10n=True, force_grouping=True))


@register.filter(name="number")
def number_filter(value: int | str | None) -> str:
    """The number as a reader reads it; what is not a whole number (a refused form's field as
    it was sent) is shown as it came, for the template to escape."""
    if value is None or value == "":
        return ""
    try:
        return number(int(value))
    except (TypeError, ValueError):
        return str(value)
