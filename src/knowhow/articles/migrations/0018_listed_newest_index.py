"""The whole site's list of articles, newest first, with the id in its index: a page deep in
the list skips ids read from the index alone, and the list's size is counted from it. The
new index is made before the old one goes, so the list is never without one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_featured_newest_index"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "-published_at", "id"], name="listed_newest"),
        ),
        migrations.RemoveIndex(model_name="article", name="articles_ar_status_de59cf_idx"),
    ]
