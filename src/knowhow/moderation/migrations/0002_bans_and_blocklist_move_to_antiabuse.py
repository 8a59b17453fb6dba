"""Bans and the blocklist belong to knowhow.antiabuse now; their tables and rows stay.

State only (see antiabuse 0001): the log's link to a ban points at antiabuse.Ban, then
moderation forgets both models. The content types move too, so permissions given on them
in the admin keep working.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ["ban", "blockedterm"]


def move_content_types(apps, schema_editor, source="moderation", target="antiabuse"):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not content_type.objects.using(db).filter(app_label=target, model=model).exists():
            content_type.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="antiabuse", target="moderation")


class Migration(migrations.Migration):
    dependencies = [
        ("antiabuse", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="moderationaction",
                    name="ban",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="antiabuse.ban",
                    ),
                ),
                migrations.DeleteModel(name="Ban"),
                migrations.DeleteModel(name="BlockedTerm"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
