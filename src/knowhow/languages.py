"""Languages: which codes the site knows, their names in their own words and their writing
direction, and which language a request asks for (as Django's LocaleMiddleware decides).

Django's own table (django.conf.locale.LANG_INFO) is the list of known codes, so the site,
its articles and the interface speak of languages the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

# Written right to left (the site also asks Django, whose table says so for a few more).
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})


def known(code: str) -> bool:
    """Whether Django knows the language code (its own name for it, and its direction)."""
    return code in LANG_INFO and "name" in LANG_INFO[code]


def normal(code: str) -> str:
    """A code as the site keeps it: lower case, with a hyphen ("pt-BR" -> "pt-br")."""
    return code.strip().lower().replace("_", "-")


def name_local(code: str) -> str:
    """The language's name in itself ("Español"), capitalised as a menu shows it."""
    info = LANG_INFO.get(code, {})
    name = str(info.get("name_local") or info.get("name") or code)
    return name[:1].upper() + name[1:]


def name_english(code: str) -> str:
    return str(LANG_INFO.get(code, {}).get("name") or code)


def name_in_interface(code: str) -> str:
    """The language's name in the interface's language ("Spanish", "español", "الإسبانية"),
    from Django's own catalogue of language names."""
    return translation.gettext(name_english(code))  # noqa: INT001 - Django's catalogue has it


def direction(code: str) -> str:
    """ "rtl" or "ltr"."""
    base = code.split("-", 1)[0]
    rtl = base in RIGHT_TO_LEFT or bool(LANG_INFO.get(code, {}).get("bidi"))
    return "rtl" if rtl else "ltr"


def choices() -> list[tuple[str, str]]:
    """Every known language as (code, "Name in itself (English name)"), for a form."""
    found = [
        (code, f"{name_local(code)} ({name_in_interface(code)})")
        for code in sorted(LANG_INFO)
        if known(code)
    ]
    return sorted(found, key=lambda pair: pair[1].lower())


def site_language() -> str:
    return str(settings.LANGUAGE_CODE)


def several() -> bool:
    """Whether readers may switch between languages (more than one is allowed)."""
    return len(settings.LANGUAGES) > 1


def from_request(cookies: Mapping[str, str], meta: Mapping[str, Any]) -> str:
    """The interface language a request gets, from its cookie and Accept-Language header,
    decided by Django's own rule (the one LocaleMiddleware follows), among those allowed."""
    if not several():
        return site_language()
    asking = SimpleNamespace(COOKIES=cookies, META=meta, path_info="/")
    return translation.get_language_from_request(asking)  # type: ignore[arg-type]
