"""A progress bar per step for the exchange commands, on standard error (rich)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)


@contextlib.contextmanager
def bars(*, shown: bool) -> Iterator[Callable[[str, int | None], Callable[[int], None]]]:
    """Yield progress(description, total) -> advance(steps); nothing is drawn if not shown."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        disable=not shown,
    ) as progress:

        def start(description: str, total: int | None) -> Callable[[int], None]:
            task = progress.add_task(description, total=total)
            return lambda steps: progress.advance(task, steps)

        yield start
