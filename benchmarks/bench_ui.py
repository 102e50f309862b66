"""Benchmark the explorer in a real browser against two reference pages on the same machine.

Run: `.venv/bin/python benchmarks/bench_ui.py` (needs Debian's Chromium: `make browser`).
Pages: a minimal one-slider Streamlit page (`minimal_app.py`), the same with a small deck.gl map
(`deck_only_app.py`, the floor for any page drawing a map here) and the explorer (offline basemap).
For each page, on a fresh server: cold start = navigation → first map/text drawn and the script
idle, for the first visitor (the server also imports and loads the data) and for a second visitor;
update = slider key press → the page shows the new result and the script is idle (median and p95
over 20 changes). Results go into `benchmarks/RESULTS.md` (block "ui").
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
DECK_ONLY = Path(__file__).resolve().parent / "deck_only_app.py"
CHANGES = 20


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def cold_start(page, url: str, ready_selector: str, slider_label: str) -> float:
    """Seconds from navigation to the page drawn (map painted when there is one) and the script idle."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready_selector, timeout=120_000)
    wait_idle(page, 120_000)
    page.locator("[data-testid='stSlider']").filter(has_text=slider_label).first.wait_for(timeout=60_000)
    if "canvas" in ready_selector:
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return time.perf_counter() - t0


def updates(page, slider_label: str, result_js: str) -> list[float]:
    """Seconds from a slider key press to the new result shown and the script idle, CHANGES times."""
    slider = page.locator("[data-testid='stSlider']").filter(has_text=slider_label).get_by_role("slider")
    times = []
    for i in range(CHANGES):
        before = page.evaluate(result_js)
        slider.focus()
        t0 = time.perf_counter()
        slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"(prev) => ({result_js})() !== prev", arg=before, timeout=60_000)
        wait_idle(page, 60_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        times.append(time.perf_counter() - t0)
    return times


MARKDOWN_TEXT = "() => document.querySelector('[data-testid=stMarkdown]')?.innerText"
PAGES = {
    # name: (script, query, ready selector, slider label, result read after each change)
    "minimal one-slider page": (MINIMAL, "", "[data-testid='stMarkdown']", "Value", MARKDOWN_TEXT),
    "one slider + small deck.gl map": (DECK_ONLY, "", "[data-testid='stDeckGlJsonChart'] canvas", "Value",
                                       MARKDOWN_TEXT),
    # the shareable URL is rewritten at the end of every run that changes the weights
    "explorer (offline basemap)": (None, "?basemap=none", "[data-testid='stDeckGlJsonChart'] canvas",
                                   "Announced power", "() => window.location.search"),
}


def main() -> None:
    results = {}
    with browser() as b:
        for name, (script, query, ready, label, result_js) in PAGES.items():
            with serve(*([script] if script else [])) as url:
                page = b.new_page(viewport={"width": 1400, "height": 1000})
                first = cold_start(page, f"{url}/{query}", ready, label)
                changes = updates(page, label, result_js)
                page.close()
                page = b.new_page(viewport={"width": 1400, "height": 1000})
                second = cold_start(page, f"{url}/{query}", ready, label)
                page.close()
            results[name] = (first, second, changes)
    lines = ["| page | cold start, first visitor (s) | cold start, next visitor (s) | update median (s) | "
             "update p95 (s) |", "|---|---|---|---|---|"]
    for name, (first, second, changes) in results.items():
        lines.append(f"| {name} | {first:.2f} | {second:.2f} | {statistics.median(changes):.3f} | "
                     f"{p95(changes):.3f} |")
    minimal = statistics.median(results["minimal one-slider page"][2])
    deck = statistics.median(results["one slider + small deck.gl map"][2])
    first, second, changes = results["explorer (offline basemap)"]
    explorer = statistics.median(changes)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"Measured {stamp} on {machine()}; Debian Chromium headless (software WebGL), 1400×1000 viewport, "
             f"{CHANGES} slider changes per page, fresh server per page.\n"
             "Command: `.venv/bin/python benchmarks/bench_ui.py`.\n\n" + "\n".join(lines)
             + f"\n\nExplorer update median / minimal page median = **{explorer / minimal:.2f}×** (target ≤ 1.5×; "
             f"the small-map page alone is {deck / minimal:.2f}×); explorer cold start **{first:.2f} s** for the "
             f"first visitor, **{second:.2f} s** for the next (target ≤ 3 s).\n")
    print(block)
    write_block("ui", block)


if __name__ == "__main__":
    main()
