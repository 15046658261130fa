"""Calibrate the refusal cut-offs on the dev split only (never on test).

Each dev item's refusal features are recorded once (best sentence similarity and question-term
coverage of the chosen passages, plus whether the question guards / answer-type checks refuse
it anyway); then the two cut-offs are swept and the middle of the best-scoring plateau is taken."""
from __future__ import annotations

from assistant.assistant import Assistant
from assistant.evaluate.gold import GoldItem


def plateau_middle(points: list[tuple[float, float]]) -> tuple[float, float, dict[str, list[float]]]:
    """The middle of a plateau of equally good (x, y) cut-off pairs, not its edge: a cut-off at the
    edge of what dev tolerates is the one most likely to misfire on questions dev does not hold.
    Returns the middle x, the middle y among the pairs at that x, and the plateau's ranges."""
    xs = sorted({x for x, _ in points})
    x = xs[len(xs) // 2]
    ys = sorted(y for x2, y in points if x2 == x)
    ranges = {"x": [xs[0], xs[-1]], "y": [min(y for _, y in points), max(y for _, y in points)]}
    return x, ys[len(ys) // 2], ranges


# An answer the guidance does not support is worse than a refusal of an answerable question:
# a missed refusal costs twice a false one in the sweep.
MISSED_REFUSAL_COST = 2


def calibrate(a: Assistant, items: list[GoldItem]) -> dict:
    saved = (a.settings.min_sentence_similarity, a.settings.min_term_coverage)
    a.settings.min_sentence_similarity = a.settings.min_term_coverage = 0.0  # what the other checks refuse
    try:
        feats = []
        for item in items:
            # with the cut-offs off, what refuses is the other checks; the features are those of the
            # composition the answer came from (none when a guard refused before retrieval)
            ans, _, comp = a.ask_with_composition(item.question)
            best_cos, coverage = (comp.best_cos, comp.coverage) if comp else (0.0, 0.0)
            feats.append((item, best_cos, coverage, ans.refused))
    finally:
        a.settings.min_sentence_similarity, a.settings.min_term_coverage = saved
    scored = []
    for s in [x / 100 for x in range(10, 81, 2)]:
        for c in [x / 100 for x in range(20, 91, 5)]:
            missed = false_ref = 0
            for item, b, cov, refused_other in feats:
                refused = b < s or cov < c or refused_other  # guards and answer-type checks refuse too
                missed += item.refuse and not refused
                false_ref += refused and not item.refuse
            scored.append((-(MISSED_REFUSAL_COST * missed + false_ref), missed, false_ref, s, c))
    top = max(key for key, *_ in scored)
    best_rows = [row for row in scored if row[0] == top]
    s, c, ranges = plateau_middle([(s, c) for *_, s, c in best_rows])
    _, missed, false_ref, *_ = next(r for r in best_rows if r[3] == s and r[4] == c)
    return {"min_sentence_similarity": s, "min_term_coverage": c, "correct": len(feats) - missed - false_ref,
            "missed_refusals": missed, "false_refusals": false_ref, "n": len(feats),
            "plateau": {"similarity": ranges["x"], "coverage": ranges["y"]}}
