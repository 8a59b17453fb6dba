"""nginx on the host in front of the containers (deploy/container/compose.yaml), with the
shipped site file cut as README and the compose file say: it reads nothing from the host's
data folder, and pages, static files and uploaded pictures all arrive through it."""

from __future__ import annotations

import re

from tests.images import pictures
from tests.nginx_site import ARTICLE, SITE_CONF, Site, container_site, for_containers

__all__ = ["container_site"]


def test_the_cut_file_names_no_folder_of_the_host() -> None:
    cut = for_containers(SITE_CONF.read_text())
    assert "/var/lib/knowhow" not in cut
    assert "location /static/" not in cut and "location /media/" not in cut
    assert "location / {" in cut and "/.well-known/acme-challenge/" in cut


def test_pages_static_files_and_pictures_arrive_through_it(container_site: Site) -> None:
    page, html = container_site.request("GET", ARTICLE)
    assert page.status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html.decode())
    assert stylesheet
    answer, _ = container_site.request("GET", stylesheet.group(1))
    assert answer.status == 200

    # A picture as the upload service stores it, in a data folder nginx cannot see.
    picture = pictures.jpeg(64, 48)
    stored = container_site.var_dir / "media" / "images" / "ab" / "ab12cd34ef56ab12cd34ef56.jpg"
    stored.parent.mkdir(parents=True, exist_ok=True)  # the demo's pictures may share it
    stored.write_bytes(picture)
    answer, body = container_site.request("GET", "/media/images/ab/ab12cd34ef56ab12cd34ef56.jpg")
    assert answer.status == 200 and body == picture
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in answer.headers["Cache-Control"]
