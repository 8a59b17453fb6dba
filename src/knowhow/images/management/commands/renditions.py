"""knowhow renditions: make every picture's resized copies again (after WIDTHS or quality
change, or a media folder restored without them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from knowhow.images.models import Image
from knowhow.images.services import remake_renditions


class Command(BaseCommand):
    help = "Make the resized copies of every uploaded picture (or of those named) again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="only these pictures (by id)")

    def handle(self, *args: Any, ids: list[int], **options: Any) -> None:
        images = Image.objects.order_by("pk")
        missing: list[int] = []
        if ids:
            images = images.filter(pk__in=ids)
            missing = sorted(set(ids) - set(images.values_list("pk", flat=True)))
            if missing:
                self.stderr.write(f"No picture with id {', '.join(map(str, missing))}.")
        remade = unchanged = failed = 0
        for image in images.iterator(chunk_size=100):
            try:
                if remake_renditions(image):
                    remade += 1
                else:
                    unchanged += 1
            except (OSError, ValueError) as error:
                failed += 1
                self.stderr.write(f"Picture {image.pk} ({image.file.name}): {error}")
        self.stdout.write(f"{remade} remade, {unchanged} already up to date, {failed} failed.")
        if failed or missing:
            raise SystemExit(1)
