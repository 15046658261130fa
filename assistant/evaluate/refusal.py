"""Refusal: does the system refuse exactly the items it must?

Positive class = "must refuse". precision = refused-and-should / refused; recall =
refused-and-should / should; accuracy over all items; false refusal rate over answerable items."""
from __future__ import annotations

from .gold import GoldItem
from .results import EvalResult, ratio
from .systems import SystemOutput


class RefusalEvaluator:
    name = "refusal"

    def evaluate(self, system: str, items: list[GoldItem], outputs: list[SystemOutput]) -> EvalResult:
        rows = [{"id": i.id, "type": i.type, "must_refuse": int(i.refuse), "refused": int(o.refused),
                 "correct": int(i.refuse == o.refused)} for i, o in zip(items, outputs)]
        tp = sum(r["must_refuse"] and r["refused"] for r in rows)
        refused = sum(r["refused"] for r in rows)
        should = sum(r["must_refuse"] for r in rows)
        answerable = len(rows) - should
        agg = {
            "refusal_precision": ratio(tp, refused),
            "refusal_recall": ratio(tp, should),
            "refusal_accuracy": ratio(sum(r["correct"] for r in rows), len(rows)),
            "false_refusal_rate": ratio(refused - tp, answerable),
            "missed_refusals": should - tp,
            "n": len(rows),
        }
        return EvalResult(evaluator=self.name, system=system, per_item=rows, aggregate=agg)
