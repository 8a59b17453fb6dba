"""A post's fingerprint: what two texts share when they say the same thing."""

from __future__ import annotations

import hashlib
import re


def body_fingerprint(text: str) -> str:
    """A hash of a post's words, blind to case, spacing and punctuation, to spot repeats."""
    words = re.sub(r"[\W_]+", " ", text.lower()).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()
