"""Never stale, for real: two server processes, and a write of every kind.

Two `knowhow serve` processes share the database. On SQLite they share the data folder,
so the versions file; on the PostgreSQL + Redis pass each has its own data folder, so only
Redis ties them together, as with servers on several machines. Before each write both have
the page in memory; after the write's response, both show the change.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_serve import KNOWHOW, _env, _free_port

SPASMS = "/articles/what-are-involuntary-muscle-spasms/"
SKY = "/articles/why-is-the-sky-blue/"
LEASE = 1.0


@dataclass
class Site:
    servers: list[str]
    env: dict[str, str]

    def shell(self, code: str) -> str:
        done = subprocess.run(
            [KNOWHOW, "shell", "-v0", "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[str, str]:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode(), response.headers.get("X-Cache", "")

    def post(self, url: str, fields: dict[str, str]) -> str:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def form(self, url: str) -> dict[str, str]:
        page, _ = self.get(url)
        found = dict(re.findall(r'name="(csrfmiddlewaretoken|issued)" value="([^"]*)"', page))
        return {name: html.unescape(value) for name, value in found.items()}


def anonymous(url: str) -> tuple[str, str]:
    request = urllib.request.Request(url)  # no cookies: what the page cache answers
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode(), response.headers.get("X-Cache", "")


def _database(tmp: Path) -> tuple[str, str | None]:
    """A database of its own for the served site, and the PostgreSQL one to drop after."""
    url = os.environ.get("KNOWHOW_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'served.sqlite3'}", None
    import psycopg

    name = f"knowhow_served_{os.getpid()}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}", name


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("served-cache")
    database, to_drop = _database(tmp)
    cache_url = os.environ.get("KNOWHOW_CACHE_URL", "")
    shared_folder = not cache_url.startswith("redis")
    processes, bases = [], []
    env = {}
    try:
        for n in range(2):
            var_dir = tmp / ("var" if shared_folder else f"var-{n}")
            env = _env(var_dir)
            env.update(
                KNOWHOW_DATABASE_URL=database,
                KNOWHOW_SECRET_KEY="served-cache-test-key",
                KNOWHOW_MIN_SUBMIT_SECONDS="0",
                KNOWHOW_POST_RATE_ANONYMOUS="1000/1m",
                KNOWHOW_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
                KNOWHOW_PAGE_CACHE_LEASE_SECONDS=str(LEASE),
            )
            if cache_url:
                env["KNOWHOW_CACHE_URL"] = cache_url
            if n == 0:
                subprocess.run([KNOWHOW, "migrate", "-v0"], env=env, check=True, timeout=180)
                subprocess.run([KNOWHOW, "demo"], env=env, check=True, timeout=180)
            if n == 0 or not shared_folder:
                static = [KNOWHOW, "collectstatic", "--noinput", "-v0"]
                subprocess.run(static, env=env, check=True, timeout=180)
            port = _free_port()
            log = (tmp / f"serve-{n}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [KNOWHOW, "serve", "--port", str(port), "--workers", "1", "--no-worker"]
                    + ["--no-collectstatic"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for n, base in enumerate(bases):
            deadline = time.monotonic() + 120
            while True:
                try:
                    anonymous(base + "/")
                    break
                except OSError:
                    output = (tmp / f"serve-{n}.log").read_text()
                    assert processes[n].poll() is None, output
                    assert time.monotonic() < deadline, output
                    time.sleep(0.2)
        yield Site(bases, env)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        if to_drop:
            import psycopg

            server = database.rsplit("/", 1)[0]
            with psycopg.connect(server + "/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{to_drop}"')


def warm(site: Site, *paths: str) -> None:
    """Both servers hold the pages in memory."""
    if os.environ.get("KNOWHOW_CACHE_URL", "").startswith("redis"):
        # Each test begins with Redis emptied (conftest), as after a restart: the servers
        # see it at their next lease renewal and keep nothing from before.
        time.sleep(LEASE / 2)
    for base in site.servers:
        for path in paths:
            anonymous(base + path)
            _, how = anonymous(base + path)
            assert how == "HIT", (base, path)


def everywhere(site: Site, path: str, text: str) -> None:
    for base in site.servers:
        page, how = anonymous(base + path)
        assert text in page, (base, path, how)


def test_a_post_and_its_edit_and_deletion_show_at_once_in_both_servers(site: Site) -> None:
    warm(site, SPASMS, SKY)
    reader = Browser()
    url = site.servers[0] + SPASMS
    reader.post(url + "posts/", {**reader.form(url), "body": "Served post, first words."})
    everywhere(site, SPASMS, "Served post, first words.")
    for base in site.servers:  # another article's page was not touched
        assert anonymous(base + SKY)[1] == "HIT"

    number = re.findall(r'id="post-(\d+)"', anonymous(site.servers[1] + SPASMS)[0])[0]
    edit = f"{url}posts/{number}/edit/"
    page, _ = reader.get(edit)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    reader.post(edit, {"csrfmiddlewaretoken": token, "body": "Served post, corrected."})
    everywhere(site, SPASMS, "Served post, corrected.")

    delete = f"{url}posts/{number}/delete/"
    page, _ = reader.get(delete)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    reader.post(delete, {"csrfmiddlewaretoken": token})
    for base in site.servers:
        page, _ = anonymous(base + SPASMS)
        assert "Served post, corrected." not in page
        assert "A post here was removed by its author." in page


def test_a_moderators_decision_in_another_process_shows_in_both(site: Site) -> None:
    number = site.shell(
        "from knowhow.articles.models import Article\n"
        "from knowhow.discussion.services import post_comment\n"
        "article = Article.objects.get(slug='why-is-the-sky-blue')\n"
        "print(post_comment(article=article, body='Buy cheap sunglasses here.').number)\n"
    ).strip()
    warm(site, SKY)
    everywhere(site, SKY, "Buy cheap sunglasses here.")
    site.shell(
        "from knowhow.discussion.models import Post\n"
        "from knowhow.moderation.services import remove_post\n"
        f"post = Post.objects.get(article__slug='why-is-the-sky-blue', number={number})\n"
        "remove_post(post=post, note='served test')\n"
    )
    for base in site.servers:
        page, _ = anonymous(base + SKY)
        assert "Buy cheap sunglasses here." not in page
        assert "A post here was removed by a moderator." in page


def test_an_article_published_from_the_newsroom_shows_in_both(site: Site) -> None:
    site.shell(
        "from django.contrib.auth.models import Group, User\n"
        "chief = User.objects.create_user('chief', 'chief@example.org', 'correct horse 42')\n"
        "chief.groups.add(Group.objects.get(name='editor'))\n"
    )
    warm(site, SKY, "/articles/", "/topics/science/")
    editor = Browser()
    login = site.servers[0] + "/accounts/login/"
    editor.post(login, {**editor.form(login), "username": "chief", "password": "correct horse 42"})
    article_id = site.shell(
        "from knowhow.articles.models import Article\n"
        "print(Article.objects.get(slug='why-is-the-sky-blue').pk)\n"
    ).strip()
    edit = f"{site.servers[0]}/newsroom/articles/{article_id}/edit/"
    page, _ = editor.get(edit)
    form = page.split('class="editor-form"')[1].split("</form>")[0]
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    }
    fields.update(re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected>',
                             form, re.S))  # fmt: skip
    fields.update(
        (name, html.unescape(text))
        for name, text in re.findall(
            r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S
        )
    )
    fields.update(title="Why is the Sky Blue, Not Violet?", do="save")
    editor.post(edit, fields)
    publish = f"{site.servers[0]}/newsroom/articles/{article_id}/do/publish/"
    editor.post(publish, {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]})
    for path in (SKY, "/articles/", "/topics/science/"):
        everywhere(site, path, "Why is the Sky Blue, Not Violet?")


def test_an_import_from_the_shell_shows_in_both(site: Site, tmp_path: Path) -> None:
    warm(site, SPASMS, "/articles/")
    source = tmp_path / "spasms.md"
    source.write_text(
        "---\ntitle: What are Involuntary Muscle Spasms?\n"
        "slug: what-are-involuntary-muscle-spasms\nwritten_by: Helen Marsh\n"
        "last_modified: 2026-11-20\ntopic: Health\n---\n\n"
        "A rewritten first paragraph, imported from another process.\n"
    )
    subprocess.run([KNOWHOW, "import", str(source)], env=site.env, check=True, timeout=120)
    everywhere(site, SPASMS, "A rewritten first paragraph, imported from another process.")
    everywhere(site, "/articles/", "20 November 2026")


def test_a_changed_fact_shows_in_both(site: Site) -> None:
    warm(site, "/", "/facts/")
    site.shell(
        "from knowhow.facts.models import Fact\n"
        "for fact in Fact.objects.all():\n"
        "    fact.text = f'Rewritten fact number {fact.pk}.'\n"
        "    fact.save()\n"
    )
    everywhere(site, "/", "Rewritten fact number")
    everywhere(site, "/facts/", "Rewritten fact number")


def test_an_operator_or_an_upgrade_drops_every_page(site: Site) -> None:
    warm(site, SPASMS)
    time.sleep(5.1)  # each process reports at most every five seconds, when it serves
    warm(site, SPASMS)
    env = dict(site.env)
    reported = subprocess.run(
        [KNOWHOW, "pagecache", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    found = json.loads(reported.stdout)
    assert found and all(r["entries"] >= 1 and r["hits"] >= 1 for r in found)
    table = subprocess.run(
        [KNOWHOW, "pagecache"], env=env, capture_output=True, text=True, timeout=60
    ).stdout
    assert "hit %" in table and str(found[0]["pid"]) in table
    subprocess.run([KNOWHOW, "pagecache", "clear"], env=env, check=True, timeout=60)
    for base in site.servers:
        assert anonymous(base + SPASMS)[1] == "MISS"
    # An upgrade's migrate drops them too: the new code may draw every page differently.
    warm(site, SPASMS)
    assert anonymous(site.servers[0] + SPASMS)[1] == "HIT"
    subprocess.run([KNOWHOW, "migrate", "--noinput"], env=env, check=True, timeout=120)
    for base in site.servers:
        assert anonymous(base + SPASMS)[1] == "MISS"


def test_a_server_stopped_during_a_write_never_serves_the_old_page(site: Site) -> None:
    if not os.environ.get("KNOWHOW_CACHE_URL", "").startswith("redis"):
        pytest.skip("servers on several machines: the PostgreSQL + Redis pass")
    warm(site, SKY)
    # The second server's one worker process, frozen with the page in its memory.
    run = Path(site.env["KNOWHOW_VAR_DIR"]) / "run"
    (report,) = run.glob("page-cache-*.json")
    worker = int(json.loads(report.read_text())["pid"])
    os.kill(worker, signal.SIGSTOP)
    try:
        reader = Browser()
        url = site.servers[0] + SKY
        fields = reader.form(url)
        started = time.monotonic()
        reader.post(url + "posts/", {**fields, "body": "Posted while a server was frozen."})
        waited = time.monotonic() - started
    finally:
        os.kill(worker, signal.SIGCONT)
    # The write waited for the frozen server's lease to lapse at most, and no longer.
    assert waited < LEASE * 1.4 + 1.0
    page, _ = anonymous(site.servers[1] + SKY)
    assert "Posted while a server was frozen." in page


def _sign_in(browser: Browser, base: str, username: str, password: str) -> None:
    fields = browser.form(base + "/accounts/login/")
    fields.update(username=username, password=password, next="/")
    browser.post(base + "/accounts/login/", fields)
    assert any(cookie.name == "sessionid" for cookie in browser.jar)


def _signed_in_as(browser: Browser, url: str, username: str) -> bool:
    page, _ = browser.get(url)
    return f"Post as {username}" in page


def test_a_session_ended_in_one_server_is_refused_by_both_at_once(site: Site) -> None:
    # Two browsers on one account; each server keeps the reader's page, session and account.
    site.shell(
        "from django.contrib.auth.models import User\n"
        "User.objects.create_user('twice', password='first password 42')"
    )
    first, second, third = Browser(), Browser(), Browser()
    for browser in (first, second):
        _sign_in(browser, site.servers[0], "twice", "first password 42")
    for base in site.servers:
        for browser in (first, second):
            assert _signed_in_as(browser, base + SPASMS, "twice")
            page, how = browser.get(base + SPASMS)
            assert how == "HIT" and "Post as twice" in page
    # Signing out in the other server: that session is refused by both on its next page.
    fields = first.form(site.servers[1] + SPASMS)
    first.post(
        site.servers[1] + "/accounts/logout/",
        {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]},
    )
    for base in site.servers:
        assert not _signed_in_as(first, base + SPASMS, "twice")
        assert _signed_in_as(second, base + SPASMS, "twice")
    # A new password, set anywhere, signs out the account's other sessions at once.
    site.shell(
        "from django.contrib.auth.models import User\n"
        "user = User.objects.get(username='twice')\n"
        "user.set_password('second password 42')\n"
        "user.save()"
    )
    for base in site.servers:
        page, _ = second.get(base + SPASMS)
        assert "Post as twice" not in page and "Sign in" in page
    # A ban on the account: the next page of each server says so instead of the form.
    _sign_in(third, site.servers[1], "twice", "second password 42")
    for base in site.servers:
        assert _signed_in_as(third, base + SPASMS, "twice")
        assert _signed_in_as(third, base + SPASMS, "twice")
    site.shell(
        "from django.contrib.auth.models import User\n"
        "from knowhow.antiabuse.models import Ban\n"
        "Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=User.objects.get(username='twice'),"
        " reader_reason='Insults.')"
    )
    for base in site.servers:
        page, how = third.get(base + SPASMS)
        assert how != "HIT" and "You cannot post at the moment" in page
        assert 'name="body"' not in page
    # A deactivated account: no page of either server shows it signed in.
    site.shell(
        "from django.contrib.auth.models import User\n"
        "User.objects.filter(username='twice').update(is_active=False)\n"
        "User.objects.get(username='twice').save()"
    )
    for base in site.servers:
        page, _ = third.get(base + SPASMS)
        assert "Post as twice" not in page and "You cannot post" not in page


def test_a_role_given_or_taken_in_one_place_shows_in_both_servers_at_once(site: Site) -> None:
    site.shell(
        "from django.contrib.auth.models import User\n"
        "User.objects.create_user('warden', password='first password 42')"
    )
    browser = Browser()
    _sign_in(browser, site.servers[0], "warden", "first password 42")
    grant = (
        "from django.contrib.auth.models import Permission, User\n"
        "user = User.objects.get(username='warden')\n"
        "user.user_permissions.{}(Permission.objects.get(codename='moderate_post'))"
    )
    for given in (True, False, True):
        site.shell(grant.format("add" if given else "remove"))
        for base in site.servers:
            for path in (SPASMS, "/moderation/"):
                try:
                    page, _ = browser.get(base + path)
                except urllib.error.HTTPError as refused:
                    assert refused.code == 403 and not given and path != SPASMS, (base, path)
                    continue
                assert (">Moderation</a>" in page) == given, (base, path)
                if path == SPASMS:
                    assert ('class="mod-controls"' in page) == given and "Post as warden" in page
