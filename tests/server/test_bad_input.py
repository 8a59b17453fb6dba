"""Odd input gets a page or a clear refusal, never a server error.

Some of it only shows on the real server (`knowhow serve`): Django's test client skips the
CSRF check of the error page that turned a form in UTF-16 into an empty 500 there.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from tests.conftest import form_data
from tests.pages import visible_text
from tests.test_serve import KNOWHOW, _env, _free_port


@pytest.mark.parametrize("number", ["²", "١", "99999999999999999999", "-1", "1.0", ""])
def test_an_odd_reply_number_is_ignored(article: Article, number: str) -> None:
    post_comment(article=article, body="Something to reply to.")
    answer = Client(raise_request_exception=False).get(
        f"{article.get_absolute_url()}?reply={number}"
    )
    assert answer.status_code == 200
    assert 'name="reply_to"' not in answer.content.decode()


def test_sign_up_with_a_bare_next_goes_there_after_the_account_is_made(db: None) -> None:
    client = Client(raise_request_exception=False)
    answer = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a long passphrase 93",
            "password2": "a long passphrase 93",
            "next": "x",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "x"
    assert Post.objects.count() == 0  # nothing else was written on the way


def test_a_bad_rate_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from knowhow import config

    monkeypatch.setenv("KNOWHOW_POST_RATE_ANONYMOUS", "²/10m")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_POST_RATE_ANONYMOUS"):
        config.env_rates("KNOWHOW_POST_RATE_ANONYMOUS", "5/10m")


def test_mail_files_are_private(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    import stat

    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "knowhow.server.mailfiles.PrivateFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    send_mail("Reset", "https://example.org/reset/secret/", "a@example.org", ["b@example.org"])
    (written,) = (tmp_path / "mail").iterdir()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "mail").stat().st_mode) == 0o700


def test_a_reset_link_never_takes_the_port_a_request_named(reader, settings, run_worker) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    settings.SITE_URL = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Client(HTTP_HOST="localhost:9999").post("/accounts/password_reset/", {"email": reader.email})
    run_worker()
    (message,) = mail.outbox
    assert "9999" not in message.body
    assert "http://127.0.0.1:8000/accounts/reset/" in message.body


def test_reset_emails_to_one_address_are_capped(reader, settings, run_worker) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    answers = [
        Client().post("/accounts/password_reset/", {"email": reader.email.upper()})
        for _ in range(30)
    ]
    assert all(a.status_code == 302 for a in answers)  # every asker hears the same
    run_worker()
    assert len(mail.outbox) == 3


NOT_UTF8 = "sent in a character set other than UTF-8"
UNREADABLE = "arrived incomplete or malformed"
URLENCODED = "application/x-www-form-urlencoded"


def _posted(client: Client, article: Article, content_type: str, body: bytes) -> object:
    # generic() sends the bytes as they are, whatever charset the header names.
    return client.generic("POST", f"{article.get_absolute_url()}posts/", body, content_type)


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-7", "foo", "latin-1"])
def test_a_form_in_another_charset_gets_a_clear_400(article: Article, charset: str) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    body = urllib.parse.urlencode(form_data(article, "Hello in another charset."))
    encoding = charset if charset not in ("foo", "utf-7") else "utf-8"
    answer = _posted(client, article, f"{URLENCODED}; charset={charset}", body.encode(encoding))
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert NOT_UTF8 in visible_text(answer.content)  # type: ignore[attr-defined]
    assert not Post.objects.exists()


@pytest.mark.parametrize("charset", ["utf8", "UTF-8", "utf_8"])
def test_utf8_however_spelt_is_read(article: Article, charset: str) -> None:
    body = urllib.parse.urlencode(form_data(article, "Spelt “utf8”, still UTF-8."))
    answer = _posted(Client(), article, f"{URLENCODED}; charset={charset}", body.encode())
    assert answer.status_code == 302  # type: ignore[attr-defined]
    assert Post.objects.get().body == "Spelt “utf8”, still UTF-8."


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=ä"],
)
def test_a_multipart_form_with_a_bad_boundary_gets_a_clear_400(
    article: Article, content_type: str
) -> None:
    body = b'--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nhi\r\n--x--\r\n'
    answer = _posted(Client(raise_request_exception=False), article, content_type, body)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert UNREADABLE in visible_text(answer.content)  # type: ignore[attr-defined]


def test_an_oversize_form_gets_a_clear_400(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = urllib.parse.urlencode(form_data(article, "x" * 20_000)).encode()
    answer = _posted(Client(raise_request_exception=False), article, URLENCODED, body)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "larger than the site accepts" in visible_text(answer.content)  # type: ignore[attr-defined]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/readers/a%00b/", "/articles/?page=1%00", "/articles/?q%00=1", "/accounts/reset/MQ%00/x/"],
)
def test_a_nul_in_the_address_gets_a_clear_400(path: str, db: None) -> None:
    answer = Client(raise_request_exception=False).get(path)
    assert answer.status_code == 400
    assert "a NUL" in visible_text(answer.content)


def test_a_nul_in_a_form_field_is_refused_and_the_text_kept(article: Article) -> None:
    answer = Client().post(
        f"{article.get_absolute_url()}posts/",
        form_data(
            article, "Kept text\x00here.", notify_email="me\x00@example.org", reply_to="1\x00"
        ),
    )
    assert answer.status_code == 400
    assert "Kept text" in answer.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize("raw", ["%FF%FE", "%C0%AF", "caf%E9"])
def test_a_byte_that_is_not_utf8_in_a_form_field_or_query_is_no_server_error(
    article: Article, raw: str
) -> None:
    client = Client(raise_request_exception=False)
    url = f"{article.get_absolute_url()}posts/"
    body = urllib.parse.urlencode(form_data(article, "About the field.")) + f"&notify_email={raw}"
    assert client.post(url, body, content_type=URLENCODED).status_code == 400
    address = f"{article.get_absolute_url()}?reply={raw}&page={raw}"
    assert client.get(address, follow=True).status_code == 200
    assert client.get(f"/articles/{raw}/").status_code == 404


@pytest.mark.parametrize("number", ["99999999999999999999999", "9" * 5000, "-1", "1e308", "nan"])
def test_a_huge_or_odd_page_number_shows_a_page(article: Article, number: str) -> None:
    client = Client(raise_request_exception=False)
    for path in ("/articles/", "/facts/", "/readers/reader/", article.get_absolute_url()):
        assert client.get(f"{path}?page={number}", follow=True).status_code in (200, 404)


@dataclass(frozen=True)
class Served:
    host: str
    port: int
    article: str  # an article's address

    def request(
        self, method: str, path: str, body: bytes = b"", **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            answer = connection.getresponse()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
        finally:
            connection.close()

    def raw(self, request_line: bytes) -> bytes:
        with socket.create_connection((self.host, self.port), timeout=20) as sock:
            sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        return answer


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    env = _env(tmp_path_factory.mktemp("bad-input") / "var")
    subprocess.run([KNOWHOW, "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run([KNOWHOW, "demo", "--if-empty"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [KNOWHOW, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/articles/", timeout=1
                ) as page:
                    listing = page.read().decode()
                break
            except OSError:
                assert server.poll() is None, "knowhow serve exited"
                time.sleep(0.1)
        found = re.search(r'href="(/articles/[a-z0-9-]+/)"', listing)
        assert found
        yield Served("127.0.0.1", port, found.group(1))
    finally:
        server.terminate()
        server.wait(timeout=20)


def _form(served: Served) -> tuple[dict[str, str], bytes]:
    """The article's form as a browser gets it: its cookie, and the fields it would send."""
    status, headers, page = served.request("GET", served.article)
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"])
    fields = dict(re.findall(rb'name="(csrfmiddlewaretoken|issued)" value="([^"]*)"', page))
    assert cookie and len(fields) == 2
    body = urllib.parse.urlencode(
        {k.decode(): v.decode() for k, v in fields.items()} | {"body": "Posted in a charset."}
    )
    return {"Cookie": f"csrftoken={cookie.group(1)}"}, body.encode()


