"""Anyone holding a permission, through a group or directly, staff or not, gets live pages:
their newsroom or moderation links never reach readers, nor readers' pages them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from knowhow.articles.models import Article
from tests.pagecache.conftest import Server
from tests.people import make_account, role_group, session_of

NEWSROOM_LINK = 'href="/newsroom/"'


@pytest.fixture
def writer_not_staff(transactional_db: None) -> User:
    """In the writer group by an administrator's hand, without staff status."""
    user = make_account("penny")
    user.groups.add(role_group("writer"))
    return user


def test_a_newsroom_member_without_staff_status_is_never_served_a_readers_page(
    server: Server, article: Article, writer_not_staff: User, reader: User
) -> None:
    path = article.get_absolute_url()
    readers = {"sessionid": session_of(reader)}
    server.request(path, cookies=readers)
    assert server.request(path, cookies=readers).cache == "HIT"
    page = server.request(path, cookies={"sessionid": session_of(writer_not_staff)})
    assert page.cache != "HIT"
    assert NEWSROOM_LINK in page.text


def test_a_newsroom_members_page_never_reaches_readers_or_visitors(
    server: Server, article: Article, writer_not_staff: User, reader: User
) -> None:
    path = article.get_absolute_url()
    for _ in range(2):
        page = server.request(path, cookies={"sessionid": session_of(writer_not_staff)})
        assert NEWSROOM_LINK in page.text
    for cookies in ({"sessionid": session_of(reader)}, {}):
        for _ in range(2):
            assert NEWSROOM_LINK not in server.request(path, cookies=cookies).text


def test_a_permission_given_later_makes_the_pages_live_at_once(
    server: Server, article: Article, reader: User
) -> None:
    path = article.get_absolute_url()
    cookies = {"sessionid": session_of(reader)}
    server.request(path, cookies=cookies)
    assert server.request(path, cookies=cookies).cache == "HIT"
    reader.user_permissions.add(Permission.objects.get(codename="change_article"))
    page = server.request(path, cookies=cookies)
    assert page.cache != "HIT"
    assert NEWSROOM_LINK in page.text
