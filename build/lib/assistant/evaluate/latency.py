"""Latency per stage (warm): p50/p95 of each timing the system reports, in milliseconds."""
from __future__ import annotations

from assistant.evaluate.gold import GoldItem
from assistant.evaluate.results import EvalResult, percentile
from assistant.evaluate.systems import SystemOutput


class LatencyEvaluator:
    name = "latency"

    def evaluate(self, system: str, items: list[GoldItem], outputs: list[SystemOutput]) -> EvalResult:
        stages = sorted({s for o in outputs for s in o.timings_ms})
        agg: dict = {}
        for s in stages:
            vals = [o.timings_ms.get(s) for o in outputs]
            agg[f"{s}_ms_p50"] = percentile(vals, 50)
            agg[f"{s}_ms_p95"] = percentile(vals, 95)
        rows = [{"id": i.id, **{f"{k}_ms": v for k, v in o.timings_ms.items()}} for i, o in zip(items, outputs)]
        return EvalResult(evaluator=self.name, system=system, per_item=rows, aggregate=agg)
