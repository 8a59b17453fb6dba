"""The knowhow command: serve, demo, import and every Django management command."""

from __future__ import annotations

import os
import sys

# Exit status for a configuration the site cannot run with, as for a bad command line.
BAD_CONFIGURATION = 2


# What the knowhow command never lets others (not the owner, not the group) read or write,
# whatever the umask it was started with: the database, the key and the mail are private.
# The systemd units' UMask=0027 still lets the group (nginx) read the static files.
PRIVATE_FROM_OTHERS = 0o007


def main(argv: list[str] | None = None) -> None:
    os.umask(os.umask(0) | PRIVATE_FROM_OTHERS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--version"]:
        # The site's version, not Django's (which `knowhow version` still shows).
        from knowhow import __version__

        sys.stdout.write(f"knowhow {__version__}\n")
        return
    try:
        # Settings are read from KNOWHOW_* variables: a bad one is the operator's to fix,
        # named in one line, not a traceback through the settings module.
        if not any(arg.startswith("--settings") for arg in args):
            settings.INSTALLED_APPS  # noqa: B018 - loads the settings now
        execute_from_command_line(["knowhow", *args])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"knowhow: {exc}\n")
        sys.exit(BAD_CONFIGURATION)


if __name__ == "__main__":
    main()
