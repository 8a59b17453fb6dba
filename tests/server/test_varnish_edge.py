"""The shipped Varnish file in front of `knowhow serve`: anonymous pages are kept at the
edge, with each visitor's own form token, and every write purges them before it answers."""

from __future__ import annotations

import http.client
import re
import textwrap
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.nginx_site import cookies_of, form_fields
from tests.varnish_site import ARTICLE, HOST, Edge, edge

__all__ = ["edge"]

HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of Varnish says


def get(edge: Edge, path: str, cookie: str = "") -> tuple[http.client.HTTPResponse, str]:
    headers = {**HTTPS, **({"Cookie": cookie} if cookie else {})}
    response, body = edge.request("GET", path, headers=headers)
    return response, body.decode()


def visitor(edge: Edge) -> str:
    """A first visit: the page comes with the visitor's CSRF cookie."""
    response, _ = get(edge, ARTICLE)
    assert response.status == 200
    cookies = cookies_of(response)
    assert len(cookies.get("csrftoken", "")) == 32, response.headers
    return f"csrftoken={cookies['csrftoken']}"


def kept(edge: Edge, path: str, cookie: str = "") -> str:
    """The page once more, answered by Varnish from its own memory. A write of the site's
    own (the task worker's housekeeping) may land while the first copy is drawn, which
    then goes out not to be kept: the page is asked again, a few times at most."""
    for _ in range(5):
        get(edge, path, cookie)
        response, body = get(edge, path, cookie)
        if response.headers["X-Edge"] == "HIT":
            break
        time.sleep(0.5)
    assert response.headers["X-Edge"] == "HIT", response.headers
    assert int(response.headers["Age"]) >= 0
    return body


def post(edge: Edge, cookie: str, text: str) -> http.client.HTTPResponse:
    _, html = get(edge, ARTICLE, cookie)
    fields = form_fields(html)
    # As the page's script (form-token.js) fills the empty token from the cookie.
    assert fields["csrfmiddlewaretoken"] == ""
    fields["csrfmiddlewaretoken"] = cookie.split("=", 1)[1]
    form = {**fields, "body": text, "website": "", "as": "anonymous"}
    response, body = edge.request(
        "POST",
        ARTICLE + "posts/",
        body=urlencode(form),
        headers={
            **HTTPS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{ARTICLE}",
        },
    )
    assert response.status in (302, 303), body.decode()
    return response


def test_an_unchanged_page_is_one_copy_for_every_visitor(edge: Edge) -> None:
    first, second = visitor(edge), visitor(edge)
    mine = kept(edge, ARTICLE, first)
    response, theirs = get(edge, ARTICLE, second)
    assert response.headers["X-Edge"] == "HIT"
    assert "Set-Cookie" not in response.headers
    assert "esi:" not in mine and "@@hole" not in mine
    # The same page for everyone: no token in it (the page's script fills it from the
    # visitor's cookie when the form is sent), and the time the form was shown.
    issued = re.compile(r'name="issued" value="[^"]*"')
    assert issued.sub("", mine) == issued.sub("", theirs)
    assert form_fields(mine)["csrfmiddlewaretoken"] == ""
    assert "knowhow/form-token" in mine
    assert form_fields(mine)["issued"]
    for private in ("Surrogate-Key", "Surrogate-Control", "X-Knowhow-Holes", "xkey"):
        assert private not in response.headers


def test_a_post_through_varnish_shows_at_once_through_varnish(edge: Edge) -> None:
    reader = visitor(edge)
    other = visitor(edge)
    kept(edge, ARTICLE, other)
    post(edge, reader, "Warm baths before bed helped me through the winter.")
    _, page = get(edge, ARTICLE, other)
    assert "Warm baths before bed helped me through the winter." in page
    assert "Warm baths before bed" in kept(edge, ARTICLE, other)


