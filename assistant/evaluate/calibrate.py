"""Calibrate the refusal cut-offs on the dev split only (never on test).

Each dev item's refusal features are recorded once (best sentence similarity and question-term
coverage of the chosen passages, plus whether the question guards / answer-type checks refuse
it anyway); then the two cut-offs are swept and the middle of the best-scoring plateau is taken."""
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
    scored = []
    for s in [x / 100 for x in range(10, 61, 2)]:
        for c in [x / 100 for x in range(20, 91, 5)]:
            correct = false_ref = 0
            for item, b, cov, refused_now in feats:
                refused = b < s or cov < c
                if item.refuse and not refused:
                    refused = refused_now  # caught by the guards or the answer-type checks
                correct += refused == item.refuse
                false_ref += refused and not item.refuse
            scored.append(((correct, -false_ref), s, c))
    top = max(key for key, _, _ in scored)
    plateau = [(s, c) for key, s, c in scored if key == top]
    # The middle of the best plateau, not its edge: a cut-off at the edge of what dev tolerates
    # is the one most likely to misfire on questions dev does not hold.
    s = sorted({s for s, _ in plateau})[len({s for s, _ in plateau}) // 2]
    cs = sorted(c for s2, c in plateau if s2 == s)
    c = cs[len(cs) // 2]
    return {"min_sentence_similarity": s, "min_term_coverage": c, "correct": top[0], "false_refusals": -top[1],
            "n": len(feats), "plateau": {"similarity": [min(p[0] for p in plateau), max(p[0] for p in plateau)],
                                         "coverage": [min(p[1] for p in plateau), max(p[1] for p in plateau)]}}
