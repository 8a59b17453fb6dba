"""A post's fingerprint: what two texts share when they say the same thing."""

from __future__ import annotations

import hashlib
import re

from knowhow.antiabuse.reading import fold


def body_fingerprint(text: str) -> str:
    """A hash of a post's words, blind to case, spacing, punctuation and what a reader cannot
    see (invisible characters, fullwidth or accented letters), to spot repeats."""
    words = re.sub(r"[\W_]+", " ", fold(text)).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()
