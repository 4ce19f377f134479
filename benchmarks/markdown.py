"""Print the latest results as Markdown tables (for ``benchmarks/README.md``).

python -m benchmarks.markdown [DIR]   # default: annotations/bench/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks._common import BENCHMARKS, DEFAULT_OUT_DIR, Column


def render(data: dict) -> str:
    cols = [Column(*c) for c in data.get("columns") or []] or [
        Column(k, k) for k in (data["rows"][0] if data["rows"] else {})
    ]
    out = [
        f"### {data['title']}",
        "",
        f"{data['machine']['date']}, git {data['machine']['git']}, params: "
        + ", ".join(f"{k}={v}" for k, v in data["params"].items() if not isinstance(v, float)),
        "",
    ]
    out.append("| " + " | ".join(c.header for c in cols) + " |")
    out.append("|" + "|".join("---" for _ in cols) + "|")
    for row in data["rows"]:
        out.append("| " + " | ".join(c.render(row.get(c.key)).replace("|", "/") for c in cols) + " |")
    if data.get("targets"):
        out += ["", "| target | measured | verdict |", "|---|---|---|"]
        for t in data["targets"]:
            v = t["value"]
            shown = "—" if v is None else (f"{v:.3g}" if isinstance(v, float) else str(v))
            out.append(f"| {t['target']} | {shown} | {'✅ met' if t['met'] else '❌ ' + t['verdict']} |")
    for n in data.get("notes", []):
        out.append(f"\n_{n}_")
    return "\n".join(out) + "\n"


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT_DIR
    for name in BENCHMARKS:
        path = folder / f"{name}.json"
        if path.exists():
            print(render(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
