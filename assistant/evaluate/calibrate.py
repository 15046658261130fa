"""Calibrate the refusal cut-offs on the dev split only (never on test).

Each dev item's refusal features are recorded once (best sentence similarity and question-term
coverage of the chosen passages, plus whether the question guards / answer-type checks refuse
it anyway); then the two cut-offs are swept. Ties go to the stricter pair: an unsupported
answer is worse than a refusal."""
from __future__ import annotations

from ..assistant import Assistant
from ..guard import strip_pii
from .gold import GoldItem


def calibrate(a: Assistant, items: list[GoldItem]) -> dict:
    feats = []
    for item in items:
        q_text = a.validate(item.question)
        q = a.retriever.prepare(strip_pii(q_text) or q_text)
        hits = a.retriever.search(q, None, a.settings.top_k)
        chosen = a.composer.select(q, hits)
        coverage = a.composer.coverage(q, [c.chunk_index for c in chosen])
        best = max((c.cos for c in chosen), default=0.0)
        feats.append((item, best, coverage, a.ask(item.question).refused))
    best_pair, best_key = None, None
    for s in [x / 100 for x in range(10, 61, 2)]:
        for c in [x / 100 for x in range(20, 91, 5)]:
            correct = false_ref = 0
            for item, b, cov, refused_now in feats:
                refused = b < s or cov < c
                if item.refuse and not refused:
                    refused = refused_now  # caught by the guards or the answer-type checks
                correct += refused == item.refuse
                false_ref += refused and not item.refuse
            key = (correct, -false_ref, c, s)
            if best_key is None or key > best_key:
                best_key, best_pair = key, {"min_sentence_similarity": s, "min_term_coverage": c, "correct": correct,
                                            "false_refusals": false_ref, "n": len(feats)}
    return best_pair
