"""Time what a person sees: slider key press → the ranking table's and the map's pixels change.

Run: `.venv/bin/python benchmarks/bench_ui.py [--changes N] [--cold-rounds R] [--probe MODE] [--no-write]`
(Debian's Chromium, `make browser`; Playwright never downloads a browser here).

Pages: the fair floor `benchmarks/reference_app.py` (one weight slider, a 35-point deck.gl map and a
35-row `st.dataframe` with a progress column) and the explorer (`app.py`, plain `/`, offline base).

How it is timed, in the page (an init script, installed before Streamlit's JavaScript runs):

* A frame loop: `requestAnimationFrame`, then a `MessageChannel` message, so the check runs after
  every animation-frame callback of that frame (glide-data-grid's and deck.gl's included). A check
  hashes every pixel of the ranking grid's canvas (`.st-key-ranking_table
  [data-testid=data-grid-canvas]`, `getImageData`) and of the map's WebGL canvas (copied with
  `drawImage` into a 2D canvas, then `getImageData`), and notes the time when a hash changes.
  Streamlit creates deck.gl's WebGL context with `preserveDrawingBuffer: true` (recorded from
  `getContextAttributes()` of the context the page itself created, caught by a `getContext`
  wrapper: calling `getContext` from the probe first would create the context with *our*
  attributes), so the map's pixels can be read back after the frame, not only in deck.gl's own
  draw task. So that the probe costs nothing in idle frames, a canvas is hashed only in frames
  after the page drew on it: wrappers on the 2D drawing calls (`fillRect`, `fillText`, `drawImage`…)
  and the WebGL draw calls (`drawArrays`, `drawElements`, their instanced forms, `clear`) set a
  flag; they never change what is drawn. `--probe every-frame` hashes both canvases in every frame
  instead (a check of the gating: same figures, higher probe cost).
* The key press time is the `keydown` event's `timeStamp` (same clock as `performance.now()`), so
  Playwright's round trip is not counted. A change ends when the script is idle and neither canvas
  nor the DOM has changed for 1 s; its figures are the *last* canvas change after the key press
  (the first is recorded too) and, for comparison, the last DOM mutation (the old "quiescence").
* The arrival of every WebSocket message in the page (a listener added before the page's own, on a
  `WebSocket` subclass; it reads only the size): key → last message of the change is when the page
  had everything to draw. The time is taken when the page's main thread handles the message, so a
  busy page delays it as it delays the drawing; the gap to the last table pixel is the rendering.
* The first change after a page opened is the first warm-up: not counted in the medians, but
  reported apart (a page may pay once for what its first view saved, e.g. fetching files).
* Cold start: navigation start (`performance.timeOrigin`) → the last change of the table canvas
  and of the map canvas once the page is idle and quiet for 2 s; first visitor = fresh server,
  next visitor = a new browser context (empty browser cache) on the same, warm server.

Updates are interleaved: one change on the reference page, one on the explorer, and so on, both
pages open on their own warm servers, so drift on the machine affects both alike. The slider is
the explorer's "Announced power — weight" (key `weight_power_mw`) and the reference's one slider,
pressed ArrowRight / ArrowLeft alternately so the value toggles. Results: block "ui" of RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_model import machine, write_block  # noqa: E402
from tests.browser_support import browser, serve  # noqa: E402

REFERENCE = Path(__file__).resolve().parent / "reference_app.py"
MINIMAL = Path(__file__).resolve().parent / "minimal_app.py"
VIEWPORT = {"width": 1400, "height": 1800}  # tall enough to show the explorer's map *and* ranking grid
QUIET_MS = 1000  # a change is over when nothing changed for this long and the script is idle
COLD_QUIET_MS = 2000
MAX_CHANGE_MS = 20_000
MAX_COLD_MS = 120_000

PAGES = {
    # name: (script or None for app.py, slider key, whether the page has a ranking grid and a map)
    "reference": (REFERENCE, "weight", True),
    "explorer": (None, "weight_power_mw", True),
    "minimal": (MINIMAL, None, False),  # optional (--pages): one slider and a line of text
}


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (used by the load tests too)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# Runs at document start in every page of a context: the frame loop, the WebGL draw hook, the
# keydown clock and a DOM mutation clock. Nothing here changes what the page draws.
PROBE_JS = r"""
(() => {
  if (window.__bench) return;
  const B = window.__bench = {
    running: false, glDirty: true, glDraws: 0, frames: 0, hashMs: 0, maxHashMs: 0,
    table: [], map: [], keys: [], lastMutation: 0, tableHash: null, mapHash: null, mapEl: null,
    glAttrs: null, blankMap: true, canvasDirty: true, gated: __GATED__, mapProbe: __MAP_PROBE__,
  };
  for (const proto of [window.WebGLRenderingContext, window.WebGL2RenderingContext].filter(Boolean)
                       .map(c => c.prototype)) {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced',
                        'drawRangeElements', 'clear']) {
      const orig = proto[name];
      if (typeof orig !== 'function') continue;
      proto[name] = function (...args) { B.glDirty = true; B.glDraws++; return orig.apply(this, args); };
    }
  }
  const glContexts = new WeakMap();  // canvas → its WebGL context, as the page created it
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
    const ctx = getContext.call(this, type, ...rest);
    if (ctx && /webgl/.test(String(type))) glContexts.set(this, ctx);
    return ctx;
  };
  let scratch = null;  // our own copy of the map; its draws are not the page's
  for (const proto of [window.CanvasRenderingContext2D, window.OffscreenCanvasRenderingContext2D].filter(Boolean)
                       .map(c => c.prototype)) {
    for (const name of ['fillRect', 'strokeRect', 'clearRect', 'fillText', 'strokeText', 'fill', 'stroke',
                        'drawImage', 'putImageData', 'clip']) {
      const orig = proto[name];
      if (typeof orig !== 'function') continue;
      proto[name] = function (...args) {
        if (this.canvas !== scratch) B.canvasDirty = true;
        return orig.apply(this, args);
      };
    }
  }
  const hash = (data) => {
    const u = new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
    let h = 0x811c9dc5 | 0, s = 0;
    for (let i = 0; i < u.length; i++) { h = Math.imul(h ^ u[i], 16777619); s = (s + u[i]) | 0; }
    return (h >>> 0).toString(16) + ':' + (s >>> 0).toString(16);
  };
  B.tableCanvas = () => {
    const keyed = document.querySelector('.st-key-ranking_table [data-testid="data-grid-canvas"]');
    if (keyed) return keyed;
    let best = null;  // fallback: the largest grid canvas
    document.querySelectorAll('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]').forEach(c => {
      if (!best || c.width * c.height > best.width * best.height) best = c;
    });
    return best;
  };
  // deck.gl's canvas; a basemap drawn by the map library (when the deck has a map style) is its own canvas below
  B.mapCanvas = () => document.querySelector('[data-testid="stDeckGlJsonChart"] canvas#deckgl-overlay')
    || document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
  B.baseCanvas = () => document.querySelector('[data-testid="stDeckGlJsonChart"] canvas.mapboxgl-canvas');
  scratch = document.createElement('canvas');
  const sctx = scratch.getContext('2d', {willReadFrequently: true});
  const check = () => {
    const t0 = performance.now();
    const tc = B.tableCanvas();
    if (tc && tc.width && tc.height && (!B.gated || B.canvasDirty || tc !== B.tableEl)) {
      B.canvasDirty = false; B.tableEl = tc;
      const px = tc.getContext('2d').getImageData(0, 0, tc.width, tc.height).data;
      const h = tc.width + 'x' + tc.height + ':' + hash(px);
      if (h !== B.tableHash) { B.tableHash = h; B.table.push(t0); }
    }
    const mc = B.mapCanvas();
    const attrsUnknown = !B.glAttrs || typeof B.glAttrs === 'string';
    if (B.mapProbe && mc && mc.width && mc.height && (!B.gated || B.glDirty || mc !== B.mapEl || attrsUnknown)) {
      B.glDirty = false;
      if (mc !== B.mapEl || attrsUnknown) {  // never call getContext here: it would create the context
        B.mapEl = mc;                        // with our attributes
        const gl = glContexts.get(mc);
        B.glAttrs = gl ? gl.getContextAttributes() : 'no WebGL context seen';
      }
      if (scratch.width !== mc.width || scratch.height !== mc.height) {
        scratch.width = mc.width; scratch.height = mc.height;
      }
      sctx.clearRect(0, 0, scratch.width, scratch.height);
      const base = B.baseCanvas();  // what a person sees: the basemap, then deck.gl's layers over it
      if (base && base.width === mc.width && base.height === mc.height) sctx.drawImage(base, 0, 0);
      sctx.drawImage(mc, 0, 0);
      const px = sctx.getImageData(0, 0, scratch.width, scratch.height).data;
      let blank = true;
      for (let i = 3; i < px.length; i += 4) { if (px[i]) { blank = false; break; } }
      const h = mc.width + 'x' + mc.height + ':' + hash(px);
      if (h !== B.mapHash) { B.mapHash = h; B.blankMap = blank; if (!blank) B.map.push(t0); }
    }
    const spent = performance.now() - t0;
    B.hashMs += spent; B.maxHashMs = Math.max(B.maxHashMs, spent); B.frames++;
  };
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { if (!B.running) return; check(); requestAnimationFrame(tick); };
  const tick = () => channel.port2.postMessage(0);
  B.start = () => { if (!B.running) { B.running = true; requestAnimationFrame(tick); } };
  B.stop = () => { B.running = false; };
  B.reset = () => {
    B.table = []; B.map = []; B.keys = []; B.ws = []; B.frames = 0; B.hashMs = 0; B.maxHashMs = 0; B.glDraws = 0;
  };
  B.idle = () => !document.querySelector('[data-testid="stStatusWidget"]');
  B.exception = () => {
    const e = document.querySelector('[data-testid="stException"]');
    return e ? e.innerText.slice(0, 300) : '';
  };
  window.addEventListener('keydown', e => B.keys.push(e.timeStamp), true);
  // Arrival of each WebSocket message (the server's share of a change ends at the last one). Our
  // listener is added in the constructor, before the page's own handler; it only reads the size.
  B.ws = [];
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const size = e.data && (e.data.byteLength ?? e.data.length ?? e.data.size);
        if (B.running) B.ws.push([performance.now(), size || 0]);
      });
    }
  };
  new MutationObserver(() => { B.lastMutation = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  // Resolve once the script is idle and neither canvas nor the DOM changed for quietMs (or after maxMs).
  B.settle = (quietMs, maxMs, needTable, needMap, since) => new Promise(resolve => {
    const begin = performance.now();
    const step = () => {
      const now = performance.now();
      const tableAfter = B.table.filter(t => t >= since), mapAfter = B.map.filter(t => t >= since);
      const last = Math.max(since, B.lastMutation, ...tableAfter, ...mapAfter);
      const ready = (!needTable || tableAfter.length) && (!needMap || !B.mapProbe || (mapAfter.length && !B.blankMap));
      const timedOut = now - begin > maxMs;
      if ((ready && B.idle() && now - last >= quietMs) || timedOut) {
        resolve({table: tableAfter, map: mapAfter, ws: B.ws.filter(m => m[0] >= since),
                 lastMutation: B.lastMutation, keys: B.keys.slice(),
                 frames: B.frames, hashMs: B.hashMs, maxHashMs: B.maxHashMs, glDraws: B.glDraws,
                 glAttrs: B.glAttrs, timedOut, exception: B.exception(), now, idle: B.idle(),
                 mapHash: B.mapHash, blankMap: B.blankMap, mapSeen: !!B.mapCanvas()});
      } else setTimeout(step, 50);
    };
    step();
  });
  B.start();  // from document start: the cold-start measurement needs it; stopped after it
})();
"""


PROBE = {"gated": True, "map": True}  # see --probe
PAGE_ENV: dict[str, dict[str, str]] = {}  # see --page-env


def new_context(b):
    ctx = b.new_context(viewport=VIEWPORT)
    ctx.add_init_script(PROBE_JS.replace("__GATED__", "true" if PROBE["gated"] else "false")
                        .replace("__MAP_PROBE__", "true" if PROBE["map"] else "false"))
    return ctx


def cold_start(b, url: str, has_grid: bool) -> dict:
    """Open the page in a new context; ms from navigation start to the table and map last drawn."""
    ctx = new_context(b)
    page = ctx.new_page()
    page.goto(url, wait_until="commit", timeout=MAX_COLD_MS)
    page.wait_for_function("() => window.__bench", timeout=MAX_COLD_MS)
    r = page.evaluate("([q, m, g]) => window.__bench.settle(q, m, g, g, 0)", [COLD_QUIET_MS, MAX_COLD_MS, has_grid])
    if r["exception"] or r["timedOut"]:
        ctx.close()
        raise RuntimeError(f"{url}: page not drawn ({'exception: ' + r['exception'] if r['exception'] else 'timeout'})")
    last_table = max(r["table"]) if r["table"] else float("nan")
    last_map = max(r["map"]) if r["map"] else float("nan")
    out = {"table": last_table, "map": last_map, "drawn": max(last_table, last_map) if has_grid else r["lastMutation"],
           "dom": r["lastMutation"], "glAttrs": r["glAttrs"]}
    ctx.close()
    return out


class Page:
    """One open page on its own warm server, ready for slider changes."""

    def __init__(self, b, name: str, url: str, slider_key: str | None, has_grid: bool):
        self.name, self.has_grid, self.step = name, has_grid, 0
        self.first_change: dict | None = None  # the first change after the page opened (a warm-up)
        self.ctx = new_context(b)
        self.page = self.ctx.new_page()
        self.page.goto(url, wait_until="commit", timeout=MAX_COLD_MS)
        self.page.wait_for_function("() => window.__bench", timeout=MAX_COLD_MS)
        r = self.page.evaluate("([q, m, g]) => window.__bench.settle(q, m, g, g, 0)",
                               [COLD_QUIET_MS, MAX_COLD_MS, has_grid])
        if r["exception"] or r["timedOut"]:
            raise RuntimeError(f"{name}: page not drawn ({r['exception'] or 'timeout'})")
        self.gl_attrs = r["glAttrs"]
        self.page.evaluate("() => window.__bench.stop()")
        container = (self.page.locator(f".st-key-{slider_key}") if slider_key
                     else self.page.locator("[data-testid='stSlider']").first)
        self.slider = container.get_by_role("slider")
        self.slider.wait_for(timeout=60_000)
        self.records: list[dict] = []

    def change(self) -> dict:
        """Press the slider's arrow key once; return ms from keydown to the last table/map/DOM change."""
        key = "ArrowRight" if self.step % 2 == 0 else "ArrowLeft"
        self.step += 1
        before = self.slider.input_value()
        self.slider.focus()
        since = self.page.evaluate(
            "() => { const B = window.__bench; B.reset(); B.start(); return performance.now(); }")
        self.slider.press(key)
        r = self.page.evaluate("([q, m, g, s]) => window.__bench.settle(q, m, g, g, s)",
                               [QUIET_MS, MAX_CHANGE_MS, self.has_grid, since])
        self.page.evaluate("() => window.__bench.stop()")
        after = self.slider.input_value()
        if r["exception"]:
            raise RuntimeError(f"{self.name}: exception on the page: {r['exception']}")
        t_key = r["keys"][0] if r["keys"] else since
        if r["timedOut"]:
            print(f"  {self.name}: timed out: idle {r['idle']}, table changes {len(r['table'])}, map changes "
                  f"{len(r['map'])}, WebGL draws {r['glDraws']}, map canvas {r['mapSeen']}, blank {r['blankMap']}",
                  flush=True)
        rec = {
            "value": f"{before}→{after}", "toggled": before != after, "timedOut": r["timedOut"],
            "table_last": max(r["table"]) - t_key if r["table"] else None,
            "table_first": min(r["table"]) - t_key if r["table"] else None,
            "table_changes": len(r["table"]),
            "map_last": max(r["map"]) - t_key if r["map"] else None,
            "map_first": min(r["map"]) - t_key if r["map"] else None,
            "map_changes": len(r["map"]),
            "dom_last": r["lastMutation"] - t_key if r["lastMutation"] > t_key else None,
            "hash_ms_per_frame": r["hashMs"] / max(1, r["frames"]), "max_hash_ms": r["maxHashMs"],
            "frames": r["frames"],
            # key → first / last WebSocket message of the change, as the page's main thread handled them
            "ws_first": r["ws"][0][0] - t_key if r["ws"] else None,
            "ws_last": r["ws"][-1][0] - t_key if r["ws"] else None,
            "ws_count": len(r["ws"]), "ws_bytes": sum(m[1] for m in r["ws"]),
        }
        return rec

    def close(self) -> None:
        self.ctx.close()


