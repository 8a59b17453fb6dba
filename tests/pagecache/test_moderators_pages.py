"""A moderator's thread is live, theirs alone: it never comes from kept pages or parts, never
goes into them, and what a moderator does on it reaches every kept page at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from knowhow.articles.models import Article
from tests.pagecache.conftest import Server
from tests.people import make_account, session_of

CONTROLS = 'class="mod-controls"'
TROLLING = "Everyone here is an idiot."


@pytest.fixture
def warden(transactional_db: None) -> User:
    """A moderator by permission alone, not staff: staff never get kept pages anyway."""
    user = make_account("warden")
    user.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    return user


def test_a_moderator_who_is_not_staff_never_shares_a_readers_kept_page(
    server: Server, article: Article, warden: User, reader: User
) -> None:
    # Their menu leads to the moderation pages; a reader's must not, whoever came first.
    moderator = {"sessionid": session_of(warden)}
    readers = {"sessionid": session_of(reader)}
    for path in ("/", article.get_absolute_url()):
        for _ in range(2):
            mine = server.request(path, cookies=moderator)
            assert mine.cache != "HIT" and ">Moderation</a>" in mine.text
        for _ in range(2):
            theirs = server.request(path, cookies=readers)
            assert ">Moderation</a>" not in theirs.text
        assert theirs.cache == "HIT"
        assert ">Moderation</a>" in server.request(path, cookies=moderator).text
