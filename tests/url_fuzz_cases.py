"""Random and malicious query strings for the URL-fuzzing tests (seeded, reproducible)."""

from __future__ import annotations

import random

from siting.schema import CRITERIA
from siting.urlstate import KNOWN_PARAMS

NASTY_VALUES = [
    "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1", "-0", "0x10", "1_000", "", " ", "null", "None", "true",
    "[]", "{}", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "../../etc/passwd", "%00", "\x00", "\u202e", "😀", "=HYPERLINK(\"http://x\")", "' OR 1=1 --", "9" * 500,
    "a" * 5000, "1,2,3", ",,,", "Grand Est,Grand Est", "official,rumour", "grid_points,__proto__",
]


def cases(n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` query dicts mixing known keys with wrong types, huge/NaN numbers, payloads and unknown keys."""
    rng = random.Random(seed)
    keys = sorted(KNOWN_PARAMS) + ["__proto__", "constructor", "x" * 300, "w_", "w_nope", "site[]", "🙂"]
    out = []
    for _ in range(n):
        query = {}
        for _ in range(rng.randint(1, 6)):
            key = rng.choice(keys)
            kind = rng.random()
            if kind < 0.4:
                value = rng.choice(NASTY_VALUES)
            elif kind < 0.7:
                value = repr(rng.uniform(-1e6, 1e6))
            elif kind < 0.85:
                value = str(rng.randint(-10, 2050))
            else:
                value = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40)))
            query[key] = value
        out.append(query)
    # a few well-formed ones so the fuzzer also walks valid paths
    out[:3] = [{"preset": "inference"}, {f"w_{CRITERIA[0].key}": "3.5", "method": "topsis"},
               {"regions": "Grand Est,Île-de-France", "site": "la-maxe-edf", "basemap": "none"}]
    return out
