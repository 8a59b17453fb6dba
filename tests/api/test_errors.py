"""One error body everywhere: {"code", "message", "errors"}, ninja's own refusals too."""

from __future__ import annotations

from knowhow.articles.models import Article
from tests.api.conftest import TokenClient


def _is_error(response: object, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body  # type: ignore[no-any-return]


def test_every_refusal_has_the_one_body(as_reader: TokenClient, article: Article) -> None:
    posts = f"/api/v1/articles/{article.slug}/posts/"
    _is_error(as_reader.post(posts, "{not json", content_type="application/json"), 400,
              "bad_json")  # fmt: skip
    _is_error(as_reader.post(posts, "body=x", content_type="application/x-www-form-urlencoded"),
              415, "json_only")  # fmt: skip
    body = _is_error(as_reader.send("POST", posts, {"body": 5, "reply_to": "x"}), 400, "invalid")
    assert set(body["errors"]) == {"body", "reply_to"}  # type: ignore[arg-type]
    body = _is_error(as_reader.send("PUT", posts, {"body": "x"}), 405, "method_not_allowed")
    _is_error(as_reader.get(posts + "abc/"), 400, "invalid")
    _is_error(as_reader.get("/api/v1/articles"), 404, "not_found")
    _is_error(as_reader.get("/api/v1/articles/nothing/"), 404, "not_found")
    _is_error(TokenClient("kh_nope_nope").get("/api/v1/articles/"), 401, "invalid_token")


def test_a_405_names_the_methods_the_address_takes(
    as_reader: TokenClient, article: Article
) -> None:
    response = as_reader.send("PUT", f"/api/v1/articles/{article.slug}/posts/", {})
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_anyone_may_read_and_is_told_what_they_may_do(article: Article) -> None:
    assert TokenClient().get("/api/v1/articles/").status_code == 200
    assert TokenClient().get("/api/v1/me/").json() == {
        "username": None,
        "scopes": ["post", "read"],
        "token": None,
    }


def test_another_sites_page_cannot_post_with_its_visitors_browser(
    article: Article, anyone: TokenClient
) -> None:
    """A form or text sent across sites needs no permission from the browser; JSON does."""
    posts = f"/api/v1/articles/{article.slug}/posts/"
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        sent = anyone.post(posts, '{"body": "Sent from elsewhere"}', content_type=content_type)
        assert sent.status_code == 415, content_type
        assert sent.json()["code"] == "json_only"
    # A multipart body that is no multipart: refused before the API is asked, in its words.
    sent = anyone.post(posts, '{"body": "Sent from elsewhere"}', content_type="multipart/form-data")
    assert sent.status_code == 400
    assert sent.json()["code"] == "unreadable"
    assert anyone.get(posts).json()["items"] == []


def test_a_request_the_site_cannot_read_gets_the_api_body(anyone: TokenClient) -> None:
    response = anyone.get("/api/v1/search/?q=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable"
    assert "NUL" in response.json()["message"]
