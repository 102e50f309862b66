"""Server-side cost of a weight change: one rerun of the explorer, timed and taken apart.

Run: `.venv/bin/python benchmarks/profile_rerun.py [--runs N] [--profile-runs M] [--no-write]`.

The script runs in Streamlit's AppTest (no server, no browser), warm caches: a first run loads the
layers (`st.cache_resource`), then three warm-up changes; then N times: move the sidebar's
"Announced power — weight" slider (`at.slider(key="weight_power_mw").set_value(...)`, toggling
between two values) and time `at.run()`. Reported: median and p95 of `at.run()` (AppTest's own
overhead included: thread start, widget states, parsing the element tree) and of the script alone
(Streamlit's `exec_func_with_error_handling`, i.e. what a server session spends in the script).

Breakdown: wrappers with `time.perf_counter` around the app's steps (`benchmarks/rerun_steps.toml`),
found by module attribute (whatever the other views call them; a step the app no longer has is listed
as absent): scoring (`siting.scoring.rank_sites`), the sidebar, key figures, deck build
(`mapview.build_deck`), `st.pydeck_chart` (the deck's JSON and its message), the site card, the ranking
table (`explorer.render_table`, of which `st.dataframe`: Arrow serialisation), downloads, the URL.
Sizes: every ForwardMsg of one rerun as AppTest receives it (the messages a server sends), by
element type, and the deck JSON and the table's message. Then M runs under `cProfile` (enabled in
the script thread) for the functions that cost most. The reference page
(`benchmarks/reference_app.py`, its one slider) is timed the same way as the floor.

Two things AppTest does not show are measured too: the full garbage collection a server makes after
every run (`runner.postScriptGC`: `gc.collect(2)` timed after a rerun, as is and after
`gc.freeze()`), and the same weight change on a real server over its WebSocket (loopback, one
session, message sent → run finished). Results: block "rerun" of RESULTS.md.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import cProfile
import importlib
import io
import pstats
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_model import machine, write_block  # noqa: E402

APP = ROOT / "app.py"
REFERENCE = Path(__file__).resolve().parent / "reference_app.py"
TARGET_MS = 50.0

STEPS_FILE = Path(__file__).resolve().parent / "rerun_steps.toml"


def load_steps(path: Path = STEPS_FILE) -> list[tuple[str, str, str, str | None]]:
    """The steps of a rerun, timed where the app calls them: (module, attribute, label, enclosing step or None)."""
    steps = []
    for step in tomllib.loads(path.read_text(encoding="utf-8"))["steps"]:
        module, _, attr = step["function"].rpartition(".")
        steps.append((module, attr, step["label"], step.get("within")))
    labels = {label for _m, _a, label, _w in steps}
    unknown = [within for *_, within in steps if within is not None and within not in labels]
    if unknown:
        raise ValueError(f"{path}: `within` names no step: {unknown}")
    return steps


STEPS = load_steps()


class Timers:
    """Accumulated seconds per label for the current run (re-entrant calls counted once)."""

    def __init__(self) -> None:
        self.current: dict[str, float] = collections.defaultdict(float)
        self.calls: dict[str, int] = collections.defaultdict(int)
        self.depth: dict[str, int] = collections.defaultdict(int)
        self.runs: list[dict[str, float]] = []
        self.found: list[str] = []
        self.absent: list[str] = []
        self.script_s: list[float] = []
        self.messages: list = []
        self.profiler: cProfile.Profile | None = None

    def wrap(self, label: str, fn):
        def timed(*args, **kwargs):
            self.depth[label] += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.depth[label] -= 1
                if self.depth[label] == 0:
                    self.current[label] += time.perf_counter() - t0
                    self.calls[label] += 1

        timed.__wrapped__ = fn
        return timed

    def install(self) -> None:
        for module_name, attr, label, _parent in STEPS:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                self.absent.append(label)
                continue
            fn = getattr(module, attr, None)
            if not callable(fn):
                self.absent.append(label)
                continue
            setattr(module, attr, self.wrap(label, fn))
            self.found.append(label)
        # the script alone, in the script thread (and the profiler, when one is on)
        from streamlit.runtime.scriptrunner import script_runner

        exec_fn = script_runner.exec_func_with_error_handling

        def exec_timed(*args, **kwargs):
            if self.profiler is not None:
                self.profiler.enable()
            t0 = time.perf_counter()
            try:
                return exec_fn(*args, **kwargs)
            finally:
                self.script_s.append(time.perf_counter() - t0)
                if self.profiler is not None:
                    self.profiler.disable()

        script_runner.exec_func_with_error_handling = exec_timed
        # every ForwardMsg of a run, as the session would send it
        from streamlit.testing.v1 import local_script_runner

        parse = local_script_runner.parse_tree_from_messages

        def parse_kept(messages):
            self.messages = list(messages)
            return parse(messages)

        local_script_runner.parse_tree_from_messages = parse_kept

    def start_run(self) -> None:
        self.current = collections.defaultdict(float)
        self.calls = collections.defaultdict(int)

    def end_run(self) -> None:
        self.runs.append(dict(self.current))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def message_sizes(messages) -> tuple[dict[str, list[int]], int, int, int]:
    """Bytes per element type of one run's messages; deck JSON chars; ranking table message bytes."""
    by_type: dict[str, list[int]] = collections.defaultdict(list)
    deck_json = table_bytes = total = 0
    for msg in messages:
        size = msg.ByteSize()
        total += size
        kind = msg.WhichOneof("type")
        if kind == "delta":
            delta_kind = msg.delta.WhichOneof("type")
            if delta_kind == "new_element":
                element_kind = msg.delta.new_element.WhichOneof("type")
                by_type[element_kind].append(size)
                if element_kind == "deck_gl_json_chart":
                    deck_json = max(deck_json, len(msg.delta.new_element.deck_gl_json_chart.json))
                if element_kind == "dataframe":
                    table_bytes = max(table_bytes, size)
            else:
                by_type[f"({delta_kind})"].append(size)
        else:
            by_type[f"[{kind}]"].append(size)
    return by_type, deck_json, table_bytes, total


