"""A post's fingerprint: what two texts share when they say the same thing."""

from __future__ import annotations

import hashlib
import re
import urllib.parse

from knowhow.antiabuse.reading import Reading, fold


def body_fingerprint(text: str) -> str:
    """A hash of a post's words, blind to case, spacing, punctuation and what a reader cannot
    see (invisible characters, fullwidth or accented letters), to spot repeats."""
    words = re.sub(r"[\W_]+", " ", fold(text)).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def links_fingerprint(reading: Reading) -> str:
    """A hash of where a post's links go (hosts and paths, however written, in any order),
    or "" for a post without links: the same advert under new words."""
    targets = set()
    for link in reading.links:
        try:
            path = urllib.parse.urlsplit(fold(link.href)).path
        except ValueError:
            path = ""
        targets.add("|".join(sorted(link.hosts)) + urllib.parse.unquote(path).rstrip("/").lower())
    if not targets:
        return ""
    return hashlib.sha256("\n".join(sorted(targets)).encode()).hexdigest()
