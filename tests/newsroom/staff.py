"""The newsroom's roles again, for tests that empty the database between them
(transaction=True, browser walks): the migration that made the groups ran only once."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from knowhow.newsroom.roles import ROLES


def ensure_roles() -> None:
    for role, names in ROLES.items():
        group, made = Group.objects.get_or_create(name=role)
        if not made:
            continue
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
