"""Error pages in the site's style."""

from __future__ import annotations

from unittest import mock

from django.test import Client

from tests.pages import visible_text


def test_unknown_address_gets_the_sites_404(client: Client, db: None) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = visible_text(response.content)
    assert "Page not found" in text and "Go to the home page" in text


def test_server_error_gets_the_500_page(db: None) -> None:
    client = Client(raise_request_exception=False)
    boom = RuntimeError("boom")
    with mock.patch("knowhow.site.views.articles.recent_articles", side_effect=boom):
        response = client.get("/")
    assert response.status_code == 500
    text = visible_text(response.content)
    assert "Something went wrong" in text
    assert "boom" not in text


def test_expired_form_explains_itself(article, db: None) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{article.get_absolute_url()}posts/", {"body": "hello"})
    assert response.status_code == 403
    assert "This form has expired" in visible_text(response.content)


def test_refusal_gets_the_sites_403_with_the_reason(article, reader, db: None) -> None:  # type: ignore[no-untyped-def]
    from knowhow.discussion.services import post_comment

    post_comment(article=article, body="Not yours.", author=reader)
    response = Client().post(f"{article.get_absolute_url()}posts/1/edit/", {"body": "x"})
    assert response.status_code == 403
    text = visible_text(response.content)
    assert "You can’t do that here" in text
    assert "Only the author can change a post" in text
