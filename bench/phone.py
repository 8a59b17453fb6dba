"""A reader's first visit on a mid-range phone: the cached article page with its lead
picture, served by `knowhow serve`, loaded by Debian's Chromium under CDP emulation.

Sets up a throwaway site (SQLite, the demo content, whose articles each have a lead
picture), starts `knowhow serve` on 127.0.0.1, asks for the article once so the page cache
holds it, then loads it RUNS times, each in a fresh browser context (an empty cache: a first
visit), at 390x844 with

    a. no throttling (the baseline of this run)
    b. the phone: 4x CPU slowdown (Emulation.setCPUThrottlingRate) and a "Fast 3G" network
       (Network.emulateNetworkConditions: 150 ms latency, 1.6 Mbps down, 750 kbps up)

and prints for each the median, best and worst of Largest Contentful Paint and Cumulative
Layout Shift (PerformanceObserver, buffered) and of the bytes the visit transferred (CDP
Network.loadingFinished), the bytes without the lead picture, and the phone's ratio to the
baseline. Then the same phone visits of the demo's Arabic article (right to left, the same
picture), with its LCP and CLS. Targets: LCP < 1.0 s, CLS < 0.05, a first visit under 60 KB
plus the lead picture. Fonts are the system's: the page asks for none. Installs nothing.

    .venv/bin/python bench/phone.py [--runs 5] [--article SLUG] [--rtl-article SLUG]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import fetch, knowhow, start_server, stop  # noqa: E402 - beside this file

BIN = Path(sys.executable).parent
KNOWHOW = BIN / "knowhow"
ARTICLE = "what-are-electrolytes"
RTL_ARTICLE = "lima-tatashannaj-al-adalat-laylan"  # the demo's Arabic translation
VIEWPORT = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4
# "Fast 3G" as asked: 150 ms round trip added, 1.6 Mbps down, 750 kbps up (bytes/s).
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
}
TARGET_LCP_MS, TARGET_CLS, TARGET_KB = 1000.0, 0.05, 60.0

# Collects LCP and CLS from the start of the page (buffered entries), read after load.
OBSERVE = """
window.__look = { lcp: 0, cls: 0, lcpTag: "" };
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__look.lcp = entry.startTime;
    window.__look.lcpTag = entry.element ? entry.element.tagName : "";
  }
}).observe({ type: "largest-contentful-paint", buffered: true });
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__look.cls += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@dataclass
class Visit:
    lcp_ms: float
    cls: float
    total_bytes: int
    picture_bytes: int
    lcp_element: str


def visit(browser: object, url: str, phone: bool) -> Visit:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2)  # type: ignore[attr-defined]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if phone:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        cdp.send("Network.emulateNetworkConditions", NETWORK)
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.add_init_script(OBSERVE)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # let the last paint and shift be reported
    found = page.evaluate("window.__look")
    lead = page.evaluate(
        "(() => { const img = document.querySelector('figure.lead-image img');"
        " return img ? img.currentSrc : ''; })()"
    )
    picture = sum(size for rid, size in sizes.items() if lead and urls.get(rid) == lead)
    context.close()
    return Visit(
        float(found["lcp"]), float(found["cls"]), sum(sizes.values()), picture, str(found["lcpTag"])
    )


def _spread(values: list[float], digits: int) -> str:
    """Median, best and worst of the runs, aligned."""
    return (
        f"median {statistics.median(values):7.{digits}f}   best {min(values):7.{digits}f}"
        f"   worst {max(values):7.{digits}f}"
    )


def summarise(name: str, visits: list[Visit]) -> dict[str, float]:
    lcp = [v.lcp_ms for v in visits]
    cls = [v.cls for v in visits]
    kb = [v.total_bytes / 1024 for v in visits]
    rest = [(v.total_bytes - v.picture_bytes) / 1024 for v in visits]
    picture = statistics.median(v.picture_bytes / 1024 for v in visits)
    elements = ", ".join(sorted({v.lcp_element for v in visits}))
    print(name)
    print(f"  LCP ms        {_spread(lcp, 0)}   (element: {elements})")
    print(f"  CLS           {_spread(cls, 3)}")
    print(f"  KB in all     {_spread(kb, 1)}")
    print(f"  KB w/o lead   {_spread(rest, 1)}   (lead picture {picture:.1f} KB)")
    return {
        "lcp": statistics.median(lcp),
        "cls": statistics.median(cls),
        "rest": statistics.median(rest),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--article", default=ARTICLE)
    parser.add_argument("--rtl-article", default=RTL_ARTICLE)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="knowhow-phone-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(KNOWHOW_VAR_DIR=str(work / "var"), KNOWHOW_SECRET_KEY="phone-bench-only-key")
    server: subprocess.Popen[bytes] | None = None
    try:
        print("setting up a throwaway site in", work, flush=True)
        knowhow(["migrate", "--noinput", "-v0"], env)
        knowhow(["demo"], env)
        cmd = [
            str(KNOWHOW),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--workers",
            "1",
            "--no-worker",
        ]
        base, server = start_server(cmd, env, work / "server.log")
        url = f"{base}/articles/{args.article}/"
        rtl_url = f"{base}/articles/{args.rtl_article}/"
        fetch(url)  # the page cache keeps it: readers get the kept page
        fetch(rtl_url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            print(f"{args.runs} first visits of {url} at 390x844, each in a fresh context\n")
            base_line = summarise(
                "a. no throttling (baseline)",
                [visit(browser, url, phone=False) for _ in range(args.runs)],
            )
            phone = summarise(
                f"b. phone: {CPU_SLOWDOWN}x CPU, 150 ms, 1.6 Mbps down, 750 kbps up",
                [visit(browser, url, phone=True) for _ in range(args.runs)],
            )
            print(f"\n{args.runs} first visits of {rtl_url} on the same phone\n")
            rtl = summarise(
                f"c. right to left, phone: {CPU_SLOWDOWN}x CPU, 150 ms, 1.6 Mbps down",
                [visit(browser, rtl_url, phone=True) for _ in range(args.runs)],
            )
            browser.close()
        ratio = phone["lcp"] / base_line["lcp"] if base_line["lcp"] else float("nan")
        print(f"\nphone LCP / baseline LCP: {ratio:.1f}x")
        checks = [
            ("LCP < 1.0 s", phone["lcp"] < TARGET_LCP_MS, f"{phone['lcp']:.0f} ms"),
            ("CLS < 0.05", phone["cls"] < TARGET_CLS, f"{phone['cls']:.3f}"),
            ("right to left: LCP < 1.0 s", rtl["lcp"] < TARGET_LCP_MS, f"{rtl['lcp']:.0f} ms"),
            ("right to left: CLS < 0.05", rtl["cls"] < TARGET_CLS, f"{rtl['cls']:.3f}"),
            (
                "first visit < 60 KB + lead picture",
                phone["rest"] < TARGET_KB,
                f"{phone['rest']:.1f} KB",
            ),
        ]
        for name, met, value in checks:
            print(f"  {'met ' if met else 'MISSED'}  {name}: {value}")
    finally:
        stop(server, group=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
