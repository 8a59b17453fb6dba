"""The container's health check: asks this container's `knowhow serve` for /healthz.

It names a host the site answers to (the first of KNOWHOW_ALLOWED_HOSTS), so a site that
answers only to its public name is still asked, and exits 0 only on 200.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("KNOWHOW_PORT", "8000").strip() or "8000"
    first = os.environ.get("KNOWHOW_ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
    host = "localhost" if first in ("", "*") else first
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - our own URL
            return 0 if response.status == 200 else 1
    except (OSError, urllib.error.URLError) as error:
        print(f"healthz: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
