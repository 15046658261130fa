"""Gold-data audit: passages that restate an item's evidence but are not among its quotes.

    python evals/audit_evidence.py [--data DIR] [--min-cos 0.85]

The evaluation report says many things twice (executive summary, highlights, body, key
learnings). An item whose quotes name only one of those passages counts a retrieval of the other
as a miss. For every answerable item (both splits alike) this lists the sentences elsewhere in
the corpus whose embedding is at least `--min-cos` similar to a sentence holding one of its
quotes. It never looks at what the assistant answers, so fixing the gold data from it does not
tune the test split towards the system; a person decides which lines state the same fact and
adds them as alternative quotes.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluate.gold import load_gold, norm, passage_matches  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--min-cos", type=float, default=0.85)
    args = ap.parse_args()
    snap = Assistant.open(args.data).snapshot

    def sentence(row: int) -> str:
        ci, si = snap.sent_refs[row]
        return snap.chunks[ci].span_text(snap.chunks[ci].spans[si])

    for item in load_gold():
        if item.refuse or not item.evidence:
            continue
        expected = {ci for ci, c in enumerate(snap.chunks) if passage_matches(item, c.text, c.section)}
        quotes = [norm(q) for q in item.evidence]
        rows = [r for ci in expected for r in snap.sents_of_chunk.get(ci, [])
                if any(q[:40] in norm(sentence(r)) or norm(sentence(r)) in q for q in quotes)]
        if not rows:
            continue
        best = (snap.sent_vecs @ snap.sent_vecs[rows].T).max(axis=1)
        for r in np.argsort(-best):
            if best[r] < args.min_cos:
                break
            ci = int(snap.sent_refs[r][0])
            if ci not in expected and snap.documents[snap.chunks[ci].doc_id].meta.kind != "reference":
                print(f"{item.id}\t{best[r]:.3f}\t{snap.chunks[ci].doc_id}\t{sentence(r)[:160]}")


if __name__ == "__main__":
    main()
