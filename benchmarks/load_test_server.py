"""Server-only load test: N concurrent Streamlit sessions driven over the app's WebSocket, no browser.

Run: `.venv/bin/python benchmarks/load_test_server.py [N ...] [--seconds S]` (default N = 10, 20, 50).
`load_test.py` drives real browsers, but on a 2-core machine twenty Chromium pages drawing WebGL in
software saturate the cores the server needs, so it measures the whole machine. This script speaks
Streamlit's own protocol instead (the protobuf messages the page exchanges with `/_stcore/stream`):
each session opens the explorer, then alternately moves the "Announced power" weight slider and
picks a site in the card selector, as fast as the server answers, for S seconds. It counts errors
(an exception element in the page, a run that does not finish successfully, a dropped connection,
no answer within 60 s), times each rerun from the message sent to the run finished, and samples
the server's resident memory. Loopback only. Writes the "load-server" block of RESULTS.md.

`--app NAME=PATH` (repeatable) compares apps like for like instead, e.g. a git worktree of the code as
it was when a target was set against this repository's app: each N runs every app in turn on a fresh
server started from the app's own directory (so its own `.streamlit/config.toml` applies); the table
is printed, not written.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from benchmarks.bench_model import machine, write_block  # noqa: E402
from benchmarks.bench_ui import p95  # noqa: E402
from benchmarks.load_test import rss_mb  # noqa: E402
from tests.browser_support import serve  # noqa: E402
from tests.support.st_protocol import CARD_LABEL, RUN_TIMEOUT_S, SLIDER_LABEL, Session, WidgetState  # noqa: E402


async def user(url: str, seconds: float, index: int, ramp_s: float, sessions: list[Session]) -> None:
    await asyncio.sleep(ramp_s * index)
    s = Session(url)
    sessions.append(s)
    rng = random.Random(index)
    try:
        await s.connect()
        await s.run([])  # the page's first run
        if SLIDER_LABEL not in s.widgets or CARD_LABEL not in s.widgets:
            s.errors.append(f"widgets not found in the first run: {sorted(s.widgets)}")
            return
        end = time.monotonic() + seconds
        step = 0
        while time.monotonic() < end:
            if step % 2 == 0:
                state = WidgetState(id=s.widgets[SLIDER_LABEL][0])
                state.double_array_value.data.append(rng.choice([2.0, 4.0, 6.0, 8.0, 10.0]))
            else:
                card_id, options = s.widgets[CARD_LABEL]  # a selectbox sends the option as shown
                state = WidgetState(id=card_id, string_value=rng.choice(options[1:]))
            await s.run([state])
            step += 1
    except TimeoutError:
        s.errors.append(f"no answer within {RUN_TIMEOUT_S:.0f} s")
    except websockets.ConnectionClosed as exc:
        s.errors.append(f"connection closed: {exc}")
    finally:
        if s.ws is not None:
            await s.ws.close()


async def run_load(url: str, pid: int, n: int, seconds: float, ramp_s: float) -> dict:
    sessions: list[Session] = []
    memory = [rss_mb(pid)]

    async def sample() -> None:
        while True:
            await asyncio.sleep(1.0)
            memory.append(rss_mb(pid))

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(user(url, seconds, i, ramp_s, sessions) for i in range(n)))
    sampler.cancel()
    memory.append(rss_mb(pid))
    latencies = sorted(x for s in sessions for x in s.latencies[1:])  # first run = page load, not an update
    errors = [e for s in sessions for e in s.errors]
    return {"n": n, "updates": len(latencies), "errors": errors,
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": p95(latencies) if latencies else float("nan"),
            "first": statistics.median([s.latencies[0] for s in sessions if s.latencies] or [float("nan")]),
            "memory": (memory[0], max(memory), memory[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sessions", nargs="*", type=int, default=[10, 20, 50])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ramp", type=float, default=0.5, help="seconds between session arrivals")
    parser.add_argument("--app", action="append", default=[], metavar="NAME=PATH",
                        help="compare apps (e.g. a git worktree of an older commit), served from their own "
                             "directory so their own .streamlit/config.toml applies; each N runs every app in "
                             "turn; the figures are printed, not written (default: this repository's app.py)")
    args = parser.parse_args()
    apps = [("explorer", ROOT / "app.py")]
    if args.app:
        try:
            apps = [(name, Path(path).resolve()) for name, path in (a.split("=", 1) for a in args.app)]
        except ValueError:
            parser.error("--app takes NAME=PATH")
        for name, path in apps:
            if not path.is_file():
                parser.error(f"--app {name}: no such file: {path}")
    rows = []
    for n in args.sessions:
        for name, script in apps:
            with serve(script, cwd=script.parent) as url:  # a fresh server per N and app
                result = asyncio.run(run_load(url, url.pid, n, args.seconds, args.ramp))
            result["app"] = name
            rows.append(result)
            print(f"{name} N={n}: {result['updates']} updates, {len(result['errors'])} errors, "
                  f"p50 {result['p50']:.3f} s, p95 {result['p95']:.3f} s", result["errors"][:3], flush=True)
    lines = ["| app | sessions | updates | errors | first run p50 (s) | update p50 (s) | update p95 (s) | "
             "server RSS MB (start → max → end) |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        m = r["memory"]
        lines.append(f"| {r['app']} | {r['n']} | {r['updates']} | {len(r['errors'])} | {r['first']:.2f} | "
                     f"{r['p50']:.3f} | {r['p95']:.3f} | {m[0]:.0f} → {m[1]:.0f} → {m[2]:.0f} |")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"Measured {stamp} on {machine()}; one server, sessions over Streamlit's WebSocket protocol (no "
             f"browser), arriving every {args.ramp:g} s, each rerunning back to back for {args.seconds:g} s "
             "(weight slider and site card alternately); loopback only.\n"
             f"Command: `.venv/bin/python benchmarks/load_test_server.py {' '.join(map(str, args.sessions))} "
             f"--seconds {args.seconds:g}" + "".join(f" --app {a}" for a in args.app) + "`.\n\n"
             + "\n".join(lines) + "\n\nAn update is timed from the message "
             "sent to the run finished on the server (the browser's drawing is not included).\n")
    print(block)
    if not args.app:
        write_block("load-server", block)


if __name__ == "__main__":
    main()
