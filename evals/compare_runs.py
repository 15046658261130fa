"""Is a change real? Paired comparison of two `assistant eval` runs on the same items.

    python evals/compare_runs.py BEFORE_DIR AFTER_DIR [--mix TEST_RUN_DIR]

Each DIR is an `--out` folder of `assistant eval` (its items.json). For every headline metric it
prints the value before and after, how many items changed in each direction (`--ids`: which), and the 95%
bootstrap interval of the paired difference (resampling items, both runs together). An interval
that holds 0 means the split cannot tell the two apart: on 139 answerable items one item is
0.007 of hit@5, and a gain of two or three items on dev repeatedly vanished on test.

`--mix RUN` also gives each difference re-weighted to another run's mix (a test run's): each
document's items (`--by type`: each question type's) counted as if they made up that stratum's
share of RUN's items, the interval resampling within strata. Dev is not test's mix: half of dev's
answerable items are from the evaluation report, a sixth of test's; a fifth of dev's are
"definition" questions, a sixteenth of test's. It narrows a dev gain, it does not explain why dev
gains vanish on test. 2026-11-23, hit@5 / key facts (dev; weighted by document; by type; test):
corpus-adapted MiniLM +0.019 / +0.038; +0.009 / +0.024; +0.007 / +0.020; +0.000 / -0.022.
minilm+e5 +0.017 / +0.041; +0.013 / +0.028; +0.023 / +0.040; -0.007 / -0.029.
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from assistant.evaluate.intervals import (
    METRIC_COLUMNS,
    bootstrap_interval,
    counted_rows,
    stratified_estimate,
)
from assistant.evaluate.provenance import differences


def load(folder: Path) -> dict[str, dict]:
    return {row["id"]: row for row in json.loads((folder / "items.json").read_text(encoding="utf-8"))}


def run_record(folder: Path) -> dict | None:
    """The `run` record of a folder's summary.json (None for a run written before it existed)."""
    path = folder / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")).get("run") if path.exists() else None


def stratum_shares(rows: list[dict], which: str, column: str, by: str) -> dict[str, float]:
    """Each stratum's (document's or question type's) share of the items a metric is a mean over."""
    counted = counted_rows(rows, which, column)
    shares: dict[str, float] = defaultdict(float)
    for r in counted:
        shares[r[by]] += 1 / len(counted)
    return dict(shares)


def compare(before: dict[str, dict], after: dict[str, dict], mix: dict[str, dict] | None = None,
            by: str = "document") -> list[dict]:
    """Every headline metric (the ones the report gives intervals for) whose per-item column both
    runs' merged rows hold, over the items it is a mean over in both; with `mix`, also the
    difference re-weighted to the mix of those rows by `by` (document or type)."""
    shared = [before[i] for i in sorted(set(before) & set(after))]
    out = []
    for metric, (_, column, which) in METRIC_COLUMNS.items():
        ids = [r["id"] for r in counted_rows(shared, which, column) if after[r["id"]].get(column) is not None]
        if not ids:
            continue
        b = [float(before[i][column]) for i in ids]
        a = [float(after[i][column]) for i in ids]
        diffs = [y - x for x, y in zip(b, a)]
        row = {"metric": metric.split(".", 1)[1], "n": len(ids), "before": round(sum(b) / len(b), 4),
               "after": round(sum(a) / len(a), 4), "up": [i for i, d in zip(ids, diffs) if d > 0],
               "down": [i for i, d in zip(ids, diffs) if d < 0], "difference_interval": bootstrap_interval(diffs)}
        if mix is not None:
            strata: dict[str, list[float]] = defaultdict(list)
            for i, d in zip(ids, diffs):
                strata[before[i][by]].append(d)
            row["mixed"] = stratified_estimate(strata, stratum_shares(list(mix.values()), which, column, by))
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--mix", type=Path, help="also weight the differences to the document mix of this run's items (a test run)")
    ap.add_argument("--by", choices=["document", "type"], default="document", help="what --mix matches: documents or question types")
    ap.add_argument("--ids", action="store_true", help="list the items that moved (dev runs: on test, it invites tuning to them)")
    args = ap.parse_args()
    records = run_record(args.before), run_record(args.after)
    for note in differences(*records) if all(records) else ():
        print(f"note: {note}")
    for row in compare(load(args.before), load(args.after), load(args.mix) if args.mix else None, args.by):
        lo, hi = row["difference_interval"]
        verdict = "no detectable change" if lo <= 0 <= hi else ("higher" if lo > 0 else "lower")
        moved = (f"up: {' '.join(row['up']) or '-'}; down: {' '.join(row['down']) or '-'}" if args.ids
                 else f"{len(row['up'])} up, {len(row['down'])} down")
        print(f"{row['metric']:<24} n={row['n']:<4} {row['before']:.3f} -> {row['after']:.3f}  "
              f"difference 95% interval {lo:+.3f}..{hi:+.3f} ({verdict}); {moved}")
        if row.get("mixed"):
            value, (mlo, mhi) = row["mixed"]
            print(f"{'':<24} weighted to {args.mix.name}'s {args.by} mix: {value:+.3f} ({mlo:+.3f}..{mhi:+.3f})")


if __name__ == "__main__":
    main()
