"""Writes of the newsroom's staff: giving an account a role and the byline it writes as."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction

from knowhow.articles.models import Person
from knowhow.articles.roles import ROLES
from knowhow.articles.services import person_for, person_named


class RoleError(Exception):
    """A role change that cannot be made; the message says why."""


@transaction.atomic
def grant_role(*, user: User, role: str, person_name: str = "") -> Person | None:
    """Put a staff account in a role; writers and editors get the byline person they write
    as (an existing person of that name, or a new one)."""
    if role not in ROLES:
        raise RoleError(f"No role {role!r}; the roles are {', '.join(ROLES)}.")
    group = Group.objects.filter(name=role).first()
    if group is None:
        raise RoleError(f"The {role} group is missing: run `knowhow migrate`.")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    if role == "moderator":
        return None
    if person_name:
        person = Person.objects.filter(name=person_name).first()
        if person is not None and person.user_id not in (None, user.pk):
            raise RoleError(f"{person_name} is already the byline of another account.")
        Person.objects.filter(user=user).exclude(name=person_name).update(user=None)
        if person is None:
            person = person_named(person_name)
        person.user = user
        person.save(update_fields=["user"])
        return person
    return person_for(user)


@transaction.atomic
def revoke_role(*, user: User, role: str) -> None:
    """Take a role away; an account left with no role is no longer staff. Bylines stay."""
    user.groups.remove(*Group.objects.filter(name=role))
    if not user.groups.filter(name__in=ROLES).exists() and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
