"""The ceiling for bench/serve.py: an application that does nothing but answer the bytes
and headers of a page it was handed, under granian like `knowhow serve`, so the figures
show what granian's bridge to Python costs before any of knowhow's own work.

BARE_PAGE names a JSON file: {"status": "200 OK", "headers": [[name, value], ...],
"body": "the page, base64"}. `application` is the WSGI callable, `rsgi` the same answer
through granian's own interface (RSGI).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_PAGE = json.loads(Path(os.environ["BARE_PAGE"]).read_text())
STATUS: str = _PAGE["status"]
HEADERS: list[tuple[str, str]] = [(name, value) for name, value in _PAGE["headers"]]
BODY = base64.b64decode(_PAGE["body"])


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response(STATUS, HEADERS)
    return [BODY]


class _Rsgi:
    code = int(STATUS.split()[0])

    async def __rsgi__(self, scope: Any, protocol: Any) -> None:
        protocol.response_bytes(self.code, HEADERS, BODY)


rsgi = _Rsgi()
