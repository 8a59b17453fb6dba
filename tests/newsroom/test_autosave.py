"""Autosave and recovery: text typed in the editor is kept on the server for its writer
only, offered back on any browser, never put over someone else's newer revision, and a
save sent after the session ended comes back after signing in."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.newsroom import autosaves
from knowhow.newsroom import editor as editor_pages
from knowhow.newsroom.models import Autosave
from tests import people
from tests.newsroom.test_editor_pages import _fields
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

TYPED = "Pain along the shin, typed and not saved yet."
AT_10_42 = dt.datetime(2026, 11, 27, 10, 42, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )


def _autosave(client: Client, article: Article | None, **changes: Any) -> Any:
    url = f"/newsroom/articles/{article.pk}/autosave/" if article else "/newsroom/articles/new/"
    if article is None:
        return client.post(url + "autosave/", changes)
    data = {k: v for k, v in _fields(article, **changes).items() if k != "do"}
    return client.post(url, data)


def _edit_page(client: Client, article: Article, query: str = "") -> str:
    response = client.get(f"/newsroom/articles/{article.pk}/edit/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _body_in_form(html: str) -> str:
    found = re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert found is not None
    return found.group(1)


def test_typed_text_is_offered_back_on_another_browser_and_ends_when_saved(
    draft: Article, writer_account: User
) -> None:
    with time_machine.travel(AT_10_42, tick=False):
        kept = _autosave(people.signed_in(writer_account), draft, body=TYPED)
    assert kept.status_code == 200 and kept.json()["code"] == "kept"
    assert kept.json()["time"] == "10:42 UTC"
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin." and draft.revisions.count() == 1

    elsewhere = people.signed_in(writer_account)  # another browser, signed in again
    with time_machine.travel(AT_10_42 + dt.timedelta(minutes=5), tick=False):
        page = visible_text(_edit_page(elsewhere, draft))
    assert "You have unsaved changes from 10:42 UTC — restore them?" in page
    restored = _edit_page(elsewhere, draft, "?autosave=restore")
    assert _body_in_form(restored) == TYPED
    assert "restore them?" not in visible_text(restored)

    saved = elsewhere.post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body=TYPED))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.body == TYPED
    assert "restore them?" not in visible_text(_edit_page(elsewhere, draft))
    assert not Autosave.objects.exists()


def test_nobody_else_sees_a_writers_autosave(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    _autosave(people.signed_in(writer_account), draft, body=TYPED)
    editor = people.signed_in(editor_account)
    assert "restore them?" not in visible_text(_edit_page(editor, draft))
    # Asking to restore with no autosave of one's own gives the newest revision.
    assert _body_in_form(_edit_page(editor, draft, "?autosave=restore")) == "Pain along the shin."
    discarded = editor.post(f"/newsroom/articles/{draft.pk}/autosave/discard/")
    assert discarded.status_code == 302
    assert Autosave.objects.filter(user=writer_account).exists()


def test_discarding_forgets_the_autosave(draft: Article, writer_account: User) -> None:
    writer = people.signed_in(writer_account)
    _autosave(writer, draft, body=TYPED)
    response = writer.post(f"/newsroom/articles/{draft.pk}/autosave/discard/")
    assert response.status_code == 302
    page = visible_text(writer.get(response["Location"]).content)
    assert "Discarded your unsaved changes." in page and "restore them?" not in page
    assert not Autosave.objects.exists()


def test_an_autosave_over_an_old_revision_never_goes_over_the_newer_one(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    writer = people.signed_in(writer_account)
    _autosave(writer, draft, body=TYPED)  # typed over revision 1
    editors = _fields(draft, body="Pain along the inner shin.")
    assert people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", editors
    ).status_code == 302  # fmt: skip

    offer = visible_text(_edit_page(writer, draft))
    assert "Revision 2 was saved by Ed Editor after your text was typed over revision 1." in offer
    assert "How your text differs from revision 2: Body Pain along the [removed: inner]" in offer
    assert "[added: typed and not saved yet]" in offer

    restored = _edit_page(writer, draft, "?autosave=restore")
    assert 'name="base" value="1"' in restored and _body_in_form(restored) == TYPED
    assert "Saving shows both, so you can merge them." in visible_text(restored)
    form = _fields(draft, body=TYPED, base=1)
    refused = writer.post(f"/newsroom/articles/{draft.pk}/edit/", form)
    assert refused.status_code == 409
    assert _body_in_form(refused.content.decode()) == TYPED
    draft.refresh_from_db()
    assert draft.body == "Pain along the inner shin."


@pytest.mark.parametrize("base", ["99", "-1", "two"])
def test_a_forged_base_revision_is_refused(draft: Article, writer_account: User, base: str) -> None:
    response = _autosave(people.signed_in(writer_account), draft, body=TYPED, base=base)
    assert response.status_code == 400 and response.json()["code"] == "bad_base"
    assert not Autosave.objects.exists()


def test_outsiders_cannot_autosave(
    draft: Article, outsider: User, writer_account: User, editor_account: User, client: Client
) -> None:
    other_writer = people.make_staff_writer(username="wes", name="Wes Other")
    assert _autosave(people.signed_in(outsider), draft, body="x").status_code == 403
    assert _autosave(people.signed_in(other_writer), draft, body="x").status_code == 403
    anonymous = _autosave(client, draft, body="x")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # A writer whose article an editor holds may no longer change it, nor keep text over it.
    workflow.submit_for_review(article=draft, by=writer_account)
    refused = _autosave(people.signed_in(writer_account), draft, body="x")
    assert refused.status_code == 403 and refused.json()["code"] == "not_yours"
    assert not Autosave.objects.exists()


def test_an_autosave_needs_the_forms_csrf_token(draft: Article, writer_account: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer_account)
    response = strict.post(f"/newsroom/articles/{draft.pk}/autosave/", {"body": TYPED, "base": 1})
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_autosaves_are_rate_limited(
    draft: Article, writer_account: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor_pages, "AUTOSAVE_RATES", [(2, 60)])
    writer = people.signed_in(writer_account)
    assert [_autosave(writer, draft, body=TYPED).status_code for _ in range(3)] == [200, 200, 429]


def test_an_autosave_changes_no_page_readers_see(draft: Article, writer_account: User) -> None:
    before = Article.objects.values("updated_at", "body").get(pk=draft.pk)
    _autosave(people.signed_in(writer_account), draft, body=TYPED)
    assert Article.objects.values("updated_at", "body").get(pk=draft.pk) == before


def test_a_new_article_is_autosaved_and_offered_back(writer_account: User, topic: Topic) -> None:
    writer = people.signed_in(writer_account)
    kept = _autosave(writer, None, title="Why do Shins Hurt?", topic=topic.pk, body=TYPED)
    assert kept.status_code == 200
    assert "restore them?" in visible_text(writer.get("/newsroom/articles/new/").content)
    restored = writer.get("/newsroom/articles/new/?autosave=restore").content.decode()
    assert _body_in_form(restored) == TYPED and 'value="Why do Shins Hurt?"' in restored
    form = {"title": "Why do Shins Hurt?", "topic": topic.pk, "body": TYPED, "do": "save"}
    assert writer.post("/newsroom/articles/new/", form).status_code == 302
    assert not Autosave.objects.exists()


def _sign_in(client: Client, user: User, next_url: str) -> Any:
    return client.post(
        "/accounts/login/",
        {"username": user.username, "password": people.PASSWORD, "next": next_url},
    )


def test_a_save_after_the_session_ended_comes_back_after_signing_in(
    draft: Article, writer_account: User
) -> None:
    browser = people.signed_in(writer_account)
    form = _fields(draft, body=TYPED, note="Typed on the train.")
    browser.logout()  # the session ended while the writer typed
    sent = browser.post(f"/newsroom/articles/{draft.pk}/edit/", form)
    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/login/")
    sign_in_page = browser.get(sent["Location"])
    assert "your text was not saved yet, but it is kept" in visible_text(sign_in_page.content)
    next_url = sign_in_page.context["next"]
    signed_in = _sign_in(browser, writer_account, next_url)
    assert signed_in.status_code == 302
    page = browser.get(signed_in["Location"]).content.decode()
    assert _body_in_form(page) == TYPED and 'value="Typed on the train."' in page
    assert "Your text from before you signed in is back in the form" in visible_text(page)
    draft.refresh_from_db()
    assert draft.revisions.count() == 1  # kept, not saved behind the writer's back
    # It is the writer's autosave now: another browser offers it too.
    assert "restore them?" in visible_text(_edit_page(people.signed_in(writer_account), draft))


def test_kept_text_goes_to_no_one_else(
    draft: Article, writer_account: User, editor_account: User, outsider: User
) -> None:
    browser = Client()
    sent = browser.post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body=TYPED))
    next_url = browser.get(sent["Location"]).context["next"]
    other_writer = people.make_staff_writer(username="wes", name="Wes Other")
    # Another writer signing in with that link gets nothing (they may not edit the article).
    thief = Client()
    page = thief.get(_sign_in(thief, other_writer, next_url)["Location"])
    assert page.status_code == 403
    # A forged token gives nothing either.
    writer = people.signed_in(writer_account)
    forged = _edit_page(writer, draft, "?kept=not-a-token")
    assert _body_in_form(forged) == "Pain along the shin."
    assert Autosave.objects.filter(user=None).count() == 1
    # The writer it was typed by gets it.
    assert _body_in_form(_edit_page(writer, draft, "?" + next_url.split("?")[1])) == TYPED


def test_kept_text_nobody_came_back_for_is_forgotten_after_a_week(draft: Article) -> None:
    Client().post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body=TYPED))
    job = import_string("knowhow.newsroom.autosaves.forget_unclaimed")
    assert job(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert job(now=timezone.now() + dt.timedelta(days=8)) == 1


def test_an_old_page_never_replaces_text_typed_over_a_newer_revision(
    draft: Article, writer_account: User
) -> None:
    writer = people.signed_in(writer_account)
    old_page = {k: v for k, v in _fields(draft, body="From the old tab.").items() if k != "do"}
    writer.post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body="Revision two."))
    assert _autosave(writer, draft, body="Typed over revision two.").status_code == 200
    replayed = writer.post(f"/newsroom/articles/{draft.pk}/autosave/", old_page)
    assert replayed.status_code == 409 and replayed.json()["code"] == "older_page"
    assert Autosave.objects.get().fields["body"] == "Typed over revision two."


def test_a_new_article_sent_after_the_session_ended_comes_back(
    writer_account: User, topic: Topic
) -> None:
    browser = Client()
    form = {"title": "Why do Shins Hurt?", "topic": topic.pk, "body": TYPED, "do": "save"}
    sent = browser.post("/newsroom/articles/new/", form)
    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/login/")
    next_url = browser.get(sent["Location"]).context["next"]
    page = browser.get(_sign_in(browser, writer_account, next_url)["Location"]).content.decode()
    assert _body_in_form(page) == TYPED and 'value="Why do Shins Hurt?"' in page
    assert not Article.objects.exists()


def test_a_flood_of_signed_out_saves_from_one_address_is_not_kept(
    draft: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor_pages, "KEPT_TEXT_RATES", [(2, 3600)])
    sent = [Client().post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body=TYPED))
            for _ in range(3)]  # fmt: skip
    assert [("kept%3D" in response["Location"]) for response in sent] == [True, True, False]
    assert Autosave.objects.filter(user=None).count() == 2


def test_text_too_long_to_keep_is_refused_whole_never_cut_short(
    draft: Article, writer_account: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autosaves, "LONGEST_FIELD", 100)
    response = _autosave(people.signed_in(writer_account), draft, body="word " * 30)
    assert response.status_code == 413 and response.json()["code"] == "too_long"
    assert not Autosave.objects.exists()


def test_restoring_a_partial_autosave_keeps_the_other_fields(
    draft: Article, writer_account: User
) -> None:
    writer = people.signed_in(writer_account)
    kept = writer.post(f"/newsroom/articles/{draft.pk}/autosave/", {"body": TYPED, "base": 1})
    assert kept.status_code == 200
    restored = _edit_page(writer, draft, "?autosave=restore")
    assert _body_in_form(restored) == TYPED and 'value="What is a Shin Splint?"' in restored
