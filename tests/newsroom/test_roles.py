"""Roles are groups made by a migration; `knowhow role` puts an account in one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from knowhow.articles import workflow
from knowhow.articles.models import Person
from knowhow.newsroom.roles import ROLES
from tests import people

pytestmark = pytest.mark.django_db


def test_each_role_holds_exactly_its_permissions() -> None:
    for role, permissions in ROLES.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(permissions), role


def test_the_role_command_makes_a_writer_with_a_byline() -> None:
    user = people.make_account("mary")
    call_command("role", "mary", "writer", "--byline", "Mary Writer")
    user.refresh_from_db()
    assert user.is_staff and workflow.is_writer(user) and not workflow.is_editor(user)
    assert Person.objects.get(user=user).name == "Mary Writer"


def test_an_editor_is_also_a_writer_and_removing_the_role_ends_staff() -> None:
    user = people.make_account("kris")
    call_command("role", "kris", "editor")
    user = User.objects.get(pk=user.pk)
    assert workflow.is_editor(user) and workflow.is_writer(user)
    assert Person.objects.get(user=user).name == "kris"
    call_command("role", "kris", "editor", "--remove")
    user = User.objects.get(pk=user.pk)
    assert not user.is_staff and not workflow.is_editor(user)


def test_a_byline_that_belongs_to_another_account_is_refused() -> None:
    people.make_staff_writer()
    people.make_account("impostor")
    with pytest.raises(CommandError, match="another account"):
        call_command("role", "impostor", "writer", "--byline", "Wendy Writer")
    assert Person.objects.get(name="Wendy Writer").user.username == "wendy"  # type: ignore[union-attr]


def test_an_unknown_account_is_named() -> None:
    with pytest.raises(CommandError, match="No account 'ghost'"):
        call_command("role", "ghost", "writer")
