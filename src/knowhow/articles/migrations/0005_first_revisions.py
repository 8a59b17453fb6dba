"""Every article written before revisions were kept gets its first revision: what it holds."""

from django.db import migrations

FIELDS = ("title", "synopsis", "body", "sources", "copyright_holder")
KEYS = ("topic", "reviewed_by", "lead_image")


def first_revisions(apps, schema_editor):  # type: ignore[no-untyped-def]
    Article = apps.get_model("articles", "Article")
    Revision = apps.get_model("articles", "Revision")
    for article in Article.objects.filter(latest_revision__isnull=True).iterator():
        content = {name: getattr(article, name) for name in FIELDS}
        content.update({name: getattr(article, f"{name}_id") for name in KEYS})
        content["reviewed_on"] = article.reviewed_on.isoformat() if article.reviewed_on else None
        revision = Revision.objects.create(
            article=article,
            number=1,
            content=content,
            note="The article as it was before revisions were kept.",
            created_at=article.updated_at,
        )
        article.latest_revision = revision
        if article.status == "published":
            article.stage = "done"
            article.live_revision = revision
        # update(), not save(): save() of the historical model would not render, and
        # the rendered fields are already right.
        Article.objects.filter(pk=article.pk).update(
            latest_revision=revision, live_revision=article.live_revision, stage=article.stage
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_newsroom")]

    operations = [migrations.RunPython(first_revisions, migrations.RunPython.noop)]
