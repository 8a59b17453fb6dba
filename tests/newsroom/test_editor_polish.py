"""The editor page finished: editors choose and change who writes an article, the pickers
scale, the desk tells the state of things at a glance, and a refused save is told in a
way keyboard and screen-reader users can act on."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, ArticleEvent, Person, Topic
from knowhow.images.models import Image
from knowhow.newsroom.desk import PICTURES_SHOWN
from tests import people
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )


@pytest.fixture
def walt() -> User:
    return people.make_staff_writer("walt", "Walt Other")


def _new(topic: Topic, **changes: Any) -> dict[str, Any]:
    data = {"title": "Why do Knees Click?", "topic": topic.pk, "body": "Gas bubbles.", "do": "save"}
    data.update(changes)
    return data


def _picture(alt: str, caption: str = "") -> Image:
    return Image.objects.create(
        file=f"images/{alt.replace(' ', '-')}.png", alt=alt, caption=caption, width=40, height=30
    )


def _edit_form(article: Article, **changes: Any) -> dict[str, Any]:
    article.refresh_from_db()
    assert article.latest_revision is not None
    content = article.latest_revision.content
    data = {
        "title": content["title"],
        "topic": content["topic"],
        "body": content["body"],
        "base": article.latest_revision.number,
        "do": "save",
    }
    data.update(changes)
    return data


# Who writes it ---------------------------------------------------------------------------


def test_an_editor_starts_an_article_for_a_writer_they_choose(
    editor_account: User, writer_account: User, walt: User, topic: Topic, outsider: User
) -> None:
    client = people.signed_in(editor_account)
    page = client.get("/newsroom/articles/new/").content.decode()
    choices = re.search(r'<select name="written_by".*?</select>', page, re.S)
    assert choices is not None
    names = re.findall(r">([^<]+)</option>", choices.group(0))
    # The newsroom's writers and editors, and not the outsider nor a person with no account.
    Person.objects.create(name="Nobody Staff", slug="nobody")
    assert names == ["Ed Editor", "Walt Other", "Wendy Writer"]
    assert re.search(r'<option value="\d+" selected>Ed Editor</option>', choices.group(0))

    response = client.post("/newsroom/articles/new/", _new(topic, written_by=walt.person.pk))
    assert response.status_code == 302
    article = Article.objects.get(title="Why do Knees Click?")
    assert article.written_by.name == "Walt Other"
    # Walt finds it on his desk and may edit it; the editor started it.
    desk = visible_text(people.signed_in(walt).get("/newsroom/").content)
    assert "Your articles (1)" in desk and "Why do Knees Click?" in desk


def test_an_editor_who_keeps_the_default_writes_the_article_themselves(
    editor_account: User, topic: Topic
) -> None:
    client = people.signed_in(editor_account)
    page = client.get("/newsroom/articles/new/").content.decode()
    me = Person.objects.get(user=editor_account).pk
    assert f'<option value="{me}" selected>' in page
    client.post("/newsroom/articles/new/", _new(topic, written_by=me))
    assert Article.objects.get().written_by.name == "Ed Editor"


def test_an_editor_without_a_byline_yet_writes_under_their_own_name(topic: Topic) -> None:
    chief = people.make_account("chief", is_staff=True, first_name="Cora", last_name="Chief")
    chief.groups.add(people.role_group("editor"))
    people.make_staff_writer()
    client = people.signed_in(chief)
    page = client.get("/newsroom/articles/new/").content.decode()
    assert '<option value="" selected>You, under your account' in page
    assert client.post("/newsroom/articles/new/", _new(topic, written_by="")).status_code == 302
    assert Article.objects.get().written_by.name == "Cora Chief"


def test_a_writer_has_no_writer_choice_and_cannot_forge_one(
    writer_account: User, walt: User, topic: Topic
) -> None:
    client = people.signed_in(writer_account)
    assert 'name="written_by"' not in client.get("/newsroom/articles/new/").content.decode()
    response = client.post("/newsroom/articles/new/", _new(topic, written_by=walt.person.pk))
    assert response.status_code == 302
    assert Article.objects.get().written_by.name == "Wendy Writer"


def test_an_editor_cannot_start_an_article_for_someone_outside_the_newsroom(
    editor_account: User, topic: Topic
) -> None:
    stranger = Person.objects.create(name="Not Staff", slug="not-staff")
    client = people.signed_in(editor_account)
    response = client.post("/newsroom/articles/new/", _new(topic, written_by=stranger.pk))
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "Written By: Select a valid choice" in text
    assert "Why do Knees Click?" in response.content.decode()  # what was typed stays
    assert not Article.objects.exists()


def test_an_editor_gives_a_draft_to_another_writer_and_the_log_says_so(
    draft: Article, editor_account: User, walt: User
) -> None:
    client = people.signed_in(editor_account)
    page = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert "Change the writer" in page
    response = client.post(f"/newsroom/articles/{draft.pk}/writer/", {"written_by": walt.person.pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.written_by.name == "Walt Other"
    event = draft.log.first()
    assert event is not None and event.action == ArticleEvent.Action.REASSIGNED
    assert event.note == "From Wendy Writer to Walt Other." and event.actor == editor_account
    text = visible_text(client.get(f"/newsroom/articles/{draft.pk}/edit/").content)
    assert "Changed the writer by Ed Editor" in text and "From Wendy Writer to Walt Other." in text
    # The new writer edits it now; the old one no longer opens it.
    assert people.signed_in(walt).get(f"/newsroom/articles/{draft.pk}/edit/").status_code == 200
    wendy = User.objects.get(username="wendy")
    assert people.signed_in(wendy).get(f"/newsroom/articles/{draft.pk}/edit/").status_code == 403


def test_writers_and_outsiders_cannot_change_the_writer(
    draft: Article, writer_account: User, walt: User, outsider: User, client: Client
) -> None:
    url = f"/newsroom/articles/{draft.pk}/writer/"
    page = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    assert "Change the writer" not in page.content.decode()
    refused = people.signed_in(writer_account).post(url, {"written_by": walt.person.pk})
    assert refused.status_code == 400
    assert "Only editors may give an article to another writer." in visible_text(refused.content)
    assert people.signed_in(outsider).post(url, {"written_by": walt.person.pk}).status_code == 403
    signed_out = client.post(url, {"written_by": walt.person.pk})
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    draft.refresh_from_db()
    assert draft.written_by.name == "Wendy Writer"
    assert not draft.log.filter(action=ArticleEvent.Action.REASSIGNED).exists()


def test_a_published_article_keeps_its_writer(
    draft: Article, editor_account: User, walt: User
) -> None:
    workflow.publish(article=draft, by=editor_account)
    with pytest.raises(workflow.NotAllowed, match="published"):
        workflow.reassign_writer(article=draft, by=editor_account, writer=walt.person)
    client = people.signed_in(editor_account)
    assert (
        "Change the writer"
        not in client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    )
    response = client.post(f"/newsroom/articles/{draft.pk}/writer/", {"written_by": walt.person.pk})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.written_by.name == "Wendy Writer"


def test_an_article_goes_only_to_someone_who_can_write_it(
    draft: Article, editor_account: User, outsider: User
) -> None:
    plain = Person.objects.create(name="Pat Plain", slug="pat", user=outsider)
    with pytest.raises(workflow.NotAllowed, match="Pat Plain has no writer or editor account"):
        workflow.reassign_writer(article=draft, by=editor_account, writer=plain)
    with pytest.raises(workflow.NotAllowed, match="already writes"):
        workflow.reassign_writer(article=draft, by=editor_account, writer=draft.written_by)


# Pickers ---------------------------------------------------------------------------------


def test_the_lead_image_is_chosen_among_the_newest_uploads_as_thumbnails(
    draft: Article, editor_account: User
) -> None:
    old = _picture("An old knee x-ray")
    for n in range(PICTURES_SHOWN + 5):
        _picture(f"Runner number {n}")
    page = people.signed_in(editor_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    html = page.content.decode()
    radios = re.findall(r'<input type="radio" name="lead_image" value="(\d*)"', html)
    assert len(radios) == PICTURES_SHOWN + 1  # and "No lead image"
    assert str(old.pk) not in radios
    text = visible_text(page.content)
    assert f"The newest {PICTURES_SHOWN} of {PICTURES_SHOWN + 6} pictures" in text
    assert "Runner number 28" in text and "Runner number 4" not in text  # newest first
    # Each choice's label is the picture's alt text, beside its thumbnail.
    newest = Image.objects.get(alt="Runner number 28")
    label = re.search(rf'<label for="id_lead_image_{newest.pk}">(.*?)</label>', html, re.S)
    assert label is not None and "<img" in label.group(1) and "Runner number 28" in label.group(1)


def test_a_search_finds_an_older_picture_without_losing_what_was_typed(
    draft: Article, editor_account: User
) -> None:
    old = _picture("An old knee x-ray", caption="Radiology archive")
    for n in range(PICTURES_SHOWN + 2):
        _picture(f"Runner number {n}")
    client = people.signed_in(editor_account)
    typed = _edit_form(draft, title="", body="Words not saved yet.", image_search="radiology",
                       do="images")  # fmt: skip
    response = client.post(f"/newsroom/articles/{draft.pk}/edit/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'name="lead_image" value="(\d*)"', html) == ["", str(old.pk)]
    assert "1 picture matches “radiology”." in visible_text(response.content)
    assert "Words not saved yet." in html
    assert "error-summary" not in html  # looking for a picture is not a refused save
    draft.refresh_from_db()
    assert draft.latest_revision is not None and draft.latest_revision.number == 1

    chosen = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _edit_form(draft, body="Words not saved yet.", lead_image=old.pk),
    )
    assert chosen.status_code == 302
    draft.refresh_from_db()
    assert draft.lead_image == old
    # The edit page shows the chosen picture as a thumbnail, even when it is not among the
    # newest.
    page = client.get(f"/newsroom/articles/{draft.pk}/edit/")
    text = visible_text(page.content)
    assert "Chosen now: An old knee x-ray" in text
    assert re.search(
        rf'value="{old.pk}" id="id_lead_image_{old.pk}" checked', page.content.decode()
    )


def test_enter_finds_pictures_while_the_search_holds_new_words_and_saves_otherwise(
    draft: Article, editor_account: User
) -> None:
    _picture("A knee")
    client = people.signed_in(editor_account)
    url = f"/newsroom/articles/{draft.pk}/edit/"
    searching = client.post(url, _edit_form(draft, body="New.", image_search="knee", do="enter"))
    assert searching.status_code == 200
    assert "1 picture matches “knee”." in visible_text(searching.content)
    assert 'name="searched" value="knee"' in searching.content.decode()
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin."
    saving = client.post(
        url, _edit_form(draft, body="New.", image_search="knee", searched="knee", do="enter")
    )
    assert saving.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "New."


def test_a_search_that_finds_nothing_says_so(draft: Article, editor_account: User) -> None:
    _picture("A runner")
    response = people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", _edit_form(draft, image_search="zebra", do="images")
    )
    assert "No picture’s words match “zebra”." in visible_text(response.content)


def test_the_reviewer_is_typed_by_name_and_earlier_reviewers_are_suggested(
    draft: Article, editor_account: User, make_article: Any
) -> None:
    doctor = Person.objects.create(name="Dr Nadia Ferreira", slug="nadia")
    Person.objects.create(name="Never Reviewed", slug="never")
    make_article("Reviewed before", reviewed_by=doctor, reviewed_on=dt.date(2024, 1, 5))
    client = people.signed_in(editor_account)
    page = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    suggestions = re.search(r'<datalist id="known-reviewers">(.*?)</datalist>', page, re.S)
    assert suggestions is not None
    assert re.findall(r'value="([^"]+)"', suggestions.group(1)) == ["Dr Nadia Ferreira"]
    assert 'list="known-reviewers"' in page

    response = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _edit_form(draft, reviewed_by="dr nadia  ferreira", reviewed_on="2024-03-01"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.review is not None and draft.review.reviewed_by == doctor
    again = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert 'value="Dr Nadia Ferreira"' in again


def test_an_unknown_reviewer_is_refused_with_what_to_do(
    draft: Article, editor_account: User
) -> None:
    response = people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _edit_form(draft, body="Kept words.", reviewed_by="Dr Nobody", reviewed_on="2024-03-01"),
    )
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "No one named “Dr Nobody” is among the site's people." in text
    assert "needs both" not in text  # one clear reason, not two
    html = response.content.decode()
    assert 'value="Dr Nobody"' in html and "Kept words." in html
    draft.refresh_from_db()
    assert draft.review is None and draft.body == "Pain along the shin."


# The desk ----------------------------------------------------------------------------------


def test_the_desk_counts_each_list_at_the_top(
    draft: Article, writer_account: User, editor_account: User, topic: Topic
) -> None:
    workflow.create_article(by=editor_account, title="An editor's own", topic=topic)
    workflow.submit_for_review(article=draft, by=writer_account)
    html = people.signed_in(editor_account).get("/newsroom/").content.decode()
    glance = re.search(r'<nav class="desk-glance".*?</nav>', html, re.S)
    assert glance is not None
    shown = visible_text(glance.group(0).encode())
    assert "1 Your articles" in shown and "1 Waiting for review" in shown
    assert "1 Drafts" in shown and "0 Scheduled" in shown and "0 Recently published" in shown
    assert 'href="#review"' in glance.group(0)


def test_the_desk_links_live_articles_and_tells_of_changes_waiting(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.publish(article=draft, by=editor_account)
    client = people.signed_in(writer_account)
    html = client.get("/newsroom/").content.decode()
    draft.refresh_from_db()
    assert f'href="{draft.get_absolute_url()}"' in html
    assert "Changes waiting" not in html
    workflow.save_revision(article=draft, by=writer_account, content={"body": "Newer."}, base=1)
    text = visible_text(client.get("/newsroom/").content)
    assert "Changes waiting" in text


def test_a_writer_reads_the_editors_request_on_their_desk(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    workflow.request_changes(article=draft, by=editor_account, note="Older request.")
    workflow.submit_for_review(article=draft, by=writer_account)
    workflow.request_changes(article=draft, by=editor_account, note="Say where it hurts.")
    workflow.comment(article=draft, by=editor_account, note="A later comment, not a request.")
    html = people.signed_in(writer_account).get("/newsroom/").content.decode()
    quote = re.search(r'<blockquote class="asked">(.*?)</blockquote>', html, re.S)
    assert quote is not None
    assert (
        "Say where it hurts." in quote.group(1)
        and "The editor asked" in quote.group(1)
        and "Older request" not in quote.group(1)
    )
    # The editor page quotes it too, above the form.
    page = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    asked = re.search(
        r'<blockquote class="asked" id="asked">(.*?)</blockquote>', page.content.decode(), re.S
    )
    assert asked is not None and "Say where it hurts." in asked.group(1)
    assert "Ed Editor asked for changes" in visible_text(asked.group(0).encode())
    # Once the writer submits again the request is handled and no longer quoted.
    workflow.submit_for_review(article=draft, by=writer_account)
    client = people.signed_in(writer_account)
    assert "blockquote" not in client.get("/newsroom/").content.decode()
    assert 'id="asked"' not in client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()


# Refused saves, told accessibly -------------------------------------------------------------


def test_a_refused_save_lists_each_error_first_linked_to_its_field(
    draft: Article, writer_account: User
) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _edit_form(draft, title="", reviewed_on="2024-03-01"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('class="editor-form"') :]
    summary = re.search(r'<div class="error-summary".*?</div>', form, re.S)
    assert summary is not None
    # First in the form: before the first field.
    assert form.index("error-summary") < form.index('name="title"')
    assert 'href="#id_title"' in summary.group(
        0
    ) and "Title: This field is required." in visible_text(summary.group(0).encode())
    assert 'href="#id_reviewed_by"' in summary.group(0)
    assert 'tabindex="-1"' in summary.group(0) and 'role="alert"' in summary.group(0)
    # Each refused input names its error (and help) for screen readers.
    title = re.search(r'<input[^>]*name="title"[^>]*>', html)
    assert title is not None and 'aria-invalid="true"' in title.group(0)
    assert 'aria-describedby="id_title_helptext id_title_errors"' in title.group(0)
    assert 'id="id_title_errors"' in html
    # A field without a problem is not marked.
    body = re.search(r'<textarea[^>]*name="body"[^>]*>', html)
    assert body is not None and "aria-invalid" not in body.group(0)


def test_every_editor_control_has_a_label(
    draft: Article, editor_account: User, topic: Topic
) -> None:
    _picture("A runner")
    client = people.signed_in(editor_account)
    for url in ("/newsroom/articles/new/", f"/newsroom/articles/{draft.pk}/edit/"):
        html = client.get(url).content.decode()
        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\sid="([^"]+)"', html
        )
        assert ids, url
        for control in ids:
            assert f'for="{control}"' in html, (url, control)


def test_the_live_preview_is_polite(draft: Article, writer_account: User) -> None:
    html = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/").content
    assert re.search(rb'id="preview-status"[^>]*aria-live="polite"', html)


def test_a_scheduled_time_in_the_past_names_its_error(draft: Article, editor_account: User) -> None:
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/do/schedule/", {"at": past}
    )
    assert response.status_code == 400
    assert "Choose a time in the future" in visible_text(response.content)
    field = re.search(r'<input[^>]*name="at"[^>]*>', response.content.decode())
    assert field is not None and 'aria-describedby="id_at_errors"' in field.group(0)
    assert 'id="id_at_errors"' in response.content.decode()


def test_the_outline_lists_the_headings_without_javascript(
    writer_account: User, topic: Topic
) -> None:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic,
        body="## Why runners get it\n\nWords.\n\n### Breathing\n\nMore.\n\n## What helps\n\nRest.",
    )  # fmt: skip
    html = people.signed_in(writer_account).get(f"/newsroom/articles/{article.pk}/edit/").text
    outline = html.split('id="outline"')[1].split("</ol>")[0]
    items = re.findall(r'<li class="outline-(\d)">([^<]*)</li>', outline)
    assert items == [("2", "Why runners get it"), ("3", "Breathing"), ("2", "What helps")]
