"""Kept pages go out compressed (brotli, gzip) to visitors who accept it, from `knowhow serve`
started for real: the same page as the plain one once decompressed, its CSRF token masked
anew for each answer, never stale after a write.
"""

from __future__ import annotations

import gzip
import http.client
import re
import urllib.parse

import brotli
import pytest

from knowhow.pagecache.csrf import django_accepts
from tests.pagecache.test_served import SPASMS, Browser, Site, site, warm

__all__ = ["site"]  # the served site of test_served, two servers

# Each answer's own values: the masked token and the signed time the form was shown.
OWN = re.compile(rb'(name="(?:csrfmiddlewaretoken|issued)" value=")[^"]*(")')


def fetch(
    base: str, path: str, headers: dict[str, str], method: str = "GET"
) -> tuple[http.client.HTTPResponse, bytes]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def decoded(response: http.client.HTTPResponse, body: bytes) -> bytes:
    encoding = response.headers.get("Content-Encoding", "")
    if encoding == "br":
        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding == "", encoding
    return body


def csrf_cookie(site: Site) -> str:
    response, _ = fetch(site.servers[0], SPASMS, {})
    return response.headers["Set-Cookie"].split(";")[0]


def test_each_encoding_decompresses_to_the_plain_page(site: Site) -> None:
    warm(site, SPASMS)
    cookie = csrf_cookie(site)
    base = site.servers[0]
    plain_response, plain = fetch(base, SPASMS, {"Cookie": cookie})
    assert plain_response.headers.get("Content-Encoding") is None
    assert b'name="csrfmiddlewaretoken"' in plain and b'name="issued"' in plain
    etags = {plain_response.headers["ETag"]}
    for header, encoding in (
        ("gzip, br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, *", "gzip"),
    ):
        response, body = fetch(base, SPASMS, {"Cookie": cookie, "Accept-Encoding": header})
        assert response.status == 200
        assert response.headers["X-Cache"] == "HIT"
        assert response.headers["Content-Encoding"] == encoding, header
        assert int(response.headers["Content-Length"]) == len(body)
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(body) * 3 < len(plain), (encoding, len(body), len(plain))
        page = decoded(response, body)
        assert OWN.sub(rb"\1\2", page) == OWN.sub(rb"\1\2", plain), header
        etags.add(response.headers["ETag"])
    assert len(etags) == 3  # plain, gzip and brotli bytes each have their own validator


def test_each_compressed_answer_masks_the_token_anew(site: Site) -> None:
    cookie = csrf_cookie(site)
    secret = cookie.split("=", 1)[1]
    tokens = set()
    for encoding in ("br", "br", "gzip", "gzip"):
        response, body = fetch(
            site.servers[0], SPASMS, {"Cookie": cookie, "Accept-Encoding": encoding}
        )
        assert response.headers["Content-Encoding"] == encoding
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', decoded(response, body))
        assert found is not None
        token = found.group(1).decode()
        assert secret not in token and len(token) == 64
        assert django_accepts(secret, token)
        tokens.add(token)
    assert len(tokens) == 4


@pytest.mark.parametrize("header", [None, "identity", "gzip;q=0, br;q=0", "*;q=0", "compress"])
def test_a_client_that_takes_no_compression_gets_plain_bytes(
    site: Site, header: str | None
) -> None:
    headers = {} if header is None else {"Accept-Encoding": header}
    response, body = fetch(site.servers[1], SPASMS, headers)
    assert response.status == 200
    assert response.headers.get("Content-Encoding") is None
    assert b"</html>" in body and b"Muscle Spasms" in body


def test_head_and_not_modified_answer_for_the_encoding_asked(site: Site) -> None:
    cookie = csrf_cookie(site)
    base = site.servers[0]
    asked = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    got, body = fetch(base, SPASMS, asked)
    head, nothing = fetch(base, SPASMS, asked, method="HEAD")
    assert nothing == b""
    assert head.headers["Content-Encoding"] == "gzip"
    # Same length each time: the holes' values are as long from one answer to the next.
    assert int(head.headers["Content-Length"]) == len(body)
    etag = got.headers["ETag"]
    again, _ = fetch(base, SPASMS, {**asked, "If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag
    # The gzip validator does not confirm a plain copy, nor a brotli one.
    for other in ("identity", "br"):
        response, page = fetch(
            base, SPASMS, {"Cookie": cookie, "Accept-Encoding": other, "If-None-Match": etag}
        )
        assert response.status == 200 and page


def test_a_post_shows_at_once_in_compressed_pages_of_both_servers(site: Site) -> None:
    warm(site, SPASMS)
    for base in site.servers:  # the compressed copies are kept too
        for encoding in ("br", "gzip"):
            fetch(base, SPASMS, {"Accept-Encoding": encoding})
    reader = Browser()
    url = site.servers[0] + SPASMS
    reader.post(url + "posts/", {**reader.form(url), "body": "Compressed and still fresh."})
    for base in site.servers:
        for encoding in ("br", "gzip"):
            response, body = fetch(base, SPASMS, {"Accept-Encoding": encoding})
            assert response.headers["Content-Encoding"] == encoding
            assert b"Compressed and still fresh." in decoded(response, body), (base, encoding)
