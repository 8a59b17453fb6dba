"""Index the articles already there and work out their related lists once.

This runs the app's own code, so it comes after every migration that code expects: the
index's final shape (search 0002) and the articles' (articles 0003). A later change to
either table makes a new migration that this one must stay before, never after.
"""

from django.db import migrations


def fill(apps, schema_editor):
    """Done by 0004 now, once the index has its languages (this code could not run here)."""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_phrase_pairs_and_head"),
        ("articles", "0003_topic_health"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
