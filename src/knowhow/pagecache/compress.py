"""Kept pages stored compressed (gzip and brotli), their holes filled without compressing
the page again.

A kept page is literal bytes with holes between them (holes.py): a visitor's CSRF token,
the signed time their form was shown. Each encoding is prepared once, when the page is
kept, as compressed pieces of the literal parts; each answer writes the visitor's values
between them as stored (uncompressed) blocks, which both formats have:

- gzip: each literal part is deflated and ended with a full flush, so the stream is byte
  aligned there and nothing after it refers back across the hole (whose length differs
  from one visitor to the next). A hole is one or more stored blocks. The CRC-32 of the
  whole page is carried from part to part: a literal part's is worked out from the CRC so
  far with tables made when the page was kept, four lookups instead of reading the page.
- brotli: the encoder flushes (byte aligned) before and after each hole, and is shown a
  stand-in of the hole's exact length made of control bytes that appear nowhere else in
  the page, so nothing after refers into it; the stand-in's compressed bytes are replaced
  by an uncompressed meta-block holding the visitor's value. Quality 4 and below model
  literals without the bytes before them, so the value's own bytes change nothing that
  follows. A hole whose value has another length than the one kept (a reader's name) is
  answered in gzip instead.

Measured on the seed article (bench/compressed.py): see docs/operators/page-cache.md.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import brotli

from knowhow.pagecache.holes import Hole

GZIP_LEVEL = 9
# Above 4 brotli picks how to code each literal from the two bytes before it, which a
# filled hole changes (see above); 4 still beats gzip -9 on the seed article.
BROTLI_QUALITY = 4
# A page without holes is compressed once as a whole, with context modelling (a fraction of
# a millisecond for the seed article; 9 and above take tens of milliseconds for little more).
BROTLI_QUALITY_WHOLE = 6
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_LAST_EMPTY_STORED = b"\x01\x00\x00\xff\xff"
# Bytes that never stand in a page: the stand-ins of holes for brotli are made of them.
_STAND_IN_ALPHABET = bytes([*range(1, 9), 11, *range(14, 32), 127])


@dataclass(frozen=True, slots=True)
class _CrcStep:
    """How the CRC-32 of the page so far moves past one literal part: crc(part, c) is
    base ^ the four tables' entries for c's four bytes."""

    base: int
    tables: tuple[tuple[int, ...], ...]
    length: int

    def after(self, crc: int) -> int:
        t0, t1, t2, t3 = self.tables
        return (
            self.base
            ^ t0[crc & 0xFF]
            ^ t1[(crc >> 8) & 0xFF]
            ^ t2[(crc >> 16) & 0xFF]
            ^ t3[crc >> 24]
        )


def _crc_step(data: bytes) -> _CrcStep:
    base = zlib.crc32(data, 0)
    # zlib.crc32(data, c) ^ base is linear in c: worked out for each of c's 32 bits...
    bits = [zlib.crc32(data, 1 << bit) ^ base for bit in range(32)]
    tables = []
    for byte in range(4):
        table = [0] * 256
        for value in range(1, 256):
            low = value & -value  # ...and combined for each value of each byte
            table[value] = table[value ^ low] ^ bits[8 * byte + low.bit_length() - 1]
        tables.append(tuple(table))
    return _CrcStep(base, tuple(tables), len(data))


def _stored_blocks(value: bytes) -> bytes:
    out = []
    for start in range(0, len(value), 65535):
        chunk = value[start : start + 65535]
        out.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(out)


def _uncompressed_metablock(value: bytes) -> bytes:
    out = []
    for start in range(0, len(value), 65536):
        chunk = value[start : start + 65536]
        # ISLAST 0, MNIBBLES 4 (code 0), MLEN-1 in 16 bits, ISUNCOMPRESSED 1, padding.
        header = ((len(chunk) - 1) << 3) | (1 << 19)
        out.append(header.to_bytes(3, "little") + chunk)
    return b"".join(out)


@dataclass(frozen=True, slots=True)
class Gzip:
    """A page's gzip pieces: deflated literal parts with their CRC steps, and holes."""

    pieces: tuple[tuple[bytes, _CrcStep] | Hole, ...]
    tail: bytes
    size: int

    def fill(self, values: Sequence[bytes]) -> bytes:
        """The whole gzip stream with these values in the holes, in order."""
        out = [_GZIP_HEADER]
        crc = 0
        length = 0
        holes = iter(values)
        for piece in self.pieces:
            if isinstance(piece, Hole):
                value = next(holes)
                if value:
                    out.append(_stored_blocks(value))
                    crc = zlib.crc32(value, crc)
                    length += len(value)
            else:
                data, step = piece
                out.append(data)
                crc = step.after(crc)
                length += step.length
        out.append(self.tail)
        out.append(struct.pack("<II", crc, length & 0xFFFFFFFF))
        return b"".join(out)


