"""Retrieval: is the expected passage among the ranked passages, and how high?

hit@k: an expected passage is in the top k. MRR: 1/rank of the first expected passage.
nDCG@10: binary relevance (a passage is relevant if it contains an evidence quote), ideal
DCG computed from the number of relevant passages retrieved, capped at one per quote; DCG counts that
many relevant passages at most, so an item scores between 0 and 1."""
from __future__ import annotations

import math

from assistant.evaluate.gold import GoldItem, passage_matches
from assistant.evaluate.results import EvalResult, mean
from assistant.evaluate.systems import SystemOutput

KS = (1, 3, 5)


class RetrievalEvaluator:
    name = "retrieval"

    def evaluate(self, system: str, items: list[GoldItem], outputs: list[SystemOutput]) -> EvalResult:
        rows = []
        for item, out in zip(items, outputs):
            if item.refuse or not item.evidence:
                continue
            rel = [passage_matches(item, p.text, p.section) for p in out.ranked]
            first = next((i for i, r in enumerate(rel) if r), None)
            row = {"id": item.id, **{f"hit@{k}": int(first is not None and first < k) for k in KS}}
            row["rr"] = 1 / (first + 1) if first is not None else 0.0
            n_ideal = min(max(1, sum(rel[:10])), len(item.evidence), 10)
            # only as many relevant passages count as the ideal ranking holds: a quote restated in three
            # passages would otherwise score above 1
            dcg = sum(1 / math.log2(i + 2) for i in [i for i, r in enumerate(rel[:10]) if r][:n_ideal])
            idcg = sum(1 / math.log2(i + 2) for i in range(n_ideal))
            row["ndcg@10"] = round(dcg / idcg, 4) if idcg else 0.0
            row["rank"] = None if first is None else first + 1
            rows.append(row)
        agg = {f"hit@{k}": mean(r[f"hit@{k}"] for r in rows) for k in KS}
        agg["mrr"] = mean(r["rr"] for r in rows)
        agg["ndcg@10"] = mean(r["ndcg@10"] for r in rows)
        agg["n"] = len(rows)
        return EvalResult(evaluator=self.name, system=system, per_item=rows, aggregate=agg)