FRAGMENT: dict[str, str | None] = {"id": None}
"""The fragment a slider change reruns, as the browser asks (None: the whole page)."""


def fragment_runs() -> None:
    """Make AppTest rerun ``FRAGMENT["id"]`` alone when set, as the browser does for a widget drawn by a
    fragment (AppTest itself always reruns the whole page)."""
    from streamlit.testing.v1 import local_script_runner

    rerun_data = local_script_runner.RerunData

    def scoped(*args, **kwargs):
        if FRAGMENT["id"]:
            kwargs["fragment_id_queue"] = [FRAGMENT["id"]]
        return rerun_data(*args, **kwargs)

    local_script_runner.RerunData = scoped


def slider_fragment(messages, slider_key: str) -> str | None:
    """The id of the fragment that drew the slider keyed ``slider_key`` (None if none did)."""
    for m in messages:
        if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element" \
                and m.delta.new_element.WhichOneof("type") == "slider" \
                and m.delta.new_element.slider.id.endswith(slider_key):
            return m.delta.fragment_id or None
    return None


def change_slider(at, full_tree, slider_key: str, value: float) -> None:
    """Move the slider and rerun as the browser does: every widget's state from the last full run, and
    only the fragment that drew the slider when one did (``FRAGMENT``).

    After a fragment run AppTest's tree holds only what that run sent: the widget states come from
    the tree of the last full run instead.
    """
    full_tree.slider(key=slider_key).set_value(value)
    at._run(full_tree.get_widget_states())  # noqa: SLF001 (AppTest.run() would read the fragment's tree)


