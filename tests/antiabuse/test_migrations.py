"""Moving bans and the blocklist from moderation to antiabuse keeps every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.moderation.models import ModerationAction

BEFORE_THE_MOVE = [("moderation", "0001_initial"), ("antiabuse", None)]


@pytest.mark.django_db(transaction=True)
def test_bans_and_blocked_terms_made_before_the_move_are_found_after_it() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE[0]).apps
    old_ban = old.get_model("moderation", "Ban").objects.create(
        kind="range", cidr="192.0.2.0/24", reason="made before the move"
    )
    old.get_model("moderation", "BlockedTerm").objects.create(kind="word", value="casino")
    old.get_model("moderation", "ModerationAction").objects.create(action="ban", ban=old_ban)

    executor = MigrationExecutor(connection)  # a fresh loader sees the new migrations applied
    executor.migrate(executor.loader.graph.leaf_nodes())

    ban = Ban.objects.get(pk=old_ban.pk)
    assert (ban.kind, ban.cidr, ban.reason) == ("range", "192.0.2.0/24", "made before the move")
    assert Ban.objects.active().filter(pk=ban.pk).exists()
    assert BlockedTerm.objects.get().value == "casino"
    assert ModerationAction.objects.get(action="ban").ban == ban
