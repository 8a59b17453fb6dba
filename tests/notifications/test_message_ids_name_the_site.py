"""Emails' Message-IDs end with the site's host, not the machine's ("@localhost")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WRITE_ONE = (
    "from django.core.mail import EmailMessage;"
    "print(EmailMessage('Hi', 'Body', 'a@example.org', ['b@example.org']).message()['Message-ID'])"
)


def _message_id(tmp_path: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "knowhow", "shell", "-v0", "-c", WRITE_ONE],
        env={**clean, "KNOWHOW_VAR_DIR": str(tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_a_message_id_ends_with_the_site_urls_host(tmp_path: Path) -> None:
    message_id = _message_id(tmp_path, KNOWHOW_SITE_URL="https://notes.example.org")
    assert message_id.startswith("<") and message_id.endswith("@notes.example.org>")


def test_without_a_site_url_it_ends_with_the_first_allowed_host(tmp_path: Path) -> None:
    message_id = _message_id(tmp_path, KNOWHOW_ALLOWED_HOSTS="news.example.net,localhost")
    assert message_id.endswith("@news.example.net>")
