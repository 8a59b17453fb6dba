"""The home page's featured article read from an index of the featured ones, newest
first, instead of sorting every published article."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_article_language_and_translations"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("featured_at__isnull", False)),
                fields=["status", "-featured_at"],
                name="featured_newest",
            ),
        ),
    ]
