"""Run 1,000 random and malicious query strings through the real app (AppTest); count exceptions.

Run: `.venv/bin/python benchmarks/fuzz_urls.py [N]`. Writes the "url-fuzz" block of RESULTS.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.bench_model import machine, write_block  # noqa: E402
from tests.url_fuzz_cases import cases  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    exceptions, with_notice, errors = [], 0, 0
    t0 = time.perf_counter()
    for i, query in enumerate(cases(n)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if at.exception:
            exceptions.append((i, query, at.exception[0].message[:300]))
        with_notice += bool(at.warning)
        errors += bool(at.error)
    elapsed = time.perf_counter() - t0
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"Measured {stamp} on {machine()}.\nCommand: `.venv/bin/python benchmarks/fuzz_urls.py {n}` "
             f"(cases from `tests/url_fuzz_cases.py`, seed 0).\n\n"
             f"| query strings | exceptions | runs showing a notice | runs showing an error | time (s) |\n"
             f"|---|---|---|---|---|\n| {n} | {len(exceptions)} | {with_notice} | {errors} | {elapsed:.0f} |\n")
    if exceptions:
        block += "\nFirst failures:\n\n" + "\n".join(f"- case {i}: `{msg}`" for i, _, msg in exceptions[:5]) + "\n"
    print(block)
    write_block("url-fuzz", block)


if __name__ == "__main__":
    main()
