"""A housekeeping round queued before an upgrade runs after it: its queued row names the
task where it is now, so the worker finds it instead of failing it."""

from typing import Any

from django.db import migrations

OLD = "knowhow.site.housekeeping.housekeeping"
NEW = "knowhow.server.housekeeping.housekeeping"


def rename(old: str, new: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        results = apps.get_model("django_tasks_database", "DBTaskResult")
        results.objects.using(schema_editor.connection.alias).filter(task_path=old).update(
            task_path=new
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0001_initial")]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD))]
