"""Writers give an article its language and link it to the original it translates; the
newsroom lists the translations missing or older than their original."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from tests import people
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def _fields(article: Article, **changes: Any) -> dict[str, Any]:
    article.refresh_from_db()
    assert article.latest_revision is not None
    content = article.latest_revision.content
    data = {
        "title": content["title"],
        "topic": content["topic"],
        "body": content["body"],
        "language": content.get("language") or "en",
        "translation_of": "",
        "base": article.latest_revision.number,
        "do": "save",
    }
    data.update(changes)
    return data


@pytest.fixture
def original(make_article: Callable[..., Article]) -> Article:
    article = make_article("What is a Shin Splint?", slug="what-is-a-shin-splint")
    workflow.record_import(article)
    return article


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="¿Qué es la periostitis tibial?", topic=topic, body="Dolor."
    )


def test_a_writer_starts_a_translation_in_its_language(
    writer_account: User, topic: Topic, original: Article
) -> None:
    page = people.signed_in(writer_account).get("/newsroom/articles/new/").content.decode()
    assert '<option value="en" selected>English (English)</option>' in page
    response = people.signed_in(writer_account).post(
        "/newsroom/articles/new/",
        {"title": "¿Qué es la periostitis tibial?", "topic": topic.pk, "body": "Dolor.",
         "language": "es", "translation_of": original.slug, "do": "save"},
    )  # fmt: skip
    assert response.status_code == 302
    made = Article.objects.get(title="¿Qué es la periostitis tibial?")
    assert (made.language, made.translation_of) == ("es", original)
    assert made.latest_revision is not None
    assert made.latest_revision.content["language"] == "es"


def test_the_original_is_named_by_its_whole_address_too(
    writer_account: User, draft: Article, original: Article
) -> None:
    url = f"http://example.org/articles/{original.slug}/"
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, language="es", translation_of=url),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.translation_of == original
    page = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    assert f'value="{original.slug}"' in page.content.decode()


@pytest.mark.parametrize(
    ("language", "address", "message"),
    [
        ("en", "what-is-a-shin-splint", "is already in English: a translation is in another"),
        ("es", "no-such-article", "No article has the address “no-such-article”"),
        ("xx", "", "Select a valid choice. xx is not one of the available choices."),
    ],
)
def test_a_wrong_link_is_refused_with_the_text_kept(
    writer_account: User, draft: Article, original: Article, language: str, address: str,
    message: str,
) -> None:  # fmt: skip
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, body="Dolor a lo largo de la tibia.", language=language,
                translation_of=address),
    )  # fmt: skip
    assert response.status_code == 400
    text = visible_text(response.content)
    assert message in text and "Dolor a lo largo de la tibia." in text
    assert draft.revisions.count() == 1


def test_one_translation_per_language_and_no_chains(
    writer_account: User, editor_account: User, draft: Article, original: Article,
    make_article: Callable[..., Article],
) -> None:  # fmt: skip
    make_article("¿Qué es?", slug="que-es", language="es", translation_of=original)
    client = people.signed_in(writer_account)
    taken = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, language="es", translation_of=original.slug),
    )
    assert taken.status_code == 400
    assert "already has a translation in Spanish: “¿Qué es?”" in visible_text(taken.content)
    chained = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, language="fr", translation_of="que-es"),
    )
    assert chained.status_code == 400
    assert "“¿Qué es?” is itself a translation" in visible_text(chained.content)
    own = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, language="fr", translation_of=draft.slug),
    )
    assert "cannot be a translation of itself" in visible_text(own.content)
    # An original with translations cannot become a translation itself.
    with pytest.raises(workflow.NotAllowed, match="has translations of its own"):
        workflow.save_revision(
            article=original, by=editor_account, base=original.latest_revision.number,  # type: ignore[union-attr]
            content={"language": "en", "translation_of": draft.pk},
        )  # fmt: skip


def test_publishing_is_refused_when_the_language_was_taken_meanwhile(
    writer_account: User, editor_account: User, original: Article, draft: Article,
    make_article: Callable[..., Article],
) -> None:  # fmt: skip
    published = make_article("Periostitis", slug="periostitis")
    workflow.record_import(published)
    workflow.save_revision(
        article=published, by=editor_account, base=published.latest_revision.number,  # type: ignore[union-attr]
        content={"language": "es", "translation_of": original.pk},
    )  # fmt: skip
    # Its link waits for publication; another translation takes Spanish meanwhile.
    workflow.save_revision(
        article=draft, by=writer_account, base=1,
        content={"language": "es", "translation_of": original.pk},
    )  # fmt: skip
    published.refresh_from_db()
    with pytest.raises(workflow.NotAllowed, match="already has a translation in Spanish"):
        workflow.publish(article=published, by=editor_account)
    published.refresh_from_db()
    assert published.translation_of is None and published.language == "en"


def test_the_list_shows_missing_and_older_translations(
    several_languages: None, writer_account: User, original: Article,
    make_article: Callable[..., Article], writer: Person,
) -> None:  # fmt: skip
    Article.objects.filter(pk=original.pk).update(last_modified=dt.date(2025, 3, 1))
    make_article("¿Qué es?", slug="que-es", language="es", translation_of=original,
                 last_modified=dt.date(2025, 1, 1))  # fmt: skip
    done = make_article("What is a Black Hole?", slug="black-hole",
                        last_modified=dt.date(2025, 1, 1))  # fmt: skip
    make_article("¿Qué es un agujero negro?", slug="agujero", language="es",
                 translation_of=done, last_modified=dt.date(2025, 2, 1))  # fmt: skip
    make_article("ما هو الثقب الأسود؟", slug="thuqb", language="ar", translation_of=done,
                 last_modified=dt.date(2025, 2, 1))  # fmt: skip
    page = people.signed_in(writer_account).get("/newsroom/translations/")
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "What is a Shin Splint?" in text and "What is a Black Hole?" not in text
    assert "Español: Older than the original" in text
    assert "العربيّة: Missing" in text
    assert 'aria-current="page">Translations</a>' in page.content.decode()


def test_the_list_refuses_readers(outsider: User, client: Client) -> None:
    assert people.signed_in(outsider).get("/newsroom/translations/").status_code == 403
    assert client.get("/newsroom/translations/").status_code == 302
