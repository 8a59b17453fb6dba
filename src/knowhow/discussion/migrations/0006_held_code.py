"""Held posts get the code of why they were held, beside the words: rules branch on the code.

Rows held before the code existed have only the words, so this once reads them, with the
phrasings of that time frozen here (later phrasings come with their code)."""

from django.db import migrations, models

# The words each reason was logged with, in order of the codes a post was held for first.
PHRASES = (
    ("reported by ", "reported"),
    ("anonymous posts need approval", "anonymous_needs_approval"),
    ("first post of this account needs approval", "first_post_needs_approval"),
    ("the same text as ", "like_marked_spam"),
    ("the same links as ", "like_marked_spam"),
    ("contains blocked word", "blocked_word"),
    ("links to blocked domain", "blocked_domain"),
    (" links in ", "too_many_links"),
    ("the same text was posted elsewhere today", "repeated_elsewhere"),
    ("the spam checker says spam", "checker_says_spam"),
)


def code_for(held_because: str) -> str:
    """The code of the first reason in the words, "" for words no rule knows."""
    first = held_because.removeprefix("edited: ").split("; ")[0]
    if held_because.startswith("reported by "):
        return "reported"
    for phrase, code in PHRASES[1:]:
        if phrase in first:
            return code
    return ""


def fill_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Post = apps.get_model("discussion", "Post")
    rows = Post.objects.exclude(held_because="").only("pk", "held_because")
    by_code: dict[str, list[int]] = {}
    for post in rows.iterator(chunk_size=2000):
        code = code_for(post.held_because)
        if code:
            by_code.setdefault(code, []).append(post.pk)
    for code, ids in by_code.items():
        for start in range(0, len(ids), 500):
            Post.objects.filter(pk__in=ids[start : start + 500]).update(held_code=code)


class Migration(migrations.Migration):
    dependencies = [("discussion", "0005_imported_posts")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="held_code",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop, elidable=True),
    ]