def summary(values: list[float | None]) -> tuple[float, float, int]:
    got = [v for v in values if v is not None]
    return (statistics.median(got), p95(got), len(got)) if got else (float("nan"), float("nan"), 0)


def versions(b) -> str:
    import playwright

    mem_gb = float("nan")
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    pw = getattr(playwright, "__version__", None)
    if not pw:
        from importlib.metadata import version

        pw = version("playwright")
    return f"{machine()}, {mem_gb:.0f} GB RAM, Chromium {b.version} (Debian, headless, software WebGL), Playwright {pw}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="slider changes per page (after 2 warm-ups)")
    parser.add_argument("--cold-rounds", type=int, default=3, help="fresh servers per page for the cold starts")
    parser.add_argument("--pages", default="reference,explorer", help="comma-separated, among: " + ", ".join(PAGES))
    parser.add_argument("--probe", choices=("gated", "every-frame", "table-only"), default="gated",
                        help="hash a canvas only in frames after the page drew on it (default), in every frame, "
                             "or the table only (no WebGL read-back: a check of the map probe's own cost)")
    parser.add_argument("--page", action="append", default=[], metavar="NAME=SCRIPT[:SLIDER_KEY]",
                        help="an extra page to time alongside (an experiment); it needs the ranking grid "
                             "keyed 'ranking_table' and a deck.gl map; add NAME to --pages")
    parser.add_argument("--page-env", action="append", default=[], metavar="NAME:VAR=VALUE",
                        help="an environment variable for the server of page NAME (e.g. a Streamlit option "
                             "STREAMLIT_RUNNER_POST_SCRIPT_GC=false); the page may be app.py itself")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    PROBE["gated"] = args.probe != "every-frame"
    PROBE["map"] = args.probe != "table-only"
    for spec in args.page:
        name, _, rest = spec.partition("=")
        script, _, key = rest.partition(":")
        PAGES[name] = (Path(script).resolve(), key or None, True)
    for spec in args.page_env:
        name, _, assignment = spec.partition(":")
        var, _, value = assignment.partition("=")
        PAGE_ENV.setdefault(name, {})[var] = value
    names = [n.strip() for n in args.pages.split(",") if n.strip()]
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        parser.error(f"unknown page(s): {', '.join(unknown)}")
    cold: dict[str, list[tuple[dict, dict]]] = {n: [] for n in names}
    started = dt.datetime.now(dt.UTC)
    with browser() as b:
        info = versions(b)
        print(info, flush=True)
        # ---- cold starts: fresh servers, pages interleaved round by round ----
        for round_ in range(args.cold_rounds):
            for name in names:
                script, _key, grid = PAGES[name]
                with serve(*([script] if script else []), env=PAGE_ENV.get(name)) as url:
                    first = cold_start(b, f"{url}/", grid)
                    nxt = cold_start(b, f"{url}/", grid)
                cold[name].append((first, nxt))
                print(f"cold {round_ + 1} {name}: first {first['drawn'] / 1000:.2f} s "
                      f"(table {first['table'] / 1000:.2f}, map {first['map'] / 1000:.2f}), next "
                      f"{nxt['drawn'] / 1000:.2f} s (table {nxt['table'] / 1000:.2f}, map {nxt['map'] / 1000:.2f})",
                      flush=True)
        gl_attrs = cold[names[0]][0][1]["glAttrs"] if names and cold[names[0]] else None
        # ---- updates: all pages open on warm servers; one change each in turn ----
        with contextlib.ExitStack() as stack:
            pages = []
            for name in names:
                script, key, grid = PAGES[name]
                url = stack.enter_context(serve(*([script] if script else []), env=PAGE_ENV.get(name)))
                page = Page(b, name, f"{url}/", key, grid)  # its first run warms the server's caches
                stack.callback(page.close)
                pages.append(page)
            for w in range(2):  # warm-ups, not counted; the first change after opening is reported apart
                for page in pages:
                    rec = page.change()
                    if w == 0:
                        page.first_change = rec
                    print_change(f"w{w + 1}", page.name, rec)
            for i in range(args.changes):
                for page in pages:
                    rec = page.change()
                    page.records.append(rec)
                    print_change(f"{i + 1:3d}", page.name, rec)
            results = {p.name: p.records for p in pages}
            first_changes = {p.name: p.first_change for p in pages}
            gl_attrs = gl_attrs or (pages[0].gl_attrs if pages else None)
    block = report(names, results, cold, info, gl_attrs, args, started, first_changes)
    print(block)
    if not args.no_write:
        write_block("ui", block)


