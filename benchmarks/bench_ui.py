"""Benchmark the explorer in a real browser against a minimal one-slider Streamlit page.

Run: `.venv/bin/python benchmarks/bench_ui.py` (needs Debian's Chromium: `make browser`).
For each page, on a fresh server: cold start = navigation → first map/text drawn and the script
idle; update = slider key press → the page shows the new result and the script is idle
(median and p95 over 20 changes). Results go into `benchmarks/RESULTS.md` (block "ui").
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_model import machine, write_block  # noqa: E402
from tests.browser_support import browser, serve, wait_idle  # noqa: E402

MINIMAL = Path(__file__).resolve().parent / "minimal_app.py"
CHANGES = 20


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(page, url: str, ready_selector: str, slider_label: str, result_js: str) -> tuple[float, list[float]]:
    """Cold start and update times for one page."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready_selector, timeout=120_000)
    wait_idle(page, 120_000)
    page.locator("[data-testid='stSlider']").filter(has_text=slider_label).first.wait_for(timeout=60_000)
    if "canvas" in ready_selector:
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    cold = time.perf_counter() - t0
    slider = page.locator("[data-testid='stSlider']").filter(has_text=slider_label).get_by_role("slider")
    updates = []
    for i in range(CHANGES):
        before = page.evaluate(result_js)
        slider.focus()
        t0 = time.perf_counter()
        slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"(prev) => ({result_js})() !== prev", arg=before, timeout=60_000)
        wait_idle(page, 60_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        updates.append(time.perf_counter() - t0)
    return cold, updates


def main() -> None:
    results = {}
    with browser() as b:
        with serve(MINIMAL) as url:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            results["minimal one-slider page"] = measure(
                page, url, "[data-testid='stMarkdown']", "Value",
                "() => document.querySelector('[data-testid=stMarkdown]')?.innerText")
            page.close()
        with serve() as url:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            results["explorer (offline basemap)"] = measure(
                page, f"{url}/?basemap=none", "[data-testid='stDeckGlJsonChart'] canvas", "Announced power",
                # the shareable URL is rewritten at the end of every run that changes the weights
                "() => window.location.search")
            page.close()
    lines = ["| page | cold start to first draw (s) | update median (s) | update p95 (s) |", "|---|---|---|---|"]
    for name, (cold, updates) in results.items():
        lines.append(f"| {name} | {cold:.2f} | {statistics.median(updates):.3f} | {p95(updates):.3f} |")
    minimal = statistics.median(results["minimal one-slider page"][1])
    explorer = statistics.median(results["explorer (offline basemap)"][1])
    cold = results["explorer (offline basemap)"][0]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"Measured {stamp} on {machine()}; Debian Chromium headless, {CHANGES} slider changes per page, "
             "fresh server per page.\nCommand: `.venv/bin/python benchmarks/bench_ui.py`.\n\n" + "\n".join(lines)
             + f"\n\nExplorer update median / minimal page median = **{explorer / minimal:.2f}×** (target ≤ 1.5×); "
             f"explorer cold start **{cold:.2f} s** (target ≤ 3 s).\n")
    print(block)
    write_block("ui", block)


if __name__ == "__main__":
    main()
