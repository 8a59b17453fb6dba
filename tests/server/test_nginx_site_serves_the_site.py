"""The shipped nginx site in front of `knowhow serve`: pages over HTTPS with one HSTS
header, plain HTTP sent to HTTPS, static files from disk with long cache headers, and
forms as large as the site accepts reaching it."""

from __future__ import annotations

import http.client
import re

from tests.nginx_site import ARTICLE, HOST, Site, site

__all__ = ["site"]


def test_article_page_is_served_over_https_with_one_hsts_header(site: Site) -> None:
    response, body = site.request("GET", ARTICLE)
    assert response.status == 200
    html = body.decode()
    assert "What are Involuntary Muscle Spasms?" in html and "Discuss this Article" in html
    # Sent once, by the site (KNOWHOW_HSTS_SECONDS): nginx adds no second, different one.
    assert response.headers.get_all("Strict-Transport-Security") == ["max-age=31536000"]
    assert response.headers["Server"] == "nginx"  # no version for a scanner to look up


def test_plain_http_is_redirected_to_https_but_healthz_answers(site: Site) -> None:
    plain = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=30)
    plain.request("GET", ARTICLE + "?page=2", headers={"Host": HOST})
    redirect = plain.getresponse()
    redirect.read()
    assert redirect.status == 301
    assert redirect.headers["Location"] == f"https://{HOST}{ARTICLE}?page=2"
    plain.request("GET", "/healthz", headers={"Host": HOST})
    health = plain.getresponse()
    assert health.status == 200
    assert b'"status": "ok"' in health.read()
    plain.close()


def test_a_certificate_renewal_is_answered_over_plain_http(site: Site) -> None:
    plain = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=30)
    plain.request("GET", "/.well-known/acme-challenge/renewal-token", headers={"Host": HOST})
    answer = plain.getresponse()
    assert (answer.status, answer.read()) == (200, b"renewal-token.proof")
    plain.close()


def test_static_css_comes_from_disk_cached_for_a_year(site: Site) -> None:
    _, body = site.request("GET", ARTICLE)
    css = re.search(
        r'rel="stylesheet" href="(/static/knowhow/site\.[0-9a-f]{12}\.css)"', body.decode()
    )
    assert css, "the page names no hashed stylesheet"
    response, content = site.request("GET", css.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert response.headers["Content-Type"] == "text/css"
    # The compressed copy collected beside it, sent as it is on disk.
    assert response.headers["Content-Encoding"] == "gzip"
    assert (
        site.var_dir / "static" / (css.group(1).removeprefix("/static/") + ".gz")
    ).read_bytes() == content


def test_a_file_without_a_hash_in_its_name_is_kept_an_hour_only(site: Site) -> None:
    response, _ = site.request("GET", "/static/knowhow/site.css")
    assert response.status == 200
    assert response.headers.get_all("Cache-Control") == ["public, max-age=3600"]


def test_a_form_as_large_as_the_site_accepts_reaches_the_site(site: Site) -> None:
    # Over the site's 2 MB: the site's own page says why, not nginx's bare 413.
    response, body = site.request(
        "POST",
        ARTICLE + "posts/",
        body="body=" + "a" * (2_700_000),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 413
    assert "larger than the site accepts" in body.decode()  # the site's page, not nginx's
