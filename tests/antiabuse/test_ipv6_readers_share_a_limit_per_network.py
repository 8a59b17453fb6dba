"""Anonymous posting limits count an IPv6 reader by the /64 they may take any address
from, and an IPv4 reader by their own address."""

from __future__ import annotations

from django.test import Client

from knowhow.articles.models import Article
from tests.conftest import form_data


def test_ipv6_addresses_in_one_64_share_one_posting_limit(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.POST_RATE_ANONYMOUS = [(2, 600)]
    url = f"{article.get_absolute_url()}posts/"
    for n, address in enumerate(["2001:db8:5:6::1", "2001:db8:5:6::2"]):
        answer = Client().post(url, form_data(article, f"Remark {n}."), REMOTE_ADDR=address)
        assert answer.status_code == 302
    rotated = Client().post(
        url, form_data(article, "A fresh address, the same reader."), REMOTE_ADDR="2001:db8:5:6::3"
    )
    assert rotated.status_code == 429
    assert "A fresh address, the same reader." in rotated.content.decode()  # the text stays
    elsewhere = Client().post(
        url, form_data(article, "Another network entirely."), REMOTE_ADDR="2001:db8:5:7::1"
    )
    assert elsewhere.status_code == 302
    # An IPv4 address is a reader of its own: neighbours in a /24 keep their own limits.
    # So is one a dual-stack server names in IPv6 form.
    neighbours = ["203.0.113.1", "203.0.113.2", "::ffff:203.0.113.3", "::ffff:203.0.113.4"]
    for n, address in enumerate([*neighbours, "::ffff:203.0.113.5"]):
        neighbour = Client().post(url, form_data(article, f"From home {n}."), REMOTE_ADDR=address)
        assert neighbour.status_code == 302
