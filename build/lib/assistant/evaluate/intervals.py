"""How sure is a figure? Bootstrap confidence intervals over the gold items.

A split of 139 answerable items moves hit@5 by 0.007 for every item: a change of one or two items
between runs, or between two systems, is within what another 139 questions of the same kind could
give. Each headline metric is a mean over items (hit@5 over answerable items, refusal recall over
must-refuse items, …). A pass/fail metric gets the Wilson score interval of its proportion; a graded
one (MRR, nDCG, key facts) the percentile bootstrap over its items (resampled with replacement, a
fixed seed so that a report is reproducible). The report prints the interval beside the value, and a
threshold failure says whether the shortfall is within it.
"""
from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from assistant.evaluate.results import EvalResult

LEVEL = 0.95
RESAMPLES = 2000

# metric -> (evaluator, per-item column, which rows count); the aggregate is the mean of that column
_ALL, _ANSWERABLE, _MUST_REFUSE = "all", "answerable", "must_refuse"
METRIC_COLUMNS: dict[str, tuple[str, str, str]] = {
    "retrieval.hit@1": ("retrieval", "hit@1", _ALL),
    "retrieval.hit@3": ("retrieval", "hit@3", _ALL),
    "retrieval.hit@5": ("retrieval", "hit@5", _ALL),
    "retrieval.mrr": ("retrieval", "rr", _ALL),
    "retrieval.ndcg@10": ("retrieval", "ndcg@10", _ALL),
    "answers.key_facts": ("answers", "key_facts", _ALL),
    "answers.expected_passage_cited": ("answers", "evidence_cited", _ALL),
    "refusal.refusal_accuracy": ("refusal", "correct", _ALL),
    "refusal.refusal_recall": ("refusal", "refused", _MUST_REFUSE),
    "refusal.false_refusal_rate": ("refusal", "refused", _ANSWERABLE),
    # over the hand-labelled expectation x authority pairs (evaluate/coverage.py)
    "coverage.agreement": ("coverage", "agree", _ALL),
    "coverage.agreement_any_evidence": ("coverage", "agree_any", _ALL),
}


def bootstrap_interval(values: list[float], level: float = LEVEL, resamples: int = RESAMPLES,
                       seed: int = 0) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean of `values`."""
    if not values:
        return None
    x = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, len(x), size=(resamples, len(x)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(means, [tail, 100 - tail])
    return round(float(lo), 4), round(float(hi), 4)


def stratified_estimate(groups: dict[str, list[float]], weights: dict[str, float], level: float = LEVEL,
                        resamples: int = RESAMPLES, seed: int = 0) -> tuple[float, tuple[float, float]] | None:
    """The mean of `values` as if each group (a document) made up `weights` of the items, and its
    percentile bootstrap interval (items resampled within their group). Groups without a weight, or
    a weight without items, are left out and the remaining weights renormalised."""
    keys = [k for k in groups if groups[k] and weights.get(k, 0) > 0]
    if not keys:
        return None
    total = sum(weights[k] for k in keys)
    rng = np.random.default_rng(seed)
    point, draws = 0.0, np.zeros(resamples)
    for k in keys:
        x = np.asarray(groups[k], dtype=np.float64)
        w = weights[k] / total
        point += w * x.mean()
        draws += w * x[rng.integers(0, len(x), size=(resamples, len(x)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(draws, [tail, 100 - tail])
    return round(point, 4), (round(float(lo), 4), round(float(hi), 4))


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float, float] | None:
    """Wilson score interval of a proportion. Unlike the bootstrap it does not collapse to a point
    when every item passed (6 of 6 is not proof of 100 %), nor misbehave near 0 and 1."""
    if n == 0:
        return None
    z = float(NormalDist().inv_cdf(1 - (1 - level) / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def interval(values: list[float], level: float = LEVEL) -> tuple[float, float] | None:
    """Wilson for a pass/fail column (hit@5, refused), the bootstrap for graded scores (MRR, key facts)."""
    if values and all(v in (0.0, 1.0) for v in values):
        return wilson_interval(int(sum(values)), len(values), level)
    return bootstrap_interval(values, level)


def counted_rows(rows: list[dict], which: str, column: str) -> list[dict]:
    """The per-item rows a metric is a mean over: those of the right kind that hold its column."""
    if which == _MUST_REFUSE:
        rows = [r for r in rows if r.get("must_refuse")]
    elif which == _ANSWERABLE:
        rows = [r for r in rows if not r.get("must_refuse")]
    return [r for r in rows if r.get(column) is not None]


def intervals(results: dict[str, EvalResult]) -> dict[str, tuple[float, float] | None]:
    """One system's headline metrics -> their confidence intervals."""
    out = {}
    for metric, (evaluator, column, which) in METRIC_COLUMNS.items():
        if evaluator in results:
            rows = counted_rows(results[evaluator].per_item, which, column)
            out[metric] = interval([float(r[column]) for r in rows])
    return out
