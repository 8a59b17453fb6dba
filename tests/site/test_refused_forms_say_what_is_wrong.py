"""Every public form that refuses what was sent says so the same way (the GOV.UK pattern):
"Error: " first in the page's title; a "There is a problem" summary, focused on load, whose
every error links to a field; that field marked aria-invalid and described by an error that
starts with the word "Error"; and what was typed still in the form."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from knowhow.newsroom.question_forms import issue_token as question_token
from tests.conftest import form_data

pytestmark = pytest.mark.django_db

VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "col", "area"}


class Page(HTMLParser):
    """The elements of a page that have an id: their attributes and their text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.attrs: dict[str, dict[str, str]] = {}
        self.text: dict[str, str] = {}
        self.title = ""
        self._open: list[tuple[str, str | None]] = []
        self._in_title = False
        self.summaries: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if "error-summary" in found.get("class", "").split():
            self.summaries.append(found)
        ident = found.get("id")
        if ident:
            self.attrs[ident] = {"tag": tag, **found}
            self.text.setdefault(ident, "")
        self._in_title = tag == "title"
        if tag not in VOID:
            self._open.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        for _, ident in self._open:
            if ident:
                self.text[ident] += data


def summary_links(html: str) -> list[str]:
    block = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([^"]+)"', block)


def assert_refused_the_gov_uk_way(html: str, *, kept: dict[str, str]) -> Page:
    page = Page(html)
    assert page.title.strip().startswith("Error: "), page.title
    assert len(page.summaries) == 1, "one summary"
    summary = page.summaries[0]
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert "autofocus" in summary, "the summary takes the focus when the page loads"
    assert "There is a problem" in html
    targets = summary_links(html)
    assert targets, "each error links to its field"
    for target in targets:
        field = page.attrs.get(target)
        assert field is not None, f"#{target} is on the page"
        assert field.get("aria-invalid") == "true", target
        described = field.get("aria-describedby", "").split()
        errors = [page.text[i].strip() for i in described if i.endswith("_errors")]
        assert errors and all(e.startswith("Error:") for e in errors), (target, described)
    for ident, value in kept.items():
        field = page.attrs[ident]
        shown = field.get("value") if field["tag"] == "input" else page.text[ident].lstrip("\n")
        assert shown == value, f"{ident} keeps what was typed"
    return page


def test_a_refused_post(client: Client, article: Article) -> None:
    response = client.post(f"{article.get_absolute_url()}posts/", form_data(article, "   "))
    assert response.status_code == 400
    assert_refused_the_gov_uk_way(response.content.decode(), kept={})


def test_a_post_the_layers_refuse_keeps_the_text(
    client: Client, article: Article, settings: Any
) -> None:
    settings.MIN_SUBMIT_SECONDS = 30
    data = form_data(article, "Sent at once.", age=1, notify_email="me@example.com")
    response = client.post(f"{article.get_absolute_url()}posts/", data)
    page = assert_refused_the_gov_uk_way(
        response.content.decode(),
        kept={"id_body": "Sent at once.", "id_notify_email": "me@example.com"},
    )
    assert summary_links(response.content.decode()) == ["id_body"]
    assert "Please wait" in page.text["id_body_errors"]


def test_a_refused_sign_in(client: Client, reader: User) -> None:
    response = client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    assert_refused_the_gov_uk_way(response.content.decode(), kept={"id_username": "reader"})


def test_a_refused_sign_up(client: Client) -> None:
    data = {"username": "admin", "email": "not-an-address", "password1": "a", "password2": "b"}
    response = client.post("/accounts/signup/", data)
    html = response.content.decode()
    assert_refused_the_gov_uk_way(html, kept={"id_username": "admin", "id_email": "not-an-address"})
    assert {"id_username", "id_email"} <= set(summary_links(html))


def test_a_refused_reset(client: Client) -> None:
    response = client.post("/accounts/password_reset/", {"email": "nowhere"})
    assert_refused_the_gov_uk_way(response.content.decode(), kept={"id_email": "nowhere"})


def test_a_refused_new_password(client: Client, reader: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(reader.pk))
    token = default_token_generator.make_token(reader)
    form = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    address = form.redirect_chain[-1][0]
    data = {"new_password1": "one long password", "new_password2": "another"}
    response = client.post(address, data)
    assert_refused_the_gov_uk_way(response.content.decode(), kept={})


def test_a_refused_question(client: Client) -> None:
    data = {"text": "  ", "name": "Ann", "email": "bad", "issued": question_token(), "website": ""}
    response = client.post("/ask/", data)
    html = response.content.decode()
    assert_refused_the_gov_uk_way(html, kept={"id_name": "Ann", "id_email": "bad"})


def test_a_refused_report(client: Client, article: Article, reader: User) -> None:
    post_comment(article=article, body="Something to report.")
    client.force_login(reader)
    response = client.post(f"{article.get_absolute_url()}posts/1/report/", {"note": "x" * 3000})
    assert_refused_the_gov_uk_way(response.content.decode(), kept={})


def test_a_refused_edit_of_ones_own_post(client: Client, article: Article, reader: User) -> None:
    post_comment(article=article, body="First words.", author=reader)
    client.force_login(reader)
    response = client.post(f"{article.get_absolute_url()}posts/1/edit/", {"body": "  "})
    assert_refused_the_gov_uk_way(response.content.decode(), kept={})


def test_a_page_with_no_refused_form_has_a_plain_title(client: Client, article: Article) -> None:
    for address in [article.get_absolute_url(), "/accounts/login/", "/accounts/signup/", "/ask/"]:
        page = Page(client.get(address).content.decode())
        assert not page.title.startswith("Error"), address
        assert not page.summaries, address


def test_sign_up_and_sign_in_tell_browsers_what_each_field_holds(client: Client) -> None:
    signup = Page(client.get("/accounts/signup/").content.decode())
    assert signup.attrs["id_email"]["autocomplete"] == "email"
    assert signup.attrs["id_username"]["autocomplete"] == "username"
    assert signup.attrs["id_password1"]["autocomplete"] == "new-password"
    signin = Page(client.get("/accounts/login/").content.decode())
    assert signin.attrs["id_username"]["autocomplete"] == "username"
    assert signin.attrs["id_password"]["autocomplete"] == "current-password"
    reset = Page(client.get("/accounts/password_reset/").content.decode())
    assert reset.attrs["id_email"]["autocomplete"] == "email"


def test_a_new_account_is_told_it_is_ready(client: Client) -> None:
    data = {
        "username": "newreader",
        "email": "new@example.com",
        "password1": "a long and good password",
        "password2": "a long and good password",
    }
    home = client.post("/accounts/signup/", data, follow=True)
    assert "Your account newreader is ready, and you are signed in." in home.content.decode()
