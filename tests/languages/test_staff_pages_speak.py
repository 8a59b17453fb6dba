"""Writers, editors and moderators get the newsroom and the moderation queue in their
language: Spanish pages in Spanish, an editor's refusal in Arabic, the writing surface's own
words handed to its script translated; English stays as it was."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.addresses import address_of
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.discussion.services import submit_post
from tests import people
from tests.newsroom.test_editor_pages import _fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is cramp?", topic=topic, body="Cramp is a pain."
    )


def speaking(user: User, language: str) -> Client:
    client = people.signed_in(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def test_the_desk_and_editor_are_in_spanish(
    several_languages: None, draft: Article, writer_account: User
) -> None:
    client = speaking(writer_account, "es")
    desk = client.get("/newsroom/").content.decode()
    assert "<h1>Mesa de redacción</h1>" in desk
    assert "Sus artículos, con el cambio más reciente primero." in desk
    assert '<th scope="col">Título</th>' in desk and "What is cramp?" in desk
    editor = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert "<h1>Editar «What is cramp?»</h1>" in editor
    assert ">Guardar</button>" in editor and ">Vista previa</button>" in editor
    assert "Edad de lectura" in editor and "Your articles" not in editor
    # The writing surface's words reach its script in Spanish.
    words = re.search(r'<script id="newsroom-words" type="application/json">(.*?)</script>', editor)
    assert words is not None
    assert json.loads(words.group(1))["Markdown mode"] == "Modo Markdown"


def test_english_pages_give_the_script_no_words_and_stay_english(
    several_languages: None, draft: Article, writer_account: User
) -> None:
    editor = speaking(writer_account, "en").get(f"/newsroom/articles/{draft.pk}/edit/")
    page = editor.content.decode()
    assert 'id="newsroom-words"' not in page and "<h1>Edit “What is cramp?”</h1>" in page


def test_an_editors_refusal_is_in_arabic(
    several_languages: None, draft: Article, writer_account: User
) -> None:
    client = speaking(writer_account, "ar")
    refused = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, reviewed_by="Dr Nobody", reviewed_on="2026-01-02"),
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'dir="rtl"' in page
    assert "لا يوجد أحد باسم «Dr Nobody» بين أشخاص الموقع." in page
    assert "No one named" not in page


def test_the_moderation_queue_is_in_spanish(
    several_languages: None, settings: Any, make_article: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article = make_article("What are Electrolytes?")
    submit_post(article=article, body="Buy salts now.", address=address_of("203.0.113.5"))
    moderator = people.make_moderator()
    page = speaking(moderator, "es").get("/moderation/").content.decode()
    assert "<title>Cola de moderación" in page
    assert "1 publicación pendiente de moderación," in page
    assert "Nota para el registro" in page and "Note for the log" not in page


def test_a_ban_is_asked_about_in_whole_sentences_in_each_language() -> None:
    from django.utils import translation

    from knowhow.antiabuse.models import Ban
    from knowhow.moderation.describe import ban_question, change_question

    ban = Ban(kind=Ban.Kind.ACCOUNT, user=User(username="cheapmeds"))
    assert ban_question(ban, "7 days", removes=4) == "Remove 4 posts and ban cheapmeds for 7 days?"
    assert change_question([ban, ban], None) == "Change those 2 bans to never end?"
    with translation.override("es"):
        assert ban_question(ban, "7 días", removes=1) == (
            "¿Retirar 1 publicación y vetar a cheapmeds durante 7 días?"
        )
        assert change_question([ban], "30 días") == (
            "¿Cambiar ese veto para que dure 30 días desde ahora?"
        )
    with translation.override("ar"):
        assert ban_question(ban, None, removes=2) == "حذف مشاركتين وحظر cheapmeds حتى يُرفع؟"
