"""What an error report may show: Django's debug page (KNOWHOW_DEBUG) and error emails.

Django hides settings whose names sound secret (KEY, PASS, TOKEN...). The site's
credentials mostly travel inside URLs (KNOWHOW_DATABASE_URL, KNOWHOW_EMAIL_URL, a Redis
LOCATION), under names Django does not hide and in the environment the debug page lists.
This filter also hides whatever is named like a URL or DSN, and masks a password written
into any value (`user:password@host`, `?password=...`), in settings, the request's
environment and a traceback's variables alike.
"""

from __future__ import annotations

import re
from collections.abc import ItemsView, Mapping
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter

MASK = "********"
# scheme://user:password@  (the user may be empty, as in redis://:password@host)
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/:@]*):[^\s/]*@", re.I)
# password=..., token=... in a query string or a "key=value key=value" DSN.
_NAMED_SECRET = re.compile(
    r"\b((?:password|passwd|pwd|secret|token|api_?key|access_?key)=)[^\s&;'\"]+", re.I
)


def mask_credentials(text: str) -> str:
    """The text with passwords inside URLs and DSNs replaced by a mask."""
    text = _URL_PASSWORD.sub(rf"\1:{MASK}@", text)
    return _NAMED_SECRET.sub(rf"\1{MASK}", text)


class CredentialsHidden(SafeExceptionReporterFilter):
    """DEFAULT_EXCEPTION_REPORTER_FILTER: Django's filter, masking credentials too."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|CREDENTIAL", re.I
    )

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        if isinstance(value, Mapping) and not isinstance(value, dict):
            value = dict(value)  # os.environ and its kind: cleansed key by key
        cleansed = super().cleanse_setting(key, value)
        return mask_credentials(cleansed) if isinstance(cleansed, str) else cleansed

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: Any
    ) -> ItemsView[str, Any]:
        shown = {}
        for name, value in super().get_traceback_frame_variables(request, tb_frame):
            if isinstance(value, str | Mapping | list | tuple):
                value = self.cleanse_setting(name, value)
            shown[name] = value
        return shown.items()
