"""Bans and the blocklist join the anti-abuse app, in the tables moderation made for them.

State only: moderation 0001 created the tables "moderation_ban" and "moderation_blockedterm"
and they keep every row; moderation 0002 removes the models from moderation's state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("discussion", "0001_initial"),
        ("moderation", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Ban",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("account", "Account may not post"),
                                    ("shadow", "Account's posts shown only to itself"),
                                    ("address", "Address may not post"),
                                    ("network", "Network may not post"),
                                    ("range", "Address range may not post"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("hashes", models.JSONField(blank=True, default=list)),
                        ("cidr", models.CharField(blank=True, max_length=64)),
                        ("reason", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "source_post",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="discussion.post",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="bans",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "moderation_ban",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="BlockedTerm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("word", "Word or phrase"), ("domain", "Link domain")],
                                max_length=6,
                            ),
                        ),
                        ("value", models.CharField(max_length=200)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "moderation_blockedterm",
                        "ordering": ["kind", "value"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "value"), name="blocked_term_unique"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
