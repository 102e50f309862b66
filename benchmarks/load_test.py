"""Load test: N concurrent browser sessions against one local server.

Run: `.venv/bin/python benchmarks/load_test.py [N ...] [--seconds S] [--url URL]` (default N = 1, 10, 20; 60 s).
Each session (its own Playwright context, so its own Streamlit session) alternately moves a weight
slider and selects a site in the card selector; we count errors (exceptions shown on the page,
timeouts, page errors), time every update, and sample the server's resident memory every second.
Traffic goes to 127.0.0.1 only. Writes the "load" block of RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_model import machine, write_block  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

RAMP_UP_S = 2.0
IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def session(browser, url: str, seconds: float, index: int, stats: dict) -> None:
    await asyncio.sleep(RAMP_UP_S * index)  # sessions arrive one after another, as real users do
    context = await browser.new_context(viewport={"width": 1000, "height": 760})
    page = await context.new_page()
    page.on("pageerror", lambda exc: stats["errors"].append(f"pageerror: {exc}"))
    try:
        await page.goto(f"{url}/?basemap=none", timeout=300_000)
        await page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", state="attached", timeout=300_000)
        await page.wait_for_function(IDLE_JS, timeout=300_000)
        slider = page.locator("[data-testid='stSlider']").filter(has_text="Announced power").get_by_role("slider")
        end = time.monotonic() + seconds  # each session works for `seconds` once its page is up
        step = 0
        while time.monotonic() < end:
            before = await page.evaluate("() => window.location.search")
            t0 = time.perf_counter()
            if step % 2 == 0:
                await slider.focus()
                await slider.press("ArrowRight" if step % 4 == 0 else "ArrowLeft")
            else:
                box = page.locator("[data-testid='stSelectbox']").filter(has_text="Site card")
                await box.click()
                await page.keyboard.type(["Fouju", "Escaudain", "La Maxe", "Bouchain"][(step + index) % 4])
                await page.keyboard.press("Enter")
            await page.wait_for_function("(prev) => window.location.search !== prev", arg=before, timeout=60_000)
            await page.wait_for_function(IDLE_JS, timeout=60_000)
            stats["latency"].append(time.perf_counter() - t0)
            if await page.locator("[data-testid='stException']").count():
                stats["errors"].append("exception shown on page")
            step += 1
    except Exception as exc:  # noqa: BLE001 - every failure of a session is counted, not raised
        stats["errors"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def run(n: int, seconds: float, external_url: str | None = None) -> dict:
    from playwright.async_api import async_playwright

    stats = {"latency": [], "errors": [], "memory": []}
    with (contextlib.nullcontext(external_url) if external_url else serve()) as url:
        async with async_playwright() as p:
            # Chromium keeps at most ~16 live WebGL contexts per browser process, so sessions are
            # spread over several browsers (8 each); otherwise the harness, not the server, fails.
            browsers = [await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                        for _ in range((n + 7) // 8)]
            stop = asyncio.Event()

            async def sample():
                while not stop.is_set() and not external_url:  # another machine's memory is not ours to read
                    stats["memory"].append(rss_mb(url.pid))
                    await asyncio.sleep(1)

            sampler = asyncio.create_task(sample())
            await asyncio.gather(*(session(browsers[i // 8], url, seconds, i, stats) for i in range(n)))
            stop.set()
            await sampler
            for browser in browsers:
                await browser.close()
    return stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sessions", nargs="*", type=int, default=[1, 10, 20])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="drive a server already running elsewhere (e.g. on another machine than "
                                      "the browsers); results are printed, not written to RESULTS.md")
    args = parser.parse_args()
    rows = []
    for n in args.sessions:
        stats = asyncio.run(run(n, args.seconds, args.url))
        lat = sorted(stats["latency"])
        p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))] if lat else float("nan")
        mem = stats["memory"] or [float("nan")]
        rows.append(f"| {n} | {len(lat)} | {len(stats['errors'])} | "
                    f"{statistics.median(lat) if lat else float('nan'):.2f} | {p95:.2f} | "
                    f"{mem[0]:.0f} → {max(mem):.0f} → {mem[-1]:.0f} |")
        if stats["errors"]:
            print(f"N={n} errors:", stats["errors"][:5])
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"Measured {stamp} on {machine()}; one server, headless Chromium (one browser per 8 sessions, "
             f"one context per session, 1000×760 viewport), sessions arriving every {RAMP_UP_S:g} s, each "
             f"working {args.seconds:.0f} s once loaded; loopback only.\n"
             f"Command: `.venv/bin/python benchmarks/load_test.py {' '.join(map(str, args.sessions))} "
             f"--seconds {args.seconds:.0f}`.\n\n"
             "| sessions | updates | errors | update p50 (s) | update p95 (s) | server RSS MB (start → max → end) |\n"
             "|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\nThe browser and the server share the "
             "machine's 2 cores, so latency under load measures the whole machine, not the server alone.\n")
    print(block)
    if not args.url:
        write_block("load", block)


if __name__ == "__main__":
    main()
