"""Generate the README's reference tables from the schema and the criteria registry.

``python -m siting docs --write`` refreshes the generated blocks between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``; a test fails when they are stale.
"""

from __future__ import annotations

import re

from siting.scenario import CONSTRAINTS, KNOBS, PRESETS, SITE_URL, WEIGHT_URL_PREFIX
from siting.schema import CRITERIA, ESTIMATION_RULES, LAYERS, OTHER_LAYERS, WEIGHT_MAX, LayerSpec

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


def knobs_table() -> str:
    """Markdown table of every scenario knob: widget, link parameter, CLI flag, values."""
    rows = ["| knob | in the app | link parameter | command line | values | default |", "|---|---|---|---|---|---|"]
    rows.append(f"| weights | one slider per criterion | `{WEIGHT_URL_PREFIX}<criterion>` | `--weight KEY=VALUE` | "
                f"0 to {WEIGHT_MAX:g} | the preset's |")
    for k in KNOBS:
        values = ", ".join(f"`{o}`" for o in k.options) + (" (several)" if k.multi else "")
        default = ", ".join(k.default) if k.multi else k.default
        rows.append(f"| `{k.key}` | {_cell(k.label)} | `{k.url}` | {f'`{k.cli}`' if k.cli else '—'} | {values} | "
                    f"{_cell(default) if k.key != 'layers' else 'all'} |")
    for s in CONSTRAINTS:
        values = ", ".join(f"`{o}`" for o in s.choices) + " (several)" if s.kind == "in" else \
            f"{s.bounds[0]:g} to {s.bounds[1]:g}" + (" (year)" if s.kind == "year" else "")
        rows.append(f"| `{s.key}` | {_cell(s.label)} | `{s.url}` | `{s.cli}`{' (repeatable)' if s.kind == 'in' else ''}"
                    f" | {values} | no filter |")
    rows.append(f"| selected site | map click, table row, site card | `{SITE_URL}` | — | a `site_id` | none |")
    return "\n".join(rows) + "\n"


def generated_blocks() -> dict[str, str]:
    """Every generated block by name."""
    blocks = {f"fields-{spec.key}": field_table(spec) for spec in (*LAYERS, *OTHER_LAYERS)}
    blocks["criteria"] = criteria_table()
    blocks["presets"] = presets_table()
    blocks["estimation-rules"] = estimation_table()
    blocks["knobs"] = knobs_table()
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