@dataclass(frozen=True, slots=True)
class Brotli:
    """A page's brotli pieces: compressed literal parts, and holes of a known length."""

    pieces: tuple[bytes | tuple[Hole, int], ...]
    size: int

    def fill(self, values: Sequence[bytes]) -> bytes | None:
        """The brotli stream with these values in the holes; None when one has not the
        length its stand-in had."""
        out = []
        holes = iter(values)
        for piece in self.pieces:
            if isinstance(piece, bytes):
                out.append(piece)
                continue
            value = next(holes)
            if len(value) != piece[1]:
                return None
            if value:
                out.append(_uncompressed_metablock(value))
        return b"".join(out)


def gzip_pieces(parts: Iterable[bytes | Hole]) -> Gzip:
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15, 9)
    pieces: list[tuple[bytes, _CrcStep] | Hole] = []
    for part in parts:
        if isinstance(part, Hole):
            pieces.append(part)
        elif part:
            data = deflate.compress(part) + deflate.flush(zlib.Z_FULL_FLUSH)
            pieces.append((data, _crc_step(part)))
    tail = deflate.flush(zlib.Z_FINISH)
    if not tail.strip(b"\x00"):  # nothing was written: an empty final block
        tail = _LAST_EMPTY_STORED
    size = sum(len(p[0]) for p in pieces if not isinstance(p, Hole)) + len(tail) + 18
    return Gzip(tuple(pieces), tail, size)


def brotli_pieces(parts: Sequence[bytes | Hole], lengths: Sequence[int]) -> Brotli | None:
    """Brotli pieces for a page whose holes have these lengths (in order), or None when
    the page cannot be spliced safely: it starts with a hole, or holds the stand-ins'
    bytes itself."""
    if parts and isinstance(parts[0], Hole):
        return None
    literal = b"".join(part for part in parts if isinstance(part, bytes))
    if len(literal.translate(None, _STAND_IN_ALPHABET)) != len(literal):
        return None
    whole = not any(isinstance(part, Hole) for part in parts)
    if whole:
        data = brotli.compress(literal, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY_WHOLE)
        return Brotli((data,), len(data))
    stand_ins = _stand_ins()
    encoder = brotli.Compressor(mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    pieces: list[bytes | tuple[Hole, int]] = []
    current: list[bytes] = []
    lengths_left = iter(lengths)
    for part in parts:
        if isinstance(part, bytes):
            current.append(encoder.process(part))
            continue
        length = next(lengths_left)
        stand_in = bytes(next(stand_ins) for _ in range(length))
        current.append(encoder.flush())
        pieces.append(b"".join(current))
        current = []
        # The stand-in's own bytes are dropped: the visitor's value goes in their place.
        encoder.process(stand_in)
        encoder.flush()
        pieces.append((part, length))
    current.append(encoder.finish())
    pieces.append(b"".join(current))
    kept = tuple(piece for piece in pieces if piece != b"")
    size = sum(len(p) if isinstance(p, bytes) else p[1] + 3 for p in kept)
    return Brotli(kept, size)


def _stand_ins() -> Iterator[int]:
    """Bytes of the stand-in alphabet in an order where no three repeat (a de Bruijn
    sequence): brotli finds no match in them, not even against each other."""
    k, n = len(_STAND_IN_ALPHABET), 3
    a = [0] * k * n

    def walk(t: int, p: int) -> Iterator[int]:
        if t > n:
            if n % p == 0:
                yield from a[1 : p + 1]
        else:
            a[t] = a[t - p]
            yield from walk(t + 1, p)
            for j in range(a[t - p] + 1, k):
                a[t] = j
                yield from walk(t + 1, t)

    for index in walk(1, 1):
        yield _STAND_IN_ALPHABET[index]


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct headers
def accepted(header: str) -> tuple[str, ...]:
    """The encodings of ours ("br", "gzip") a client's Accept-Encoding takes, best first:
    by its q-values (q=0 refuses), brotli before gzip when they tie; none for a missing
    or empty header."""
    if not header:
        return ()
    weights: dict[str, float] = {}
    star: float | None = None
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        if name == "*":
            star = q
        elif name in ("br", "gzip", "x-gzip"):
            name = "gzip" if name == "x-gzip" else name
            weights[name] = max(weights.get(name, 0.0), q) if name in weights else q
    for name in ("br", "gzip"):
        if name not in weights and star is not None:
            weights[name] = star
    ranked = sorted(
        (name for name, q in weights.items() if q > 0), key=lambda n: (-weights[n], n != "br")
    )
    return tuple(ranked)
