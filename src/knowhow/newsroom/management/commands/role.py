"""knowhow role USERNAME ROLE: give a staff account a newsroom role (or take it away)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.articles.roles import ROLES
from knowhow.newsroom.services import RoleError, grant_role, revoke_role


class Command(BaseCommand):
    help = "Give an account a newsroom role (writer, editor, moderator, administrator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLES))
        parser.add_argument(
            "--byline", default="", help="The name shown in bylines (an existing person or new)."
        )
        parser.add_argument("--remove", action="store_true", help="Take the role away.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"No account {options['username']!r}: create it first "
                "(knowhow createsuperuser, or sign up on the site)."
            )
        role = options["role"]
        if options["remove"]:
            revoke_role(user=user, role=role)
            self.stdout.write(f"{user.username} is no longer a {role}.")
            return
        try:
            person = grant_role(user=user, role=role, person_name=options["byline"])
        except RoleError as exc:
            raise CommandError(str(exc)) from None
        byline = f", writing as {person.name}" if person is not None else ""
        self.stdout.write(f"{user.username} is now a {role}{byline}.")