def _assert_a_clear_400(
    status: int, headers: dict[str, str], page: bytes, words: str, expected: int = 400
) -> None:
    assert status == expected
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert words in visible_text(page)


@pytest.mark.parametrize("charset", ["utf-16", "utf-7", "foo"])
def test_the_real_server_answers_a_form_in_another_charset_with_a_clear_400(
    served: Served, charset: str
) -> None:
    cookie, body = _form(served)
    encoded = body.decode().encode("utf-16") if charset == "utf-16" else body
    answer = served.request(
        "POST",
        f"{served.article}posts/",
        encoded,
        **cookie,
        **{"Content-Type": f"{URLENCODED}; charset={charset}"},
    )
    _assert_a_clear_400(*answer, NOT_UTF8)
    assert served.request("GET", "/")[0] == 200  # and it keeps working


def test_the_real_server_answers_a_bad_multipart_form_with_a_clear_400(served: Served) -> None:
    cookie, _ = _form(served)
    answer = served.request(
        "POST",
        f"{served.article}posts/",
        b"--x\r\n",
        **cookie,
        **{"Content-Type": "multipart/form-data; boundary="},
    )
    _assert_a_clear_400(*answer, UNREADABLE)


def test_the_real_server_answers_an_oversize_form_with_a_clear_413(served: Served) -> None:
    cookie, body = _form(served)
    answer = served.request(
        "POST",
        f"{served.article}posts/",
        body + b"&pad=" + b"a" * 3_000_000,
        **cookie,
        **{"Content-Type": URLENCODED},
    )
    _assert_a_clear_400(*answer, "larger than the site accepts", expected=413)


def test_the_real_server_answers_a_nul_in_the_address_with_a_clear_400(served: Served) -> None:
    _assert_a_clear_400(*served.request("GET", "/readers/a%00b/"), "a NUL")


@pytest.mark.parametrize(
    "line", [b"GET /articles/?page=\xff HTTP/1.1", b"GET /articles/\xff/ HTTP/1.1"]
)
def test_the_real_server_refuses_raw_bytes_that_are_not_utf8_in_the_address(
    served: Served, line: bytes
) -> None:
    status_line = served.raw(line).split(b"\r\n", 1)[0]
    assert re.fullmatch(rb"HTTP/1\.1 4\d\d .*", status_line), status_line
    assert served.request("GET", "/")[0] == 200
