"""Generate the README's reference tables from the schema and the criteria registry.

``python -m siting docs --write`` refreshes the generated blocks between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``; a test fails when they are stale.
"""

from __future__ import annotations

import re

from siting.schema import CRITERIA, ESTIMATION_RULES, LAYERS, LayerSpec
from siting.scoring import PRESETS

_BLOCK = re.compile(r"(<!-- generated:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.S)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def field_table(spec: LayerSpec) -> str:
    """Markdown table of a layer's fields."""
    rows = ["| field | type | unit | required | allowed | description |", "|---|---|---|---|---|---|"]
    for f in spec.fields:
        rows.append(f"| `{f.name}` | {f.kind} | {_cell(f.unit)} | {'yes' if f.required else 'no'} | "
                    f"{_cell(f.constraint_text())} | {_cell(f.description)} |")
    return "\n".join(rows) + "\n"


def criteria_table() -> str:
    """Markdown table of the criteria registry."""
    rows = ["| key | label | group | direction | utility transform | default weight | computed | description |",
            "|---|---|---|---|---|---|---|---|"]
    for c in CRITERIA:
        rows.append(f"| `{c.key}` | {_cell(c.label)} | {c.group} | {c.direction} | {_cell(c.transform_text())} | "
                    f"{c.default_weight:g} | {'yes' if c.computed else 'no'} | {_cell(c.description)} |")
    return "\n".join(rows) + "\n"


def presets_table() -> str:
    """Markdown table of the weight presets (non-zero weights only)."""
    rows = ["| preset | for | weights (non-zero) |", "|---|---|---|"]
    for name, p in PRESETS.items():
        weights = ", ".join(f"{k} {v:g}" for k, v in p.weights.items() if v > 0)
        rows.append(f"| `{name}` ({_cell(p.label)}) | {_cell(p.description)} | {weights} |")
    return "\n".join(rows) + "\n"


def estimation_table() -> str:
    """Markdown table of the estimation rules."""
    rows = ["| rule | field | rule text | sampled range in robustness |", "|---|---|---|---|"]
    for r in ESTIMATION_RULES:
        rows.append(f"| `{r.key}` | `{r.field}` | {_cell(r.rule)} | {r.low:g} – {r.high:g} |")
    return "\n".join(rows) + "\n"


def generated_blocks() -> dict[str, str]:
    """Every generated block by name."""
    blocks = {f"fields-{spec.key}": field_table(spec) for spec in LAYERS}
    blocks["criteria"] = criteria_table()
    blocks["presets"] = presets_table()
    blocks["estimation-rules"] = estimation_table()
    return blocks


def render(text: str) -> str:
    """Return ``text`` with every generated block refreshed."""
    blocks = generated_blocks()

    def replace(match: re.Match) -> str:
        name = match.group("name")
        body = blocks.get(name, match.group("body"))
        return f"{match.group(1)}{body}{match.group(4)}"

    return _BLOCK.sub(replace, text)


def block_names(text: str) -> set[str]:
    """Names of the generated blocks present in ``text``."""
    return {m.group("name") for m in _BLOCK.finditer(text)}
