"""CPU time and peak memory of storing an uploaded picture, a huge one against a photo.

Each upload runs in a fresh process (peak memory is per process) on a throwaway SQLite
database and media folder. Prints seconds of CPU and peak resident megabytes for the
request's part (upload_image) and the worker's part (the resized copies), and the huge
picture's ratio to an ordinary 1600 × 1000 photograph measured in the same run.

    .venv/bin/python bench/picture_upload.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import io, json, os, resource, sys, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "knowhow.settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.core.files.uploadedfile import SimpleUploadedFile
from knowhow.images import services
from knowhow.images.models import Image

kind, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
upload = SimpleUploadedFile(f"p.{kind.lower()}", data, content_type=f"image/{kind.lower()}")

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

start = cpu()
import inspect
takes = "copies_now" in inspect.signature(services.upload_image).parameters
kwargs = {"copies_now": False} if takes else {}
image = services.upload_image(file=upload, alt="A picture", by=None, **kwargs)
request = cpu() - start
start = cpu()
if not image.renditions:
    services.remake_renditions(Image.objects.get(pk=image.pk))
worker = cpu() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"bytes": len(data), "request": request, "worker": worker, "peak_mb": peak}))
"""


def picture_file(folder: str, kind: str, width: int, height: int) -> str:
    from PIL import Image as Pillow

    picture = Pillow.new("RGB", (width, height), (200, 80, 40))
    picture.paste((20, 20, 120), (0, 0, width // 2, height))
    path = os.path.join(folder, f"{width}x{height}.{kind.lower()}")
    picture.save(path, kind)
    return path


def measure(kind: str, path: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "KNOWHOW_VAR_DIR": var}
        env.pop("KNOWHOW_DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-c", CHILD, kind, path],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases = {
        "photo 1600x1000 JPEG": ("JPEG", 1600, 1000),
        "huge 7000x7000 PNG": ("PNG", 7000, 7000),
        "camera 8000x6000 JPEG": ("JPEG", 8000, 6000),
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory() as folder:
        files = {name: (case[0], picture_file(folder, *case)) for name, case in cases.items()}
        for _ in range(args.runs):
            for name, (kind, path) in files.items():
                results[name].append(measure(kind, path))
    medians = {}
    for name, runs in results.items():
        medians[name] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        m = medians[name]
        print(
            f"{name:22} file {m['bytes'] / 1024:8.0f} kB  request CPU {m['request']:6.2f} s  "
            f"worker CPU {m['worker']:6.2f} s  peak {m['peak_mb']:6.0f} MB"
        )
    base = medians["photo 1600x1000 JPEG"]
    for name in list(cases)[1:]:
        big = medians[name]
        print(
            f"{name} / photo: request CPU {big['request'] / max(base['request'], 1e-3):.1f} x, "
            f"peak memory {big['peak_mb'] / base['peak_mb']:.1f} x"
        )


if __name__ == "__main__":
    main()
