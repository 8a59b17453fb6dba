"""Index the articles already there and work out their related lists once.

This runs the app's own code, so it comes after every migration that code expects: the
index's final shape (search 0002) and the articles' (articles 0003). A later change to
either table makes a new migration that this one must stay before, never after.
"""

from django.db import migrations


def fill(apps, schema_editor):
    from knowhow.search import services
    from knowhow.search.backends import for_connection
    from knowhow.search.text import document

    Article = apps.get_model("articles", "Article")
    rows = list(
        Article.objects.filter(status="published").values_list(
            "pk", "title", "topic__name", "body_html"
        )
    )
    index = for_connection()
    index.build(document(*row) for row in rows)
    for pk, *_ in rows:
        services.store_related_lists(article_id=pk, index=index)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_phrase_pairs_and_head"),
        ("articles", "0003_topic_health"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
