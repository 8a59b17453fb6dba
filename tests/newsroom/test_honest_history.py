"""Honest history: a save that changes no visible word is no new revision and moves no
date; a review record and a minor fix keep the "Last Modified Date" and "Edited By"
readers were shown."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from knowhow.articles.normal_form import normal_line, normal_text
from tests import people
from tests.newsroom.test_editor_pages import _fields
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

IN_2023 = dt.datetime(2023, 5, 17, 12, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
BODY = "A stitch is a sharp pain under the ribs.\n\nIt passes when you rest, café or not."


@pytest.fixture
def live(writer_account: User, editor_account: User, topic: Topic) -> Article:
    """An article written and published in 2023, edited by Ed Editor."""
    with time_machine.travel(IN_2023, tick=False):
        article = workflow.create_article(
            by=writer_account, title="What is a Stitch?", topic=topic, body=BODY
        )
        workflow.publish(article=article, by=editor_account)
    article.refresh_from_db()
    return article


@pytest.fixture
def other_editor(db: None) -> User:
    return people.make_staff_editor(username="erin", name="Erin Editor")


def _as_a_browser_sends(text: str) -> str:
    """The text as a browser posts a textarea: CRLF endings, here with trailing spaces and
    its accents decomposed too."""
    return unicodedata.normalize("NFD", text.replace("\n", "  \r\n").replace("ribs.", "ribs. \t"))


def _details(client: Client, article: Article) -> tuple[str, dict[str, Any]]:
    page = client.get(article.get_absolute_url()).content.decode()
    found = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    facts = next(item for item in data.get("@graph", [data]) if "dateModified" in item)
    return visible_text(page), facts


def test_a_save_of_the_same_words_from_a_browser_makes_no_revision(
    live: Article, editor_account: User, client: Client
) -> None:
    editor = people.signed_in(editor_account)
    with time_machine.travel(NOW, tick=False):
        sent = _fields(live, body=_as_a_browser_sends(BODY), title=" What is a  Stitch? ")
        response = editor.post(f"/newsroom/articles/{live.pk}/edit/", sent)
        assert response.status_code == 302
        page = visible_text(editor.get(response["Location"]).content)
        assert "Nothing changed since revision 1: no new revision." in page
        # Nothing waits to be published, so the public page cannot move.
        assert editor.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 400
    live.refresh_from_db()
    assert live.revisions.count() == 1 and live.body == BODY
    text, facts = _details(client, live)
    assert "Last Modified Date: 17 May 2023" in text
    assert facts["dateModified"].startswith("2023-05-17")


def test_text_from_a_browser_is_kept_with_plain_line_endings(
    live: Article, writer_account: User
) -> None:
    typed = _as_a_browser_sends(BODY + "\n\nStretch first.")
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{live.pk}/edit/", _fields(live, body=typed)
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.latest_revision is not None
    kept = live.latest_revision.content["body"]
    assert kept == BODY + "\n\nStretch first."
    assert "\r" not in kept and "café" in kept  # composed é, one character


def test_recording_a_review_keeps_both_dates_and_edited_by(
    live: Article, other_editor: User, client: Client
) -> None:
    doctor = Person.objects.create(name="Dr Nadia Ferreira", slug="nadia-ferreira")
    _, before = _details(client, live)
    erin = people.signed_in(other_editor)
    with time_machine.travel(NOW, tick=False):
        form = _fields(live, body=_as_a_browser_sends(BODY), reviewed_by=doctor.name,
                       reviewed_on="2026-11-20", note="Reviewed by Dr Ferreira.")  # fmt: skip
        assert erin.post(f"/newsroom/articles/{live.pk}/edit/", form).status_code == 302
        assert erin.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 302
    text, after = _details(client, live)
    assert "Reviewed By: Dr Nadia Ferreira" in text and "Last reviewed: 20 November 2026" in text
    assert "Last Modified Date: 17 May 2023" in text
    assert "Edited By: Ed Editor" in text and "Erin Editor" not in text
    assert after["dateModified"] == before["dateModified"]
    assert after["datePublished"] == before["datePublished"]


def test_a_comma_fix_by_another_editor_marked_minor_keeps_edited_by(
    live: Article, other_editor: User, client: Client
) -> None:
    erin = people.signed_in(other_editor)
    fixed = BODY.replace("It passes when you rest, café", "It passes, when you rest, café")
    with time_machine.travel(NOW, tick=False):
        form = _fields(live, body=fixed.replace("\n", "\r\n"), minor="on", note="Comma.")
        assert erin.post(f"/newsroom/articles/{live.pk}/edit/", form).status_code == 302
        assert erin.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 302
    text, _ = _details(client, live)
    assert "It passes, when you rest" in text
    assert "Edited By: Ed Editor" in text and "Last Modified Date: 17 May 2023" in text


def test_new_words_published_by_another_editor_name_them(
    live: Article, other_editor: User, client: Client
) -> None:
    erin = people.signed_in(other_editor)
    with time_machine.travel(NOW, tick=False):
        form = _fields(live, body=BODY + "\n\nDrink water an hour before running.")
        assert erin.post(f"/newsroom/articles/{live.pk}/edit/", form).status_code == 302
        assert erin.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 302
    text, _ = _details(client, live)
    assert "Edited By: Erin Editor" in text and "Last Modified Date: 27 November 2026" in text


def test_an_older_revision_kept_with_crlf_counts_no_change_of_words(
    live: Article, editor_account: User, other_editor: User, client: Client
) -> None:
    # Revisions saved before this rule still hold the browser's CRLF; the comparison sees
    # through it, so a picture or review change published later keeps the dates.
    assert live.latest_revision is not None
    content = {**live.latest_revision.content, "body": BODY.replace("\n", "\r\n") + "\r\n"}
    type(live.latest_revision).objects.filter(pk=live.latest_revision.pk).update(content=content)
    history = people.signed_in(editor_account)
    with time_machine.travel(NOW, tick=False):
        form = _fields(live, copyright_holder="Knowhow Press")
        assert history.post(f"/newsroom/articles/{live.pk}/edit/", form).status_code == 302
        compare = history.get(f"/newsroom/articles/{live.pk}/history/compare/?from=1&to=2")
        shown = re.findall(r'<div class="diff">\s*<h3>([^<]+)</h3>', compare.content.decode())
        assert shown == ["Copyright holder"]  # no diff of blank lines in the body
        people.signed_in(other_editor).post(f"/newsroom/articles/{live.pk}/do/publish/")
    text, _ = _details(client, live)
    assert "Last Modified Date: 17 May 2023" in text and "Edited By: Ed Editor" in text


def test_an_imported_file_with_crlf_is_kept_plain_and_the_same_file_changes_nothing(
    tmp_path: Path,
) -> None:
    text = (
        "---\r\ntitle: Why do Knuckles Crack?\r\nwritten_by: Ana Lopez\r\n"
        "last_modified: 2021-03-04\r\ntopic: Health\r\n---\r\n\r\n"
        "The popping sound comes from gas bubbles.   \r\n\r\nIt is not harmful.\r\n"
    )
    path = tmp_path / "knuckles.md"
    path.write_bytes(text.encode())
    call_command("import", str(path), verbosity=0)
    article = Article.objects.get()
    assert article.body == "The popping sound comes from gas bubbles.\n\nIt is not harmful."
    assert article.latest_revision is not None
    assert article.latest_revision.content["body"] == article.body
    path.write_bytes(text.replace("\r\n", "\n").encode())
    call_command("import", str(path), verbosity=0)
    assert article.revisions.count() == 1


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("one\r\ntwo\rthree\n", "one\ntwo\nthree"),
        ("\n\n  indented code\n\n\n", "  indented code"),
        ("a line \t\nnext", "a line\nnext"),
        ("a hard break    \nnext", "a hard break  \nnext"),  # the reader sees the break
        ("no break at the end  \n\nnext", "no break at the end\n\nnext"),
        ("cafe\u0301", "café"),
        ("keep\u00a0no-break", "keep\u00a0no-break"),
    ],
)
def test_text_is_kept_in_one_form(typed: str, kept: str) -> None:
    assert normal_text(typed) == kept
    assert normal_text(kept) == kept


def test_a_title_is_kept_on_one_line() -> None:
    assert normal_line("  What is\r\n a  Stitch?\t") == "What is a Stitch?"
    assert normal_line("Dr\u00a0Who") == "Dr\u00a0Who"


def test_every_revision_is_made_where_its_text_is_put_in_its_kept_form() -> None:
    # A second maker of revisions would skip the rule: this fails when one appears.
    source = Path(workflow.__file__).parents[1]
    makers = sorted(
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "migrations" not in path.parts
        and re.search(
            r"Revision\.objects\.(bulk_)?create\(|\bRevision\((?!models\.)", path.read_text()
        )
    )
    assert makers == ["articles/services.py"]
