"""No dead links: every address the demo site links to answers."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlparse

from django.core.management import call_command
from django.test import Client

HREF = re.compile(r'(?:href|src)="([^"]+)"')


def test_every_internal_link_of_the_demo_site_answers(db: None, client: Client) -> None:
    call_command("demo", verbosity=0)
    seen: set[str] = set()
    queue = ["/"]
    broken: list[str] = []
    while queue and len(seen) < 400:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            broken.append(f"{url} -> {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            target = urldefrag(urljoin(url, href.replace("&amp;", "&")))[0]
            parsed = urlparse(target)
            if parsed.netloc or parsed.scheme or parsed.path.startswith("/admin/"):
                continue
            if target and target not in seen:
                queue.append(target)
    assert broken == []
    assert len(seen) > 100, f"only {len(seen)} pages reached"
