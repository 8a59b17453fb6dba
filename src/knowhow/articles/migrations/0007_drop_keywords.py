"""Articles no longer keep a list of keywords: related lists come from the search index
(search.related), and nothing read the column."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_reassigned_action"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="article",
            name="keywords",
        ),
    ]
