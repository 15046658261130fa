"""Refusal: does the system refuse exactly the items it must?

Positive class = "must refuse". precision = refused-and-should / refused; recall =
refused-and-should / should; accuracy over all items; false refusal rate over answerable items.
A two-part question with a part the corpus does not cover (gold `uncovered`) must be answered, not
refused, with that part named in the answer's `not_covered`: uncovered_part_named is the share that is."""
from __future__ import annotations

from assistant.evaluate.gold import GoldItem
from assistant.evaluate.results import EvalResult, ratio
from assistant.evaluate.systems import SystemOutput


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
        partial = [(r, i, o) for r, i, o in zip(rows, items, outputs) if i.uncovered]
        for row, item, out in partial:
            row["uncovered_named"] = int(not out.refused and any(
                all(w.lower() in part.lower() for w in item.uncovered) for part in out.not_covered))
        if partial:
            agg["uncovered_part_named"] = ratio(sum(r["uncovered_named"] for r, _, _ in partial), len(partial))
        return EvalResult(evaluator=self.name, system=system, per_item=rows, aggregate=agg)
