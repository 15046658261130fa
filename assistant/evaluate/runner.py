"""Run every evaluator on every system over one split of the gold items, and check thresholds."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import BaseModel, Field

from assistant.evaluate.answers import AnswerEvaluator
from assistant.evaluate.authority import AuthorityEvaluator
from assistant.evaluate.gold import (
    THRESHOLDS_PATH,
    GoldItem,
    missing_facts,
    passage_matches,
)
from assistant.evaluate.guardrails import GuardrailEvaluator
from assistant.evaluate.intervals import LEVEL, interval, intervals
from assistant.evaluate.latency import LatencyEvaluator
from assistant.evaluate.provenance import RunInfo
from assistant.evaluate.refusal import RefusalEvaluator
from assistant.evaluate.results import EvalResult, mean
from assistant.evaluate.retrieval import RetrievalEvaluator
from assistant.evaluate.systems import SystemOutput
from assistant.guard import council_words, redact
from assistant.retrieve.hybrid import named_authorities

EVALUATORS = [RetrievalEvaluator(), AnswerEvaluator(), RefusalEvaluator(), GuardrailEvaluator(), LatencyEvaluator()]
PROJECT = "assistant"


class TargetStatus(BaseModel):
    """Where a metric stands against the goal the product is working towards.

    Thresholds guard against regressions and sit at the measured values, so they pass while a goal
    is still unmet; a target says how far off the goal is and whether this split can even tell: a
    target inside the 95% interval is not ruled out by these items, one outside it is missed."""

    metric: str
    bound: str  # "min" | "max"
    target: float
    value: float | None
    interval: tuple[float, float] | None = None
    met: bool
    status: str  # in words, for the console and the report


class EvalRun(BaseModel):
    split: str
    n_items: int
    systems: list[str]
    results: dict[str, dict[str, EvalResult]]  # system -> evaluator -> result
    items: list[dict[str, Any]]  # the project's per-item rows, all metrics merged
    by_document: dict[str, dict[str, float | int | tuple[float, float] | None]] = Field(default_factory=dict)
    by_type: dict[str, dict[str, float | int | tuple[float, float] | None]] = Field(default_factory=dict)
    failures: list[str] = Field(default_factory=list)  # thresholds not met
    gated: bool = True  # False: the thresholds were measured on another split, so they only inform
    info: RunInfo | None = None  # what was measured: code, index, corpus, gold file, composer
    targets: list[TargetStatus] = Field(default_factory=list)  # the product's goals, reported, not gated
    # system -> metric -> 95% interval over the items (Wilson or bootstrap: evaluate/intervals.py)
    intervals: dict[str, dict[str, tuple[float, float] | None]] = Field(default_factory=dict)

    def aggregate(self, system: str = PROJECT) -> dict[str, float | int | None]:
        return {f"{ev}.{k}": v for ev, res in self.results[system].items() for k, v in res.aggregate.items()}


def evidence_document(item: GoldItem, snapshot) -> str:
    """The document an item's evidence comes from (first match), for per-document breakdowns."""
    if item.refuse:
        return "(must refuse)"
    for c in snapshot.chunks:
        if passage_matches(item, c.text, c.section):
            return c.doc_id
    return "(evidence not found)"


def _merge_rows(items: list[GoldItem], outputs: list[SystemOutput], results: dict[str, EvalResult], snapshot) -> list[dict]:
    by_id: dict[str, dict] = {}
    # a held council's name is no person's: "Oakridge Borough Council" stays readable in the outputs
    places = council_words(d.meta.authority for d in snapshot.documents.values() if d.meta.authority)
    for item, out in zip(items, outputs):
        by_id[item.id] = {
            "id": item.id, "split": item.split, "type": item.type, "document": evidence_document(item, snapshot),
            "question": redact(item.question, places), "must_refuse": int(item.refuse), "refused": int(out.refused),
            "answer": redact(out.answer, places), "cited": " | ".join(f"{p.doc_id} › {p.section}" for p in out.cited),
            "expected": " | ".join(item.evidence),
            # each missing fact by its first wording ("all but one" for [["all but one", "5 of 6"]])
            "missing_facts": "" if item.refuse else "; ".join(f[0] for f in missing_facts(item, out.answer)),
        }
    for ev, res in results.items():
        if ev == "latency":
            continue
        for row in res.per_item:
            for k, v in row.items():
                if k not in ("id", "type", "refused", "must_refuse"):
                    by_id[row["id"]][k] = v
    for row in by_id.values():
        row["failure"] = "; ".join(failure_reasons(row))
    return list(by_id.values())