def test_a_moderators_removal_in_another_process_purges(edge: Edge) -> None:
    reader = visitor(edge)
    post(edge, reader, "Quinine tonic water is an old remedy for this.")
    assert "Quinine tonic water" in kept(edge, ARTICLE, reader)
    # The same page under an encoded address is another object at the edge, purged too.
    encoded = ARTICLE.replace("what-", "%77hat-")
    assert "Quinine tonic water" in kept(edge, encoded, reader)
    removed = edge.knowhow(
        "shell", "-c",
        "from knowhow.discussion.models import Post\n"
        "from knowhow.moderation.services import remove_post\n"
        "remove_post(post=Post.objects.get(body__contains='Quinine tonic water'))",
    )  # fmt: skip
    assert removed.returncode == 0, removed.stderr
    for address in (ARTICLE, encoded):
        _, page = get(edge, address, reader)
        assert "Quinine tonic water" not in page


def _article_file(folder: Path, slug: str, title: str, status: str) -> Path:
    path = folder / f"{slug}.md"
    path.write_text(
        textwrap.dedent(f"""\
        ---
        title: {title}
        slug: {slug}
        written_by: Helen Marsh
        last_modified: 2024-02-19
        topic: Health
        status: {status}
        summary: A test of the edge.
        ---

        Words about {title.lower()}.
        """)
    )
    return path


def test_an_import_in_another_process_purges(edge: Edge, tmp_path: Path) -> None:
    assert "Why do knees click" not in kept(edge, "/")
    article = _article_file(tmp_path, "knees", "Why do knees click?", "published")
    imported = edge.knowhow("import", str(article))
    assert imported.returncode == 0, imported.stderr
    _, home = get(edge, "/")
    assert "Why do knees click?" in home


def test_a_publication_in_another_process_purges(edge: Edge, tmp_path: Path) -> None:
    draft = _article_file(tmp_path, "hiccups", "What stops hiccups?", "draft")
    assert edge.knowhow("import", str(draft)).returncode == 0
    assert "What stops hiccups?" not in kept(edge, "/")
    published = edge.knowhow(
        "shell", "-c",
        "from django.contrib.auth.models import User\n"
        "from knowhow.articles.models import Article\n"
        "from knowhow.articles.services import publish\n"
        "from knowhow.newsroom.services import grant_role\n"
        "editor = User.objects.create_user('edgeeditor', 'e@example.org', 'x', is_staff=True)\n"
        "grant_role(user=editor, role='editor', person_name='Ed Itor')\n"
        "publish(article=Article.objects.get(slug='hiccups'), by=editor)",
    )  # fmt: skip
    assert published.returncode == 0, published.stderr
    _, home = get(edge, "/")
    assert "What stops hiccups?" in home


def test_no_signed_in_page_is_ever_stored(edge: Edge) -> None:
    made = edge.knowhow(
        "shell", "-c",
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('edgereader', 'r@example.org', 'a-long-password-1')",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    cookie = visitor(edge)
    _, html = get(edge, "/accounts/login/", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, html
    response, body = edge.request(
        "POST",
        "/accounts/login/",
        body=urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": "edgereader",
                "password": "a-long-password-1",
            }
        ),
        headers={
            **HTTPS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/accounts/login/",
        },
    )
    assert response.status in (302, 303), body.decode()
    signed_in = "; ".join(f"{k}={v}" for k, v in cookies_of(response).items())
    for _ in range(3):
        response, page = get(edge, ARTICLE, signed_in)
        assert response.headers["X-Edge"] == "MISS"
        assert "edgereader" in page
    # Anonymous visitors never get the reader's page, from Varnish or otherwise.
    assert "edgereader" not in kept(edge, ARTICLE, cookie)


def test_a_purge_from_another_address_is_refused(edge: Edge) -> None:
    kept(edge, "/")
    connection = http.client.HTTPConnection(
        "127.0.0.1", edge.port, timeout=10, source_address=("127.0.0.2", 0)
    )
    connection.request("PURGE", "/", headers={"Host": HOST, "xkey": "site"})
    assert connection.getresponse().status == 403
    connection.close()
    response, _ = get(edge, "/")
    assert response.headers["X-Edge"] == "HIT"
