"""The newsroom's roles as groups with their permissions (knowhow.articles.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as they were when this migration was written; later changes get a migration.
ROLES = {
    "writer": (
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_topic",
        "articles.view_person",
        "images.add_image",
        "images.view_image",
    ),
}
ROLES["editor"] = (*ROLES["writer"], "articles.publish_article", "images.change_image")
ROLES["moderator"] = ("discussion.moderate_post", "discussion.view_post")
ROLES["administrator"] = (
    *ROLES["editor"],
    *ROLES["moderator"],
    "articles.delete_article",
    "articles.add_topic",
    "articles.change_topic",
    "articles.add_person",
    "articles.change_person",
    "images.delete_image",
    "auth.view_user",
    "auth.change_user",
)


def make_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Permissions are made after all migrations run; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0005_first_revisions"),
        ("images", "0001_initial"),
        ("discussion", "0004_form_nonce"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
