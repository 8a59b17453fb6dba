"""The compressed pieces of a kept page give, with any values in its holes, exactly the page
those values make: for gzip and brotli, holes anywhere, of any length gzip takes."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import brotli
import pytest

from knowhow.pagecache import compress
from knowhow.pagecache.holes import Hole

TOKEN_CHARS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:._-"


def cut(rng: random.Random, page: bytes) -> list[bytes | Hole]:
    places = sorted(rng.sample(range(1, len(page) - 1), rng.randint(1, 5)))
    parts: list[bytes | Hole] = []
    start = 0
    for place in places:
        parts += [page[start:place], Hole("csrf", "")]
        start = place
    parts.append(page[start:])
    return parts if rng.random() < 0.8 else parts[:-1]  # some pages end with a hole


def filled(parts: list[bytes | Hole], values: list[bytes]) -> bytes:
    left = iter(values)
    return b"".join(part if isinstance(part, bytes) else next(left) for part in parts)


@pytest.mark.parametrize("seed", range(40))
def test_spliced_streams_decompress_to_the_filled_page(seed: int, seed_dir: Path) -> None:
    rng = random.Random(seed)
    page = (
        seed_dir / "page.txt"
    ).read_bytes() * 3  # repeats, which the compressors would like to refer back to
    parts = cut(rng, page)
    lengths = [rng.choice([0, 1, 64, 77, 300]) for part in parts if isinstance(part, Hole)]
    zipped = compress.gzip_pieces(parts)
    broken = compress.brotli_pieces(parts, lengths)
    assert broken is not None
    for _ in range(3):
        values = [bytes(rng.choice(TOKEN_CHARS) for _ in range(n)) for n in lengths]
        assert gzip.decompress(zipped.fill(values)) == filled(parts, values)
        assert brotli.decompress(broken.fill(values)) == filled(parts, values)
    longer = [value + b"x" for value in values]
    assert broken.fill(longer) is None  # another length: not spliced into brotli...
    assert gzip.decompress(zipped.fill(longer)) == filled(parts, longer)  # ...gzip takes it


def test_a_page_holding_the_stand_ins_own_bytes_is_not_spliced_in_brotli() -> None:
    parts: list[bytes | Hole] = [b"<p>a\x01b</p>", Hole("csrf", ""), b"</html>"]
    assert compress.brotli_pieces(parts, [64]) is None
    assert compress.brotli_pieces([Hole("csrf", ""), b"</html>"], [64]) is None


def test_a_page_without_holes_is_compressed_whole(seed_dir: Path) -> None:
    page = (seed_dir / "page.txt").read_bytes()
    pieces = compress.brotli_pieces([page], [])
    assert pieces is not None and brotli.decompress(pieces.fill([])) == page
    assert gzip.decompress(compress.gzip_pieces([page]).fill([])) == page
    assert gzip.decompress(compress.gzip_pieces([]).fill([])) == b""


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        ("gzip, br", ("br", "gzip")),
        ("gzip, deflate, br, zstd", ("br", "gzip")),
        ("br;q=0.5, gzip", ("gzip", "br")),
        ("BR;Q=0.9, GZIP;q=0.9", ("br", "gzip")),
        ("br;q=0, gzip", ("gzip",)),
        ("br;q=0, *", ("gzip",)),
        ("*", ("br", "gzip")),
        ("*;q=0", ()),
        ("gzip;q=0, br;q=0", ()),
        ("identity", ()),
        ("x-gzip", ("gzip",)),
        ("gzip;q=nonsense", ()),
        ("", ()),
    ],
)
def test_accept_encoding_is_read_with_its_q_values(header: str, wanted: tuple[str, ...]) -> None:
    assert compress.accepted(header) == wanted
