"""Councils kept apart: a question that names a council the index holds is answered from that
council's papers (and national ones), never from another council's presented as its own.

An item counts when its question names at least one held council; it fails when the answer cites a
local passage of a council the question does not name. A comparison ("Brackenshire and Westmarsh")
names both, so both may be cited."""
from __future__ import annotations

from typing import Callable

from assistant.evaluate.gold import GoldItem
from assistant.evaluate.results import EvalResult, ratio
from assistant.evaluate.systems import SystemOutput


class AuthorityEvaluator:
    name = "authority"

    def __init__(self, named: Callable[[str], set[str]]):
        self.named = named  # the held councils a question names (retrieve.hybrid.named_authorities)

    def evaluate(self, system: str, items: list[GoldItem], outputs: list[SystemOutput]) -> EvalResult:
        rows = []
        for item, out in zip(items, outputs):
            named = self.named(item.question)
            if not named:
                continue
            others = sorted({p.authority for p in out.cited if p.authority and p.authority not in named})
            rows.append({"id": item.id, "type": item.type, "named_council": ", ".join(sorted(named)),
                         "other_council_cited": int(bool(others)), "other_councils": ", ".join(others)})
        agg = {"other_council_cited": ratio(sum(r["other_council_cited"] for r in rows), len(rows)),
               "naming_a_council": len(rows)}
        return EvalResult(evaluator=self.name, system=system, per_item=rows, aggregate=agg)