def print_change(label: str, name: str, rec: dict) -> None:
    nan = float("nan")
    print(f"{label:>3s} {name:9s} {rec['value']:9s} table {rec['table_last'] or nan:7.1f} ms "
          f"(first {rec['table_first'] or nan:6.1f}, {rec['table_changes']}×)  map "
          f"{rec['map_last'] or nan:7.1f} ms ({rec['map_changes']}×)  DOM "
          f"{rec['dom_last'] or nan:7.1f} ms  messages {rec['ws_first'] or nan:5.1f}–"
          f"{rec['ws_last'] or nan:5.1f} ms ({rec['ws_count']}, {rec['ws_bytes'] / 1000:.1f} kB)  "
          f"probe {rec['hash_ms_per_frame']:.2f} ms/frame"
          + ("  TIMEOUT" if rec["timedOut"] else "") + ("" if rec["toggled"] else "  NOT TOGGLED"), flush=True)


def report(names, results, cold, info, gl_attrs, args, started, first_changes=None) -> str:
    fmt = lambda v: "—" if v != v else f"{v:.0f}"  # noqa: E731
    nan = float("nan")
    lines = ["| page | key → last table-canvas change, median / p95 (ms) | key → first table change, median (ms) | "
             "key → last map-canvas change, median / p95 (ms) | key → last WebSocket message, median (ms) | "
             "key → DOM settled, median (ms) | changes timed | "
             "first change after opening, table / map (ms) | cold start, first visitor (s) | "
             "cold start, next visitor (s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    med = {}
    for name in names:
        recs = results[name]
        t_med, t_p95, n_t = summary([r["table_last"] for r in recs])
        tf_med, _, _ = summary([r["table_first"] for r in recs])
        m_med, m_p95, n_m = summary([r["map_last"] for r in recs])
        d_med, _, _ = summary([r["dom_last"] for r in recs])
        w_med, _, _ = summary([r["ws_last"] for r in recs])
        firsts = [c[0]["drawn"] / 1000 for c in cold[name]]
        nexts = [c[1]["drawn"] / 1000 for c in cold[name]]
        med[name] = {"table": t_med, "map": m_med, "first": statistics.median(firsts) if firsts else float("nan"),
                     "next": statistics.median(nexts) if nexts else float("nan"), "dom": d_med}
        rng = lambda xs: f" ({min(xs):.2f}–{max(xs):.2f})" if len(xs) > 1 else ""  # noqa: E731
        one = (first_changes or {}).get(name)
        once = f"{fmt(one['table_last'] or nan)} / {fmt(one['map_last'] or nan)}" if one else "—"
        lines.append(f"| {name} | {fmt(t_med)} / {fmt(t_p95)} | {fmt(tf_med)} | {fmt(m_med)} / {fmt(m_p95)} | "
                     f"{fmt(w_med)} | {fmt(d_med)} | {n_t} table, {n_m} map of {len(recs)} | {once} | "
                     f"{med[name]['first']:.2f}{rng(firsts)} | {med[name]['next']:.2f}{rng(nexts)} |")
    probe = ", ".join(f"{n} {statistics.median([r['hash_ms_per_frame'] for r in results[n]]):.2f} ms"
                      for n in names)
    extra = (f" --pages {','.join(names)}" if names != ["reference", "explorer"] else "") + \
        (f" --probe {args.probe}" if args.probe != "gated" else "") + "".join(f" --page {p}" for p in args.page) + \
        "".join(f" --page-env {e}" for e in args.page_env)
    problems = sum(1 for n in names for r in results[n] if r["timedOut"] or not r["toggled"])
    text = (f"Measured {started:%Y-%m-%d %H:%M} UTC on {info}; viewport {VIEWPORT['width']}×{VIEWPORT['height']} "
            f"(map and ranking grid both on screen), {args.changes} slider changes per page after 2 warm-ups, pages "
            f"interleaved change by change on warm servers; cold starts: {args.cold_rounds} fresh servers per page "
            "(median, range in brackets).\n"
            f"Command: `.venv/bin/python benchmarks/bench_ui.py --changes {args.changes} --cold-rounds "
            f"{args.cold_rounds}{extra}`.\n\n" + "\n".join(lines) + "\n\n")
    if "reference" in med and "explorer" in med:
        r, e = med["reference"], med["explorer"]
        text += (f"Explorer / reference, median key → last table-canvas change: **{e['table'] / r['table']:.2f}×** "
                 f"(target ≤ 1.3×); key → last map change: **{e['map'] / r['map']:.2f}×**; cold start, next "
                 f"visitor: **{e['next'] / r['next']:.2f}×** (target ≤ 1.5×); first visitor: "
                 f"**{e['first'] / r['first']:.2f}×**.\n\n")
    for name in names:
        if name not in ("reference", "explorer", "minimal") and "reference" in med:
            text += (f"{name} / reference, median key → last table-canvas change: "
                     f"**{med[name]['table'] / med['reference']['table']:.2f}×**; map "
                     f"**{med[name]['map'] / med['reference']['map']:.2f}×**.\n\n")
    text += (f"Probe cost per animation frame (median over the changes; hashing only after a draw): {probe}. "
             f"deck.gl's WebGL context attributes as read in the page: preserveDrawingBuffer = "
             f"{(gl_attrs or {}).get('preserveDrawingBuffer') if isinstance(gl_attrs, dict) else gl_attrs}. "
             f"Changes not toggling the slider or timing out: {problems}. Python {platform.python_version()}.\n")
    return text


if __name__ == "__main__":
    main()
