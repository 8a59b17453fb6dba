"""The demo's lead pictures: simple flat illustrations drawn here with Pillow, one for each
demo article, made for this project and given to the public domain (CC0; see
images/LICENSE.md). `python -m knowhow.demo.pictures` draws them again into images/."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 960, 640
# Drawn at twice the size, then halved: smooth edges without an anti-aliasing library.
SCALE = 2
FOLDER = Path(__file__).resolve().parent / "images"

Draw = ImageDraw.ImageDraw
Point = tuple[float, float]


def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    return (x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE)


def _pts(points: Sequence[Point]) -> list[tuple[float, float]]:
    return [(x * SCALE, y * SCALE) for x, y in points]


def _sky(d: Draw, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> None:
    for y in range(HEIGHT * SCALE):
        t = y / (HEIGHT * SCALE)
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        d.line([(0, y), (WIDTH * SCALE, y)], fill=colour)


def _ellipse(
    d: Draw, cx: float, cy: float, rx: float, ry: float, fill: str | None, **kw: object
) -> None:
    d.ellipse(_box(cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, **kw)  # type: ignore[arg-type]


def _wave(d: Draw, y: float, amp: float, length: float, x0: float, x1: float, fill: str, width: int,
          phase: float = 0.0) -> None:  # fmt: skip
    points = [
        (x, y + amp * math.sin(2 * math.pi * x / length + phase))
        for x in range(int(x0), int(x1), 4)
    ]
    d.line(_pts(points), fill=fill, width=width * SCALE, joint="curve")


def printing_press(d: Draw) -> None:
    _sky(d, (246, 236, 214), (226, 205, 168))
    d.rectangle(_box(0, 520, 960, 640), fill="#8a5a36")
    d.rectangle(_box(300, 120, 340, 520), fill="#5b3a22")
    d.rectangle(_box(620, 120, 660, 520), fill="#5b3a22")
    d.rectangle(_box(280, 100, 680, 150), fill="#6d4528")
    d.rectangle(_box(460, 150, 500, 300), fill="#3b2a1d")
    d.rectangle(_box(380, 300, 580, 330), fill="#3b2a1d")
    d.line(_pts([(500, 200), (720, 160)]), fill="#3b2a1d", width=14 * SCALE)
    _ellipse(d, 722, 160, 16, 16, "#3b2a1d")
    d.rectangle(_box(340, 400, 620, 430), fill="#6d4528")
    for i, x in enumerate((120, 760)):
        d.rectangle(
            _box(x, 330 + i * 20, x + 130, 500), fill="#fbf7ee", outline="#7b6a55", width=3 * SCALE
        )
        for row in range(8):
            y = 360 + i * 20 + row * 16
            d.line(
                _pts([(x + 16, y), (x + 114 - (row % 3) * 18, y)]), fill="#2e2a25", width=4 * SCALE
            )


def bees_and_honey(d: Draw) -> None:
    _sky(d, (255, 214, 102), (243, 168, 40))
    r = 58
    for row in range(-1, 8):
        for col in range(-1, 11):
            cx = col * r * 1.75 + (row % 2) * r * 0.875
            cy = row * r * 1.5
            hexagon = [
                (
                    cx + r * math.cos(math.pi / 6 + k * math.pi / 3),
                    cy + r * math.sin(math.pi / 6 + k * math.pi / 3),
                )
                for k in range(6)
            ]
            shade = "#e59a12" if (row * 3 + col) % 4 else "#c97d06"
            d.polygon(_pts(hexagon), fill=shade, outline="#fff1c1", width=5 * SCALE)
    # The bee.
    _ellipse(d, 520, 320, 150, 95, "#f5c518")
    for x in (450, 520, 590):
        d.rectangle(_box(x - 18, 232, x + 18, 408), fill="#1f1a17")
    _ellipse(d, 520, 320, 150, 95, None, outline="#1f1a17", width=6 * SCALE)
    _ellipse(d, 690, 300, 55, 55, "#1f1a17")
    _ellipse(d, 705, 288, 12, 12, "#ffffff")
    _ellipse(d, 470, 200, 80, 55, "#e8f4ff", outline="#9cc3e6", width=4 * SCALE)
    _ellipse(d, 580, 190, 80, 55, "#e8f4ff", outline="#9cc3e6", width=4 * SCALE)


def compost_pile(d: Draw) -> None:
    _sky(d, (200, 229, 245), (233, 244, 226))
    d.rectangle(_box(0, 470, 960, 640), fill="#6b8f3a")
    layers = ["#4a3222", "#7a9a3c", "#5b3d28", "#a3b55a", "#3e2a1c"]
    for i, colour in enumerate(layers):
        top = 200 + i * 55
        d.pieslice(_box(180 + i * 20, top, 780 - i * 20, 980 - i * 10), 180, 360, fill=colour)
    rnd = random.Random(7)
    for _ in range(40):
        x, y = rnd.uniform(260, 700), rnd.uniform(260, 470)
        _ellipse(d, x, y, 14, 7, rnd.choice(["#d9842b", "#9bbb3f", "#c2522d", "#e8c34a"]))
    d.rectangle(_box(800, 300, 812, 520), fill="#7a5230")
    d.polygon(_pts([(780, 520), (832, 520), (820, 580), (792, 580)]), fill="#8d99a6")


def headphones(d: Draw) -> None:
    _sky(d, (39, 48, 78), (70, 86, 140))
    _wave(d, 170, 60, 180, 40, 920, "#ff8a65", 10)
    _wave(d, 170, 60, 180, 40, 920, "#64b5f6", 10, phase=math.pi)
    d.line(_pts([(40, 170), (920, 170)]), fill="#e0e6f0", width=4 * SCALE)
    d.arc(_box(300, 230, 660, 590), 180, 360, fill="#dfe5ee", width=34 * SCALE)
    for cx in (315, 645):
        d.rounded_rectangle(_box(cx - 60, 380, cx + 60, 560), radius=40 * SCALE, fill="#f2f4f8")
        d.rounded_rectangle(_box(cx - 40, 405, cx + 40, 535), radius=30 * SCALE, fill="#2b3a67")


def gps(d: Draw) -> None:
    _sky(d, (10, 16, 40), (26, 38, 84))
    rnd = random.Random(3)
    for _ in range(90):
        _ellipse(d, rnd.uniform(0, 960), rnd.uniform(0, 640), 2, 2, "#e8ecff")
    _ellipse(d, 480, 860, 520, 520, "#2f7dd1")
    for x, w in ((300, 150), (560, 120), (430, 90)):
        _ellipse(d, x, 420, w, 40, "#4caf50")
    for sx, sy in ((180, 140), (480, 90), (790, 160)):
        d.rectangle(_box(sx - 22, sy - 22, sx + 22, sy + 22), fill="#cfd8e3")
        d.rectangle(_box(sx - 80, sy - 10, sx - 28, sy + 10), fill="#3f6fd8")
        d.rectangle(_box(sx + 28, sy - 10, sx + 80, sy + 10), fill="#3f6fd8")
        for k in range(1, 4):
            d.arc(
                _box(sx - 40 * k, sy + 20 * k, sx + 40 * k, sy + 60 * k),
                40,
                140,
                fill="#ffd54f",
                width=4 * SCALE,
            )
    _ellipse(d, 480, 380, 16, 16, "#ff5252")
    d.polygon(_pts([(466, 386), (494, 386), (480, 420)]), fill="#ff5252")


def electrolytes(d: Draw) -> None:
    _sky(d, (224, 247, 250), (178, 235, 242))
    d.polygon(
        _pts([(330, 130), (630, 130), (590, 560), (370, 560)]),
        fill="#e8fbff",
        outline="#5aa9b8",
        width=6 * SCALE,
    )
    d.polygon(_pts([(345, 250), (615, 250), (590, 556), (372, 556)]), fill="#7fd3e6")
    rnd = random.Random(11)
    for i in range(14):
        x, y = rnd.uniform(400, 560), rnd.uniform(290, 520)
        plus = i % 2 == 0
        _ellipse(d, x, y, 20, 20, "#ff7043" if plus else "#5c6bc0")
        d.line(_pts([(x - 9, y), (x + 9, y)]), fill="#ffffff", width=4 * SCALE)
        if plus:
            d.line(_pts([(x, y - 9), (x, y + 9)]), fill="#ffffff", width=4 * SCALE)
    _ellipse(d, 760, 200, 70, 70, "#ffee58")


def muscle_spasms(d: Draw) -> None:
    _sky(d, (252, 228, 236), (248, 187, 208))
    for i in range(6):
        y = 220 + i * 36
        d.rounded_rectangle(
            _box(160, y, 800, y + 28), radius=14 * SCALE, fill="#e57373" if i % 2 else "#ef9a9a"
        )
    points = [(120 + k * 40, 130 + (30 if k % 2 else -30)) for k in range(19)]
    d.line(_pts(points), fill="#6a1b9a", width=8 * SCALE, joint="curve")
    for x in (140, 820):
        d.rounded_rectangle(_box(x - 30, 200, x + 30, 460), radius=20 * SCALE, fill="#f5f5f5")


def vitamin_d(d: Draw) -> None:
    _sky(d, (187, 222, 251), (255, 243, 224))
    _ellipse(d, 240, 200, 90, 90, "#ffca28")
    for k in range(12):
        a = k * math.pi / 6
        d.line(
            _pts(
                [
                    (240 + 110 * math.cos(a), 200 + 110 * math.sin(a)),
                    (240 + 150 * math.cos(a), 200 + 150 * math.sin(a)),
                ]
            ),
            fill="#ffb300",
            width=10 * SCALE,
        )
    d.rounded_rectangle(
        _box(500, 380, 820, 430),
        radius=25 * SCALE,
        fill="#fafafa",
        outline="#bdbdbd",
        width=3 * SCALE,
    )
    for cx, cy in ((500, 370), (500, 440), (820, 370), (820, 440)):
        _ellipse(d, cx, cy, 40, 40, "#fafafa", outline="#bdbdbd", width=3 * SCALE)
    d.rounded_rectangle(_box(495, 385, 825, 425), radius=20 * SCALE, fill="#fafafa")


def eyelid(d: Draw) -> None:
    _sky(d, (255, 236, 210), (250, 214, 180))
    d.chord(_box(200, 180, 760, 480), 0, 360, fill="#ffffff", outline="#5d4037", width=8 * SCALE)
    _ellipse(d, 480, 330, 110, 110, "#4e7fb8")
    _ellipse(d, 480, 330, 50, 50, "#1b1b1b")
    _ellipse(d, 510, 300, 18, 18, "#ffffff")
    d.arc(_box(200, 150, 760, 470), 190, 350, fill="#5d4037", width=14 * SCALE)
    for k in range(9):
        x = 260 + k * 55
        d.line(_pts([(x, 190 - (k % 2) * 8), (x - 12, 140)]), fill="#3e2723", width=6 * SCALE)
    for k in range(3):
        d.arc(
            _box(760 + k * 30, 200 - k * 20, 860 + k * 40, 300 + k * 20),
            300,
            60,
            fill="#8d6e63",
            width=5 * SCALE,
        )


def black_hole(d: Draw) -> None:
    _sky(d, (5, 5, 18), (22, 10, 40))
    rnd = random.Random(5)
    for _ in range(120):
        _ellipse(d, rnd.uniform(0, 960), rnd.uniform(0, 640), 1.6, 1.6, "#d7d9ff")
    for k in range(12, 0, -1):
        shade = (255, 120 + k * 10, 30 + k * 8)
        d.ellipse(
            _box(480 - 300 + k * 6, 320 - 70 + k * 2, 480 + 300 - k * 6, 320 + 70 - k * 2),
            outline=shade,
            width=6 * SCALE,
        )
    _ellipse(d, 480, 320, 120, 120, "#000000")
    d.arc(_box(360, 200, 600, 440), 200, 340, fill="#ffb74d", width=8 * SCALE)


def ssd(d: Draw) -> None:
    _sky(d, (232, 240, 236), (200, 220, 210))
    d.rounded_rectangle(_box(140, 200, 820, 440), radius=18 * SCALE, fill="#1b5e20")
    for x in range(160, 800, 14):
        d.rectangle(_box(x, 440, x + 8, 470), fill="#f9a825")
    for x in (200, 380, 560):
        d.rectangle(_box(x, 240, x + 150, 400), fill="#212121")
    d.rectangle(_box(730, 260, 790, 320), fill="#424242")
    for y in range(220, 430, 30):
        d.line(_pts([(150, y), (190, y)]), fill="#a5d6a7", width=3 * SCALE)


def companion_planting(d: Draw) -> None:
    _sky(d, (200, 230, 255), (236, 246, 255))
    d.rectangle(_box(0, 460, 960, 640), fill="#795548")
    for x in (160, 420, 680):
        d.rectangle(_box(x, 140, x + 14, 470), fill="#689f38")
        for k in range(5):
            y = 180 + k * 55
            d.polygon(_pts([(x + 7, y), (x + 90, y - 30), (x + 20, y + 20)]), fill="#7cb342")
            d.polygon(_pts([(x + 7, y + 20), (x - 76, y - 10), (x - 6, y + 40)]), fill="#8bc34a")
        _ellipse(d, x + 30, 230, 14, 40, "#fdd835")
        d.line(_pts([(x + 20, 470), (x + 40, 330), (x - 20, 260)]), fill="#2e7d32", width=5 * SCALE)
    for x in (290, 550, 810):
        _ellipse(d, x, 470, 70, 45, "#fb8c00")
        _ellipse(d, x - 60, 420, 50, 25, "#558b2f")


def rosetta_stone(d: Draw) -> None:
    _sky(d, (236, 229, 218), (214, 203, 186))
    d.polygon(
        _pts([(270, 90), (640, 70), (700, 140), (690, 580), (260, 580), (240, 160)]), fill="#3d3d42"
    )
    rnd = random.Random(9)
    for band, (y0, y1) in enumerate(((130, 250), (280, 400), (430, 560))):
        for y in range(y0, y1, 22):
            x = 280.0
            while x < 660:
                w = rnd.uniform(8, 24) if band else 14
                if band == 0:
                    _ellipse(d, x + 7, y + 6, 7, 7, "#c9c3b6", outline=None)
                else:
                    d.rectangle(_box(x, y, x + w, y + 8), fill="#c9c3b6")
                x += w + rnd.uniform(5, 12)


def houseplant(d: Draw) -> None:
    _sky(d, (255, 248, 225), (245, 232, 200))
    d.rectangle(_box(0, 520, 960, 640), fill="#d7ccc8")
    d.polygon(_pts([(380, 400), (580, 400), (555, 560), (405, 560)]), fill="#c0643b")
    d.rectangle(_box(370, 385, 590, 415), fill="#a95530")
    leaves = [(-60, 140, "#43a047"), (-20, 90, "#66bb6a"), (30, 100, "#fdd835"),
              (70, 150, "#43a047"), (0, 60, "#2e7d32"), (-100, 220, "#f9a825"),
              (110, 230, "#388e3c")]  # fmt: skip
    for dx, top, colour in leaves:
        x = 480 + dx * 2.2
        d.line(_pts([(480, 395), (x, top + 60)]), fill="#33691e", width=5 * SCALE)
        _ellipse(d, x, top + 30, 38, 62, colour)


def night_cramp(d: Draw) -> None:
    _sky(d, (18, 24, 58), (44, 52, 110))
    _ellipse(d, 780, 130, 60, 60, "#fff59d")
    _ellipse(d, 805, 115, 55, 55, "#1e2a5e")
    d.rounded_rectangle(_box(80, 380, 880, 470), radius=20 * SCALE, fill="#90a4ae")
    d.rounded_rectangle(_box(80, 330, 880, 400), radius=30 * SCALE, fill="#e3f2fd")
    d.line(
        _pts([(300, 345), (520, 300), (640, 350), (700, 290)]),
        fill="#ffcc80",
        width=40 * SCALE,
        joint="curve",
    )
    for k in range(3):
        d.line(
            _pts([(600 + k * 30, 240 - k * 10), (615 + k * 30, 220 - k * 10)]),
            fill="#ffab91",
            width=6 * SCALE,
        )
    d.rectangle(_box(100, 470, 130, 560), fill="#607d8b")
    d.rectangle(_box(830, 470, 860, 560), fill="#607d8b")


def sky_blue(d: Draw) -> None:
    _sky(d, (30, 100, 210), (160, 210, 255))
    _ellipse(d, 740, 170, 80, 80, "#fff8e1")
    for k in range(7):
        y = 150 + k * 16
        colour = ["#ff5252", "#ff9800", "#ffeb3b", "#4caf50", "#2196f3", "#3f51b5", "#9c27b0"][k]
        d.line(_pts([(660, 170), (200, y + 60)]), fill=colour, width=5 * SCALE)
    for cx, cy in ((230, 420), (330, 400), (300, 450)):
        _ellipse(d, cx, cy, 90, 50, "#ffffff")
    d.rectangle(_box(0, 540, 960, 640), fill="#4f8a3b")


def great_wall(d: Draw) -> None:
    _sky(d, (255, 224, 178), (255, 243, 224))
    d.polygon(
        _pts(
            [
                (0, 420),
                (180, 230),
                (360, 380),
                (560, 200),
                (760, 360),
                (960, 260),
                (960, 640),
                (0, 640),
            ]
        ),
        fill="#8d9f62",
    )
    d.polygon(
        _pts([(0, 520), (260, 360), (480, 470), (700, 330), (960, 450), (960, 640), (0, 640)]),
        fill="#6d7f46",
    )
    path = [(0, 470), (180, 300), (360, 430), (560, 270), (760, 410), (960, 320)]
    d.line(_pts(path), fill="#c7a97c", width=26 * SCALE, joint="curve")
    for x, y in path[1:-1]:
        d.rectangle(_box(x - 30, y - 70, x + 30, y + 5), fill="#b08d5e")
        for k in range(3):
            d.rectangle(_box(x - 30 + k * 24, y - 86, x - 18 + k * 24, y - 70), fill="#b08d5e")


# How to draw each demo article's picture (its alt text is in the article's front matter).
PICTURES: dict[str, Callable[[Draw], None]] = {
    "how-did-the-printing-press-change-europe": printing_press,
    "how-do-bees-make-honey": bees_and_honey,
    "how-do-i-start-a-compost-pile": compost_pile,
    "how-do-noise-cancelling-headphones-work": headphones,
    "how-does-gps-work": gps,
    "what-are-electrolytes": electrolytes,
    "what-are-involuntary-muscle-spasms": muscle_spasms,
    "what-are-the-signs-of-vitamin-d-deficiency": vitamin_d,
    "what-causes-eyelid-twitching": eyelid,
    "what-is-a-black-hole": black_hole,
    "what-is-a-solid-state-drive": ssd,
    "what-is-companion-planting": companion_planting,
    "what-was-the-rosetta-stone": rosetta_stone,
    "why-do-houseplant-leaves-turn-yellow": houseplant,
    "why-do-muscles-cramp-at-night": night_cramp,
    "why-is-the-sky-blue": sky_blue,
    "why-was-the-great-wall-of-china-built": great_wall,
}  # fmt: skip


def draw(slug: str) -> Image.Image:
    """The picture of one demo article, at its final size."""
    painter = PICTURES[slug]
    canvas = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "#ffffff")
    painter(ImageDraw.Draw(canvas))
    return canvas.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    for slug in PICTURES:
        draw(slug).save(FOLDER / f"{slug}.webp", "WEBP", quality=78, method=6)


if __name__ == "__main__":
    main()
