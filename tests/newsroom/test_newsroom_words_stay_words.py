"""Script typed into any field the newsroom keeps (title, summary, body, sources, notes,
comments, picture alt text, a reader's question, a byline) never runs on any page that
shows it: the newsroom's own pages, diffs, the public page, print, feeds and metadata."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing the site's own feed
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from knowhow.images.services import upload_image
from knowhow.newsroom.models import Question
from tests import people
from tests.images.pictures import jpeg, upload

pytestmark = pytest.mark.django_db

TAG = '"><img src=x onerror=alert(1337)>'
SCRIPT = "</script><script>alert(1337)</script>"
LINK = (
    "[see](javascript:alert(1337)) [data](data:text/html;base64,PHNjcmlwdD4=) "
    "[far](//evil.example/x)"
)


class _Runs(HTMLParser):
    """What a browser would run: handlers, script, script-bearing addresses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.in_script = values.get("type") or "text/javascript"
        for name, value in attrs:
            if name.startswith("on") and "1337" in (value or ""):
                self.problems.append(f"{tag} {name}={value}")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value or "").lower().split(":")[0]
            if name in {"href", "src", "action", "formaction"} and scheme in {
                "javascript", "data", "vbscript"
            }:  # fmt: skip
                self.problems.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None

    def handle_data(self, data: str) -> None:
        if self.in_script and "1337" in data and self.in_script != "application/ld+json":
            self.problems.append(f"script ran: {data[:80]}")


def _assert_inert(html: str, where: str) -> None:
    parser = _Runs()
    parser.feed(html)
    assert parser.problems == [], f"{where}: {parser.problems}"


@pytest.fixture
def hostile(writer_account: User, editor_account: User, topic: Topic) -> Article:
    Person.objects.filter(user=writer_account).update(name=f"Wendy{TAG}")
    picture = upload_image(file=upload(jpeg(80, 60)), alt=f"A runner{TAG}", by=editor_account)
    article = workflow.create_article(
        by=writer_account,
        title=f"Why{TAG}",
        topic=topic,
        body=f"First words. {TAG} {LINK}",
        synopsis=f"Summary {TAG}{SCRIPT}",
        sources=f"{LINK}\n<img src=x onerror=alert(1337)>",
        note=f"Started {TAG}",
    )
    workflow.save_revision(
        article=article, by=writer_account, base=1, note=f"Changed {TAG}",
        content={"body": f"Second words {SCRIPT} {TAG}", "lead_image": picture.pk},
    )  # fmt: skip
    workflow.comment(article=article, by=editor_account, note=f"Comment {TAG}{SCRIPT}")
    workflow.submit_for_review(article=article, by=writer_account, note=f"Please {TAG}")
    workflow.publish(article=article, by=editor_account, note=f"Out {TAG}")
    Question.objects.create(text=f"Why {TAG}{SCRIPT}?", asker_name=f"Pat{TAG}")
    article.refresh_from_db()
    return article


def test_the_newsrooms_pages_show_typed_script_as_text(
    hostile: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    base = f"/newsroom/articles/{hostile.pk}"
    for url in ("/newsroom/", f"{base}/edit/", f"{base}/history/",
                f"{base}/history/compare/?from=1&to=2", "/newsroom/reviews/",
                "/newsroom/questions/",
                f"/newsroom/questions/{Question.objects.get().pk}/draft/"):  # fmt: skip
        response = editor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "1337" in html or url.endswith("/reviews/"), f"{url} shows the typed words"
        _assert_inert(html, url)


def test_the_preview_shows_typed_script_as_text(editor_account: User, topic: Topic) -> None:
    response = people.signed_in(editor_account).post(
        "/newsroom/preview/",
        {"title": f"T{TAG}", "synopsis": SCRIPT, "body": f"{TAG} {LINK}", "sources": LINK},
    )
    _assert_inert(response.content.decode(), "preview")


def test_public_pages_and_feeds_show_typed_script_as_text(hostile: Article) -> None:
    reader = Client()
    for url in (
        hostile.get_absolute_url(),
        hostile.get_print_url(),
        "/",
        hostile.topic.get_absolute_url(),
    ):
        response = reader.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.content.decode(), url)
    for url in ("/feed/", f"/topics/{hostile.topic.slug}/feed/"):
        response = reader.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)  # noqa: S314 - the site's own feed
        checked = 0
        for element in root.iter():
            # A feed reader shows type="html" parts (and RSS descriptions) as HTML: what
            # it builds must be inert too; type="text" parts are shown as they are.
            as_html = element.get("type") == "html" or element.tag.endswith("description")
            if as_html and element.text and "1337" in element.text:
                _assert_inert(element.text, f"{url} <{element.tag}>")
                checked += 1
        assert checked, f"{url} carries the summary as HTML"
