"""A reader posts through the shipped nginx site: CSRF holds over HTTPS behind the proxy,
and the address the site counts is the one nginx saw, whatever the client claims."""

from __future__ import annotations

import http.client
from urllib.parse import urlencode

from tests.nginx_site import ARTICLE, HOST, Site, cookies_of, form_fields, site

__all__ = ["site"]


def post_as_visitor(
    site: Site, text: str, source: str, **headers: str
) -> tuple[http.client.HTTPResponse, str]:
    """Open the article page from `source` (a loopback address) and send its form."""
    page, html = site.request("GET", ARTICLE, source=source)
    assert page.status == 200
    cookies = cookies_of(page)
    assert "csrftoken" in cookies
    form = {**form_fields(html.decode()), "body": text, "website": "", "as": "anonymous"}
    response, body = site.request(
        "POST",
        ARTICLE + "posts/",
        source=source,
        body=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{ARTICLE}",
            **headers,
        },
    )
    return response, body.decode()


def test_a_reader_posts_through_the_proxy_and_sees_the_post(site: Site) -> None:
    response, body = post_as_visitor(site, "Stretching helped my cramps at night.", "127.0.0.2")
    assert response.status in (302, 303), body
    assert response.headers["Location"].startswith(ARTICLE)
    _, page = site.request("GET", ARTICLE, source="127.0.0.9")
    assert "Stretching helped my cramps at night." in page.decode()


def test_a_post_without_the_csrf_cookie_is_refused(site: Site) -> None:
    page, html = site.request("GET", ARTICLE, source="127.0.0.5")
    form = {**form_fields(html.decode()), "body": "No cookie sent with this one."}
    response, _ = site.request(
        "POST",
        ARTICLE + "posts/",
        source="127.0.0.5",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"},
    )
    assert response.status == 403


def test_the_site_counts_the_address_nginx_saw_not_one_the_client_claims(site: Site) -> None:
    # One anonymous post a day per address (the test site's limit).
    first, body = post_as_visitor(site, "Magnesium is worth asking a doctor about.", "127.0.0.3")
    assert first.status in (302, 303), body
    again, body = post_as_visitor(site, "And potassium, from bananas.", "127.0.0.3")
    assert again.status == 429, body
    # A made-up X-Forwarded-For is kept in front of the address nginx appends; it is not read.
    spoofed, body = post_as_visitor(
        site, "Hydration matters too.", "127.0.0.3", **{"X-Forwarded-For": "198.51.100.7"}
    )
    assert spoofed.status == 429, body
    assert "Hydration matters too." in body  # the refused reader keeps the text
    # Another reader, through the same proxy (the same REMOTE_ADDR at the site), is not held up.
    other, body = post_as_visitor(site, "Mine stopped after cutting coffee.", "127.0.0.4")
    assert other.status in (302, 303), body
