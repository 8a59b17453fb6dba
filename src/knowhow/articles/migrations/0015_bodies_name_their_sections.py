"""Draw every article body again, so bodies rendered before section headings had ids (and
tables their scrolling box) get them: the article page's contents link to those ids."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def redraw(apps: Any, schema_editor: Any) -> None:
    from knowhow import markup
    from knowhow.images import in_bodies

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body", "body_html").iterator(chunk_size=200):
        drawn = markup.render_article(article.body, pictures=in_bodies.draw)
        if drawn != article.body_html:
            Article.objects.filter(pk=article.pk).update(body_html=drawn)


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_featured_article")]

    operations = [migrations.RunPython(redraw, migrations.RunPython.noop)]
