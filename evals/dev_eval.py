"""Score the cited-answers pipeline on the dev questions; optionally calibrate refusal.

    python -m evals.dev_eval                 # scores with the settings in assistant/settings.py
    python -m evals.dev_eval --calibrate     # sweep the refusal cut-offs, print the best pair
    python -m evals.dev_eval --json out.json # per-item results

Metrics: share of answerable items whose citations include the expected passage; share of
key facts present; refusal accuracy (all items); false refusals (answerable items refused).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
from pathlib import Path

import yaml

from assistant import Assistant
from assistant.settings import Settings

HERE = Path(__file__).resolve().parent


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'")).strip().lower()


def load_items(path: Path = HERE / "dev_questions.yaml") -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


def score_item(item: dict, ans) -> dict:
    refuse = bool(item.get("refuse"))
    cited = [norm(c.text) for c in ans.citations]
    evidence_ok = None
    facts_ok = None
    if not refuse:
        quotes = [norm(q) for q in item.get("evidence", [])]
        evidence_ok = any(q in c for q in quotes for c in cited) if quotes else None
        facts = item.get("facts", [])
        if facts:
            text = norm(ans.answer)
            facts_ok = sum(any(norm(alt) in text for alt in fact) for fact in facts) / len(facts)
    return {
        "id": item["id"],
        "question": item["question"],
        "expected_refusal": refuse,
        "refused": ans.refused,
        "refusal_correct": ans.refused == refuse,
        "evidence_cited": evidence_ok,
        "facts": facts_ok,
        "confidence": ans.confidence,
        "total_ms": ans.timings_ms.get("total"),
        "answer": ans.answer,
        "reason": ans.reason,
        "cited": [f"{c.doc_id} › {c.section}" for c in ans.citations],
    }


def summarise(rows: list[dict]) -> dict:
    answerable = [r for r in rows if not r["expected_refusal"]]
    ev = [r["evidence_cited"] for r in answerable if r["evidence_cited"] is not None]
    facts = [r["facts"] for r in answerable if r["facts"] is not None]
    lat = sorted(r["total_ms"] for r in rows if r["total_ms"] is not None)
    return {
        "items": len(rows),
        "answerable": len(answerable),
        "must_refuse": len(rows) - len(answerable),
        "expected_passage_cited": round(sum(ev) / len(ev), 3) if ev else None,
        "key_facts_present": round(sum(facts) / len(facts), 3) if facts else None,
        "refusal_accuracy": round(sum(r["refusal_correct"] for r in rows) / len(rows), 3),
        "false_refusals": round(sum(r["refused"] for r in answerable) / max(1, len(answerable)), 3),
        "missed_refusals": sum(1 for r in rows if r["expected_refusal"] and not r["refused"]),
        "answer_ms_p50": round(statistics.median(lat), 1) if lat else None,
        "answer_ms_p95": round(lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
    }


def run(a: Assistant, items: list[dict]) -> list[dict]:
    return [score_item(item, a.ask(item["question"])) for item in items]


def calibrate(a: Assistant, items: list[dict]) -> dict:
    """Record each item's refusal features with the cut-offs off, then sweep them."""
    feats = []
    for item in items:
        ans_q = a.retriever.prepare(a.validate(item["question"]))
        hits = a.retriever.search(ans_q, None, a.settings.top_k)
        chosen = a.composer.select(ans_q, hits)
        cov = a.composer.coverage(ans_q, [c.chunk_index for c in chosen])
        best = max((c.cos for c in chosen), default=0.0)
        # refused anyway by the question guards / answer-type checks with the current cut-offs
        refused_now = a.ask(item["question"]).refused
        feats.append((item, best, cov, refused_now))
    best_pair, best_key = None, None
    for s in [x / 100 for x in range(10, 61, 2)]:
        for c in [x / 100 for x in range(20, 91, 5)]:
            correct = false_ref = 0
            for item, b, cv, refused_now in feats:
                refused = b < s or cv < c
                if bool(item.get("refuse")) and not refused:
                    # the question guards and answer-type checks also refuse: count those as caught
                    refused = refused_now
                correct += refused == bool(item.get("refuse"))
                false_ref += refused and not item.get("refuse")
            # ties go to the stricter cut-offs: an unsupported answer is worse than a refusal
            key = (correct, -false_ref, c, s)
            if best_key is None or key > best_key:
                best_key, best_pair = key, {"min_sentence_similarity": s, "min_term_coverage": c,
                                            "correct": correct, "false_refusals": false_ref, "n": len(feats)}
    return best_pair


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--failures", action="store_true", help="print failing items")
    args = ap.parse_args()
    items = load_items()
    a = Assistant.open(args.data)
    if args.calibrate:
        print(json.dumps(calibrate(a, items), indent=2))
        return
    a.ask("warm up")
    rows = run(a, items)
    summary = summarise(rows)
    print(json.dumps(summary, indent=2))
    if args.failures:
        for r in rows:
            bad = (not r["refusal_correct"]) or r["evidence_cited"] is False or (r["facts"] is not None and r["facts"] < 1)
            if bad:
                print(f"\n--- {r['id']}: {r['question']}\nrefused={r['refused']} evidence={r['evidence_cited']} facts={r['facts']} reason={r['reason']}")
                print(r["answer"][:600])
                print(r["cited"])
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "items": rows}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
