"""Is a change real? Paired comparison of two `assistant eval` runs on the same items.

    python evals/compare_runs.py BEFORE_DIR AFTER_DIR

Each DIR is an `--out` folder of `assistant eval` (its items.json). For every headline metric it
prints the value before and after, how many items changed in each direction (`--ids`: which), and the 95%
bootstrap interval of the paired difference (resampling items, both runs together). An interval
that holds 0 means the split cannot tell the two apart: on 139 answerable items one item is
0.007 of hit@5, and a gain of two or three items on dev repeatedly vanished on test.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.evaluate.intervals import METRIC_COLUMNS, bootstrap_interval, counted_rows
from assistant.evaluate.provenance import differences


def load(folder: Path) -> dict[str, dict]:
    return {row["id"]: row for row in json.loads((folder / "items.json").read_text(encoding="utf-8"))}


def run_record(folder: Path) -> dict | None:
    """The `run` record of a folder's summary.json (None for a run written before it existed)."""
    path = folder / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")).get("run") if path.exists() else None


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """Every headline metric (the ones the report gives intervals for) whose per-item column both
    runs' merged rows hold, over the items it is a mean over in both."""
    shared = [before[i] for i in sorted(set(before) & set(after))]
    out = []
    for metric, (_, column, which) in METRIC_COLUMNS.items():
        ids = [r["id"] for r in counted_rows(shared, which, column) if after[r["id"]].get(column) is not None]
        if not ids:
            continue
        b = [float(before[i][column]) for i in ids]
        a = [float(after[i][column]) for i in ids]
        diffs = [y - x for x, y in zip(b, a)]
        out.append({"metric": metric.split(".", 1)[1], "n": len(ids), "before": round(sum(b) / len(b), 4),
                    "after": round(sum(a) / len(a), 4), "up": [i for i, d in zip(ids, diffs) if d > 0],
                    "down": [i for i, d in zip(ids, diffs) if d < 0], "difference_interval": bootstrap_interval(diffs)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--ids", action="store_true", help="list the items that moved (dev runs: on test, it invites tuning to them)")
    args = ap.parse_args()
    records = run_record(args.before), run_record(args.after)
    for note in differences(*records) if all(records) else ():
        print(f"note: {note}")
    for row in compare(load(args.before), load(args.after)):
        lo, hi = row["difference_interval"]
        verdict = "no detectable change" if lo <= 0 <= hi else ("higher" if lo > 0 else "lower")
        moved = (f"up: {' '.join(row['up']) or '-'}; down: {' '.join(row['down']) or '-'}" if args.ids
                 else f"{len(row['up'])} up, {len(row['down'])} down")
        print(f"{row['metric']:<24} n={row['n']:<4} {row['before']:.3f} -> {row['after']:.3f}  "
              f"difference 95% interval {lo:+.3f}..{hi:+.3f} ({verdict}); {moved}")


if __name__ == "__main__":
    main()
