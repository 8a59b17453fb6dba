"""The people of the site, made in code: every test builds its people here.

reader and outsider are ordinary accounts (the outsider is the one a permission test must
refuse), moderator holds "Can moderate the discussion", writer and editor are the staff
named in articles' bylines; make_staff_writer and make_staff_editor are the accounts in
the newsroom's roles that write and edit as them. tests/conftest.py offers each as a
fixture.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from knowhow.articles.models import Person
from knowhow.articles.roles import ROLES

PASSWORD = "correct horse 42"
# The set reasons moderation's migration seeds, read from the migration itself.
SEEDED_REASONS: list[str] = importlib.import_module(
    "knowhow.moderation.migrations.0008_canned_reasons"
).SEEDED


def make_account(username: str, **extra: Any) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )


def make_reader(username: str = "reader", **extra: Any) -> User:
    return make_account(username, **extra)


def make_outsider(username: str = "outsider") -> User:
    return make_account(username)


def make_moderator(username: str = "moderator") -> User:
    """Staff with "Can moderate the discussion", as the docs tell operators to set up, on a
    site with the set reasons a new site starts with."""
    user = make_account(username, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    seeded_reasons()
    return user


def seeded_reasons() -> None:
    """The set reasons a migration gives a new site, made again when a test that empties
    the database (transaction=True, browser walks) ran before and took them away."""
    from knowhow.moderation.models import CannedReason

    if not CannedReason.objects.exists():
        for position, label in enumerate(SEEDED_REASONS):
            CannedReason.objects.create(label=label, position=position)


def make_writer() -> Person:
    return Person.objects.create(name="Wendy Writer", slug="wendy-writer")


def make_editor() -> Person:
    return Person.objects.create(name="Ed Editor", slug="ed-editor")


def make_staff(role: str, username: str, name: str) -> User:
    """A staff account in one of the newsroom's roles (a group made by a migration), linked
    to the byline person it writes or edits as."""
    user = make_account(username, is_staff=True, first_name=name.split()[0],
                        last_name=" ".join(name.split()[1:]))  # fmt: skip
    user.groups.add(role_group(role))
    Person.objects.update_or_create(name=name, defaults={"user": user, "slug": username})
    return user


def role_group(role: str) -> Group:
    """The role's group, made again with its permissions when a test that empties the
    database (transaction=True, browser walks) ran before and took the migration's away."""
    group, made = Group.objects.get_or_create(name=role)
    if made:
        for name in ROLES[role]:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def make_staff_writer(username: str = "wendy", name: str = "Wendy Writer") -> User:
    return make_staff("writer", username, name)


def make_staff_editor(username: str = "ed", name: str = "Ed Editor") -> User:
    return make_staff("editor", username, name)


def signed_in(user: User, client: Client | None = None) -> Client:
    """A browser (a test client) signed in as the user."""
    client = client or Client()
    client.force_login(user)
    return client


def session_of(user: User, client: Client | None = None) -> str:
    """The session cookie of a browser signed in as the user."""
    return str(signed_in(user, client).cookies["sessionid"].value)


def make_established(username: str, article: Any, posts: int = 1, days: int = 30) -> User:
    """An established reader (knowhow.discussion.trust): an account `days` old with `posts`
    published posts under the article; the tests' settings ask for no more than that."""
    import datetime as dt

    from django.utils import timezone

    from knowhow.discussion.services import post_comment

    user = make_account(username)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=days))
    user.refresh_from_db()
    for n in range(posts):
        post_comment(article=article, body=f"{username} thinks thought {n} through.", author=user)
    return user
