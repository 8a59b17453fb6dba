"""The newsroom's roles (groups) made again for transactional tests.

A migration makes the groups; a transactional test empties every table when it ends, and
only permissions come back by themselves, so tests/people.py makes them again when a
later test makes staff in a role.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from knowhow.newsroom.roles import ROLES


def make_roles() -> None:
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
