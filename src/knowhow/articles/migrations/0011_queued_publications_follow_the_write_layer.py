"""Publications queued before the article write layer was named articles.services keep
their time: their waiting tasks name the function where it now is."""

from typing import Any

from django.db import migrations

OLD = "knowhow.articles.workflow.publish_scheduled"
NEW = "knowhow.articles.services.publish_scheduled"


def rename(apps: Any, schema_editor: Any, old: str = OLD, new: str = NEW) -> int:
    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    return int(tasks.objects.filter(task_path=old, status="READY").update(task_path=new))


def rename_back(apps: Any, schema_editor: Any) -> None:
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_search_fields"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
