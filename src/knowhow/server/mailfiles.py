"""Mail written as files (the default without a mail server), readable by the site alone.

Reset links and unsubscribe links are secrets: the files under var/mail/ and the folder
itself are made private to the user the site runs as.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.mail.backends.filebased import EmailBackend


class PrivateFileBackend(EmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self) -> bool:
        opened = bool(super().open())
        if opened and self.stream is not None:
            os.chmod(self.stream.name, 0o600)
        return opened
