"""Calibrate the refusal cut-offs on the dev split only (never on test).

Each dev item's refusal features are recorded once (best sentence similarity and question-term
coverage of the chosen passages, plus whether the question guards / answer-type checks refuse
it anyway); then the two cut-offs are swept and the middle of the best-scoring plateau is taken."""
from __future__ import annotations

from ..assistant import Assistant
from ..guard import strip_pii
from .gold import GoldItem


# An answer the guidance does not support is worse than a refusal of an answerable question:
# a missed refusal costs twice a false one in the sweep.
MISSED_REFUSAL_COST = 2


def calibrate(a: Assistant, items: list[GoldItem]) -> dict:
    saved = (a.settings.min_sentence_similarity, a.settings.min_term_coverage)
    a.settings.min_sentence_similarity = a.settings.min_term_coverage = 0.0  # what the other checks refuse
    try:
        feats = []
        for item in items:
            q_text = a.validate(item.question)
            q = a.retriever.prepare(strip_pii(q_text) or q_text)
            hits = a.retriever.search(q, None, a.settings.top_k)
            chosen = a.composer.select(q, hits)
            coverage = a.composer.coverage(q, [c.chunk_index for c in chosen])
            best = max((c.cos for c in chosen), default=0.0)
            feats.append((item, best, coverage, a.ask(item.question).refused))
    finally:
        a.settings.min_sentence_similarity, a.settings.min_term_coverage = saved
    scored = []
    for s in [x / 100 for x in range(10, 61, 2)]:
        for c in [x / 100 for x in range(20, 91, 5)]:
            missed = false_ref = 0
            for item, b, cov, refused_other in feats:
                refused = b < s or cov < c or refused_other  # guards and answer-type checks refuse too
                missed += item.refuse and not refused
                false_ref += refused and not item.refuse
            scored.append((-(MISSED_REFUSAL_COST * missed + false_ref), missed, false_ref, s, c))
    top = max(key for key, *_ in scored)
    best_rows = [row for row in scored if row[0] == top]
    plateau = [(s, c) for *_, s, c in best_rows]
    # The middle of the best plateau, not its edge: a cut-off at the edge of what dev tolerates
    # is the one most likely to misfire on questions dev does not hold.
    s = sorted({s for s, _ in plateau})[len({s for s, _ in plateau}) // 2]
    cs = sorted(c for s2, c in plateau if s2 == s)
    c = cs[len(cs) // 2]
    _, missed, false_ref, *_ = next(r for r in best_rows if r[3] == s and r[4] == c)
    return {"min_sentence_similarity": s, "min_term_coverage": c, "correct": len(feats) - missed - false_ref,
            "missed_refusals": missed, "false_refusals": false_ref, "n": len(feats),
            "plateau": {"similarity": [min(p[0] for p in plateau), max(p[0] for p in plateau)],
                        "coverage": [min(p[1] for p in plateau), max(p[1] for p in plateau)]}}
