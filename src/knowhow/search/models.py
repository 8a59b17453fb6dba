"""The index's vocabulary: every word the indexed articles use, as written, with how many
articles use it. Spelling suggestions and the weight of a word in "more like this" read it.

The full-text index itself is a table of the database's own kind (SQLite FTS5, or a
PostgreSQL tsvector table), made by this app's migrations and kept by search.backends.
"""

from __future__ import annotations

from django.db import models


class Word(models.Model):
    word = models.CharField(max_length=60, unique=True)
    length = models.PositiveSmallIntegerField()
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["length", "word"])]

    def __str__(self) -> str:
        return self.word