def time_reruns(script: Path, slider_key: str, runs: int, timers: Timers, profile_runs: int = 0):
    """Run the script in AppTest; toggle the slider `runs` times; return (at.run seconds, script seconds)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=180)
    FRAGMENT["id"] = None
    at.run()
    if at.exception:
        raise RuntimeError(f"{script.name}: exception on the first run: {at.exception[0].message[:300]}")
    full_tree = at._tree  # noqa: SLF001
    FRAGMENT["id"] = slider_fragment(timers.messages, slider_key)
    base = float(at.slider(key=slider_key).value)
    other = base + 0.5 if base + 0.5 <= float(at.slider(key=slider_key).max) else base - 0.5
    values = [other, base]
    for i in range(3):  # warm-up
        change_slider(at, full_tree, slider_key, values[i % 2])
    timers.script_s.clear()
    timers.runs.clear()
    wall, script_s = [], []
    for i in range(runs):
        timers.start_run()
        runs_before = len(timers.script_s)
        t0 = time.perf_counter()
        change_slider(at, full_tree, slider_key, values[(i + 3) % 2])
        wall.append(time.perf_counter() - t0)
        # every run of the change (one: the fragment's; the sum keeps counting if a change made more)
        script_s.append(sum(timers.script_s[runs_before:]))
        timers.end_run()
        if at.exception:
            raise RuntimeError(f"{script.name}: exception on a rerun: {at.exception[0].message[:300]}")
    sizes = message_sizes(timers.messages)
    gc_s = post_script_gc(at, full_tree, slider_key, values, min(runs, 10))
    elements = sum(len(v) for k, v in sizes[0].items() if not k.startswith(("(", "[")))
    profile_text = ""
    if profile_runs:
        timers.profiler = cProfile.Profile()
        for i in range(profile_runs):
            change_slider(at, full_tree, slider_key, values[i % 2])
        profiler, timers.profiler = timers.profiler, None
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(20)
        profile_text = out.getvalue()
    return wall, script_s, sizes, elements, profile_text, gc_s


def post_script_gc(at, full_tree, slider_key: str, values: list[float], runs: int) -> dict:
    """Cost of the full collection a server runs after every script run (``runner.postScriptGC``, on by
    default; AppTest skips it): ``gc.collect(2)`` after a rerun, as is and after ``gc.freeze()``."""
    import gc

    out = {"objects": len(gc.get_objects())}
    for mode in ("as is", "frozen"):
        if mode == "frozen":
            gc.collect()
            gc.freeze()
        times = []
        for i in range(runs):
            change_slider(at, full_tree, slider_key, values[i % 2])
            t0 = time.perf_counter()
            gc.collect(2)
            times.append(time.perf_counter() - t0)
        out[mode] = statistics.median(times)
    gc.unfreeze()
    return out


async def _ws_reruns(url: str, runs: int) -> tuple[list[float], list[int], str]:
    """One session over Streamlit's WebSocket: toggle the weight slider; seconds send → run finished."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tests.support.st_protocol import SLIDER_LABEL, Session, WidgetState

    s = Session(url)
    await s.connect()
    await s.run([])
    if SLIDER_LABEL not in s.widgets or s.errors:
        return [], [], f"slider not found or errors: {s.errors[:2]}"
    latencies, sizes = [], []
    try:
        for i in range(runs + 3):
            state = WidgetState(id=s.widgets[SLIDER_LABEL][0])
            state.double_array_value.data.append(8.5 if i % 2 == 0 else 8.0)
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_script_hash = s.script_hash
            msg.rerun_script.widget_states.widgets.extend([state])
            msg.rerun_script.fragment_id = s.fragments.get(state.id, "")  # as the browser asks
            t0 = time.perf_counter()
            await s.ws.send(msg.SerializeToString())
            received, finished = 0, float("nan")
            while True:  # until the last run of this interaction finished
                try:
                    raw = await asyncio.wait_for(s.ws.recv(), timeout=0.5 if received else 60)
                except TimeoutError:
                    break
                fwd = ForwardMsg()
                fwd.ParseFromString(raw)
                received += len(raw)
                if fwd.WhichOneof("type") == "script_finished":
                    finished = time.perf_counter() - t0
                    if fwd.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                               ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                        break
            if i >= 3:
                latencies.append(finished)
                sizes.append(received)
    finally:
        await s.ws.close()
    return latencies, sizes, ""


