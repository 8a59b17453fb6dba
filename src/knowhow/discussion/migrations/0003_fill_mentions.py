"""Store the mentions of posts written before mentions were stored.

Each post's @names are resolved once, against the thread as it stands: to the named
reader's latest visible post before it. One pass over every post in thread order, with
the mentions written in batches, so no query is made per post.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from knowhow import markup

# The rule as it was when this migration was written, frozen here so it does not move.
MAX_MENTIONS = 20
READ_CHUNK = 2000
WRITE_BATCH = 1000


def _resolved(body: str, latest: dict[str, tuple[int, int]]) -> dict[int, int]:
    """The mentioned readers the post links, in order: user id -> their post's id."""
    candidates = {name.lower() for name in markup.mentioned_names(body)[:MAX_MENTIONS]}
    linked: dict[int, int] = {}

    def mention_url(name: str) -> str | None:
        key = name.lower()
        if key not in candidates or key not in latest:
            return None
        user_id, post_id = latest[key]
        linked.setdefault(user_id, post_id)
        return "#"

    # Rendering finds the names the post's HTML links (never those inside a link or a tag).
    markup.render_post(body, mention_url)
    return linked


def fill_mentions(apps: Any, schema_editor: Any) -> None:
    Post = apps.get_model("discussion", "Post")
    Mention = apps.get_model("discussion", "Mention")
    db = schema_editor.connection.alias
    rows = (
        Post.objects.using(db)
        .order_by("article_id", "number")
        .values_list(
            "pk", "article_id", "author_id", "author__username", "status", "shadow", "body"
        )
        .iterator(chunk_size=READ_CHUNK)
    )
    article_id = None
    # Within the current thread: each reader's latest visible post so far, by lowercased name.
    latest: dict[str, tuple[int, int]] = {}
    batch: list[Any] = []
    for pk, thread, author_id, username, status, shadow, body in rows:
        if thread != article_id:
            article_id, latest = thread, {}
        if latest and "@" in body:
            batch.extend(
                Mention(post_id=pk, user_id=user_id, target_post_id=target)
                for user_id, target in _resolved(body, latest).items()
            )
            if len(batch) >= WRITE_BATCH:
                Mention.objects.using(db).bulk_create(batch)
                batch = []
        if author_id is not None and status == "published" and not shadow:
            latest[username.lower()] = (author_id, pk)
    Mention.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0002_mention"),
    ]

    operations = [
        migrations.RunPython(fill_mentions, migrations.RunPython.noop, elidable=True),
    ]