def _breakdown(rows: list[dict], key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    out = {}
    for name, rs in sorted(groups.items()):
        row = {"n": len(rs)}
        for metric, values in (("hit@5", [r.get("hit@5") for r in rs]), ("key_facts", [r.get("key_facts") for r in rs]),
                               ("refusal_correct", [int(r["refused"] == r["must_refuse"]) for r in rs])):
            row[metric] = mean(values)
            # a slice of 24 items is a rough measure: its interval says how rough
            row[f"{metric}_interval"] = interval([v for v in values if v is not None])
        out[name] = row
    return out


def failure_reasons(row: dict) -> list[str]:
    """Why an item fails, in words a policy lead can act on (empty when it passes)."""
    if row["must_refuse"] and not row["refused"]:
        return ["answered, but the guidance does not cover it: should have refused"]
    if row["must_refuse"]:
        return []
    reasons = ["refused, though the guidance answers it"] if row["refused"] else []
    if row.get("hit@5") == 0:
        rank = row.get("rank")
        reasons.append(f"expected passage ranked {rank}, below the top 5" if rank is not None  # rank is 1-based
                       else "expected passage not among the passages ranked")
    if row.get("missing_facts") and not row["refused"]:
        reasons.append(f"key facts missing from the answer: {row['missing_facts']}")
    if row.get("uncovered_named") == 0 and not row["refused"]:
        reasons.append("the part of the question the guidance does not cover is not named as such")
    return reasons


def failing_items(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["refused"] != r["must_refuse"] or r.get("hit@5") == 0
            or (r.get("key_facts") is not None and r["key_facts"] < 1) or r.get("uncovered_named") == 0]


def run_eval(systems: list, items: list[GoldItem], snapshot, split: str,
             progress: Callable[[str, int, int], None] | None = None) -> EvalRun:
    evaluators = [*EVALUATORS, AuthorityEvaluator(lambda question: named_authorities(snapshot, question))]
    results: dict[str, dict[str, EvalResult]] = {}
    project_outputs: list[SystemOutput] = []
    for system in systems:
        outputs = []
        for n, item in enumerate(items, 1):
            outputs.append(system.run(item.question, item.history))
            if progress:
                progress(system.name, n, len(items))
        results[system.name] = {ev.name: ev.evaluate(system.name, items, outputs) for ev in evaluators}
        if system.name == PROJECT:
            project_outputs = outputs
    rows = _merge_rows(items, project_outputs, results[PROJECT], snapshot) if project_outputs else []
    return EvalRun(split=split, n_items=len(items), systems=[s.name for s in systems], results=results, items=rows,
                   by_document=_breakdown(rows, "document"), by_type=_breakdown(rows, "type"),
                   intervals={name: intervals(res) for name, res in results.items()})


class Gate(BaseModel):
    """The thresholds file (evals/thresholds.yaml), read once."""

    thresholds: dict[str, dict[str, float]]  # CI fails below (above) any of them
    split: str | None = None  # the split they were measured on, which alone they gate; None: any split
    targets: dict[str, dict[str, float]] = Field(default_factory=dict)  # the product's goals, reported


def load_gate(path: Path = THRESHOLDS_PATH) -> Gate:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    gate = Gate(thresholds=raw["thresholds"], split=raw.get("split"), targets=raw.get("targets") or {})
    for metric, goal in gate.targets.items():
        if len(goal) != 1 or next(iter(goal)) not in ("min", "max"):
            raise ValueError(f"target {metric}: give exactly one of min or max, e.g. {{min: 0.95}}")
    return gate


def meets(value: float | None, bound: dict[str, float]) -> bool:
    """The value is measured and within the bound ({min: x}, {max: y} or both)."""
    return value is not None and bound.get("min", float("-inf")) <= value <= bound.get("max", float("inf"))


def check_targets(run: EvalRun, targets: dict[str, dict[str, float]]) -> list[TargetStatus]:
    agg = run.aggregate(PROJECT)
    statuses = []
    for metric, goal in targets.items():
        (bound, target), = goal.items()
        value = agg.get(metric)
        ci = run.intervals.get(PROJECT, {}).get(metric)
        if value is None:
            statuses.append(TargetStatus(metric=metric, bound=bound, target=target, value=None, met=False,
                                         status="not measured in this run"))
            continue
        met = meets(value, goal)
        if met:
            status = "met"
        elif not ci:
            status = "not met"
        elif ci[0] <= target <= ci[1]:
            status = "not met; the target is inside the 95% interval, so these items cannot rule it out"
        else:
            status = "not met; the target is outside the 95% interval"
        statuses.append(TargetStatus(metric=metric, bound=bound, target=target, value=value,
                                     interval=tuple(ci) if ci else None, met=met, status=status))
    return statuses


def check_thresholds(run: EvalRun, thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Compare the project's aggregates with the thresholds; return what fails, in words."""
    agg = run.aggregate(PROJECT)
    failures = []
    for metric, bound in thresholds.items():
        value = agg.get(metric)
        if value is None:
            failures.append(f"{metric}: not measured")
            continue
        ci = run.intervals.get(PROJECT, {}).get(metric)
        within = f" ({LEVEL:.0%} interval {ci[0]:.3f}-{ci[1]:.3f})" if ci else ""
        if "min" in bound and value < bound["min"]:
            failures.append(f"{metric} = {value:.3f}{within} is below the threshold {bound['min']}")
        if "max" in bound and value > bound["max"]:
            failures.append(f"{metric} = {value:.3f}{within} is above the threshold {bound['max']}")
    return failures