def server_reruns(runs: int) -> tuple[list[float], list[int], str]:
    """The explorer on a real server (loopback), one session, no browser."""
    import asyncio

    from tests.browser_support import serve

    with serve() as url:
        return asyncio.run(_ws_reruns(url, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed weight changes (≥ 20)")
    parser.add_argument("--profile-runs", type=int, default=10, help="extra runs under cProfile (0: none)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    timers = Timers()
    timers.install()
    fragment_runs()

    ref_wall, ref_script, ref_sizes, ref_elements, _, _ = time_reruns(REFERENCE, "weight", args.runs, timers)
    wall, script_s, sizes, elements, profile_text, gc_s = time_reruns(APP, "weight_power_mw", args.runs, timers,
                                                                      args.profile_runs)
    runs = timers.runs
    ws_lat, ws_bytes, ws_error = server_reruns(args.runs)
    ms = lambda s: s * 1000  # noqa: E731
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = ["| page | `at.run()` median / p95 (ms) | script alone median / p95 (ms) | elements sent | "
             "bytes sent per rerun | deck JSON | ranking table message |", "|---|---|---|---|---|---|---|"]
    for name, w, s, (_by_type, deck, table, total), n in (
            ("reference page", ref_wall, ref_script, ref_sizes, ref_elements),
            ("explorer", wall, script_s, sizes, elements)):
        lines.append(f"| {name} | {ms(statistics.median(w)):.1f} / {ms(p95(w)):.1f} | "
                     f"{ms(statistics.median(s)):.1f} / {ms(p95(s)):.1f} | {n} | {total / 1024:.1f} KB | "
                     f"{deck / 1024:.1f} KB | {table / 1024:.1f} KB |")
    if ws_lat:
        lines.append(f"| explorer on a server, over its WebSocket (send → run finished; bytes received) | "
                     f"{ms(statistics.median(ws_lat)):.1f} / {ms(p95(ws_lat)):.1f} | | | "
                     f"{statistics.median(ws_bytes) / 1024:.1f} KB | | |")
    elif ws_error:
        lines.append(f"| explorer on a server | {ws_error} | | | | | |")
    script_med = statistics.median(script_s)
    breakdown = ["| step (explorer, one weight change) | median (ms) | share of the script |", "|---|---|---|"]
    nested = {label for _m, _a, label, parent in STEPS if parent}
    top_total = []
    for _module, _attr, label, parent in STEPS:
        if label not in timers.found:
            continue
        values = [r.get(label, 0.0) for r in runs]
        med = statistics.median(values)
        if parent is None:
            top_total.append(values)
        if med == 0.0 and all(v == 0.0 for v in values):
            continue
        name = f"  of which {label}" if label in nested else label
        breakdown.append(f"| {name} | {ms(med):.1f} | {med / script_med:.0%} |")
    rest = statistics.median([s - sum(v[i] for v in top_total) for i, s in enumerate(script_s[-len(runs):])])
    breakdown.append(f"| rest of the script (widgets, tabs, captions, metrics, state) | {ms(rest):.1f} | "
                     f"{rest / script_med:.0%} |")
    if timers.absent:
        breakdown.append(f"| (not found in this version: {', '.join(timers.absent)}) | | |")
    by_type = sizes[0]
    kinds = sorted(by_type.items(), key=lambda kv: -sum(kv[1]))
    size_line = ", ".join(f"{k} {len(v)}× {sum(v) / 1024:.1f} KB" for k, v in kinds[:12])
    target = "met" if ms(script_med) <= TARGET_MS else "not met"
    block = (f"Measured {stamp} on {machine()}; AppTest (no server, no browser), warm caches, "
             f"{args.runs} changes of the 'Announced power — weight' slider (toggling ±0.5) after 3 warm-ups; "
             "the reference page's one slider likewise.\n"
             f"Command: `.venv/bin/python benchmarks/profile_rerun.py --runs {args.runs}`.\n\n"
             + "\n".join(lines) + "\n\n"
             f"Target ≤ {TARGET_MS:.0f} ms per weight change (script alone): **{ms(script_med):.0f} ms, {target}** "
             f"(`at.run()` {ms(statistics.median(wall)):.0f} ms with AppTest's overhead).\n\n"
             + "\n".join(breakdown) + "\n\n"
             f"Messages of one explorer rerun, by element type (count, bytes): {size_line}.\n\n"
             "After every run a server also makes a full garbage collection (`runner.postScriptGC`, on by default; "
             f"AppTest skips it): `gc.collect(2)` after an explorer rerun takes **{ms(gc_s['as is']):.0f} ms** "
             f"({gc_s['objects']:,} objects tracked in this process), {ms(gc_s['frozen']):.1f} ms after "
             "`gc.freeze()`. On a server the session's next run, and its `script_finished` message, wait for it.\n")
    print(block)
    if profile_text:
        print("---- cProfile, explorer, script thread,", args.profile_runs, "weight changes ----")
        print(profile_text)
    if not args.no_write:
        write_block("rerun", block)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
