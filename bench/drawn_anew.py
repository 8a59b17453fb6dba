"""The CPU of the discussion's pages drawn anew, with each post's kept HTML and without.

Sets up a throwaway site in this process (SQLite in a temporary folder, or the empty
PostgreSQL database --database-url names; the demo content, 50 posts on one article, 20
held and 10 reported posts, a reader and a moderator: bench/serve.py's site) and asks
each page of Django's test client, the whole middleware stack. Before every request the
kept pages and kept parts are emptied, so each figure is the page as drawn after a write;
"each post's HTML kept" leaves the kept posts (and only them) in place, as a write leaves
every post it did not change. "without" switches the kept posts off (the baseline, the
same run). "kept page" empties nothing: what a moderator gets while nothing changes.

Prints the CPU time of the process per page (time.process_time: other work on the machine
barely moves it), p50 and p99, and the ratio of the two ways.

    .venv/bin/python bench/drawn_anew.py [--times 40] [--profile CASE]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * percent / 100) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=40, help="requests per page and way (40)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database for the site")
    parser.add_argument("--profile", help="profile this case (anonymous, reader, moderator, "
                        "queue) drawn anew without kept posts, then with them")  # fmt: skip
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="knowhow-drawn-anew-")
    for name in [name for name in os.environ if name.startswith("KNOWHOW_")]:
        del os.environ[name]
    os.environ["KNOWHOW_VAR_DIR"] = work
    if options.database_url:
        os.environ["KNOWHOW_DATABASE_URL"] = options.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "knowhow.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from knowhow.pagecache.fragments import fragments

    sys.path.insert(0, str(BENCH))
    from serve import MODERATOR, READER, SETUP

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) as said:
        exec(SETUP, {})  # noqa: S102 - the bench's own setup code
    import json

    article = json.loads(said.getvalue().strip().splitlines()[-1])["article"]
    users = get_user_model().objects
    clients = {"anonymous": Client()}
    clients["reader"] = Client()
    clients["reader"].force_login(users.get(username=READER))
    clients["moderator"] = Client()
    clients["moderator"].force_login(users.get(username=MODERATOR))
    url = f"/articles/{article}/"
    cases = {
        "anonymous": ("anonymous", url),
        "reader": ("reader", url),
        "moderator": ("moderator", url),
        "queue": ("moderator", "/moderation/"),
    }
    plain = override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    })  # fmt: skip

    def ask(case: str, kept_posts: bool, keep_all: bool = False) -> float:
        who, path = cases[case]
        if not keep_all:
            cache.clear()
            fragments().clear(keep_content=True)  # unused when switched off
        with override_settings(DISCUSSION_KEEP_POSTS=kept_posts):
            start = time.process_time()
            response = clients[who].get(path, HTTP_HOST="localhost")
            spent = (time.process_time() - start) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return spent

    with plain:
        for case in cases:  # templates, imports and the kept posts, once
            ask(case, True)
            ask(case, False)
        if options.profile:
            for kept in (False, True):
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(options.times):
                    ask(options.profile, kept)
                profile.disable()
                print(f"\n{options.profile}, drawn anew, kept posts {'on' if kept else 'off'}:")
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)
            return
        print(f"{'page, CPU ms per request':<44}{'without p50':>12}{'p99':>8}"
              f"{'kept p50':>10}{'p99':>8}{'p50 ×':>8}")  # fmt: skip
        ways = {"drawn anew": False, "kept page": True}
        for label, keep_all in ways.items():
            for case in cases:
                without, kept = [], []
                for _ in range(options.times):  # alternating: drift touches both alike
                    without.append(ask(case, False, keep_all))
                    kept.append(ask(case, True, keep_all))
                ratio = _p(kept, 50) / _p(without, 50)
                print(f"{case + ', ' + label:<44}{_p(without, 50):>12.1f}{_p(without, 99):>8.1f}"
                      f"{_p(kept, 50):>10.1f}{_p(kept, 99):>8.1f}{ratio:>8.2f}")  # fmt: skip
    print(os.getloadavg(), "load average at the end")


if __name__ == "__main__":
    main()
