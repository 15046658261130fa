"""Do two versions of the code give the same answers? Item by item, on every gold item.

    python evals/answer_snapshot.py write OUT.json [--data DIR] [--split dev|test|all]
    python evals/answer_snapshot.py compare BEFORE.json AFTER.json

`write` asks every gold item (with its conversation history) through the public API,
`Assistant.ask`, and stores each answer's JSON without its timings. `compare` prints the count
of items whose answer JSON differs, and the first differing field of each; it exits 1 when any
differs. A refactoring that is meant to leave behaviour alone is checked with it: write before
the change, write after, compare.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

VOLATILE = ("timings_ms",)


def write(out: Path, data: Path | None, split: str) -> int:
    from assistant import Assistant
    from assistant.evaluate.gold import load_gold

    assistant = Assistant.open(data)
    answers = {}
    for item in load_gold(split=split):
        ans = assistant.ask(item.question, history=list(item.history) or None).model_dump(mode="json")
        answers[item.id] = {k: v for k, v in ans.items() if k not in VOLATILE}
    out.write_text(json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(answers)} answers written to {out}")
    return 0


def first_difference(a: dict, b: dict) -> str:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return key
    return ""


def compare(before: Path, after: Path) -> int:
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    shared = sorted(set(a) & set(b))
    changed = [i for i in shared if a[i] != b[i]]
    for i in changed:
        print(f"{i}: {first_difference(a[i], b[i])} differs")
    only = sorted(set(a) ^ set(b))
    print(f"{len(shared)} items compared, {len(changed)} answers changed, {len(only)} items in one file only")
    return 1 if changed or only else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--data", type=Path, default=None)
    w.add_argument("--split", default="all")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "write":
        return write(args.out, args.data, args.split)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
