"""Write an evaluation run out: per-item CSV/JSON, aggregate JSON and an HTML report that a
policy lead can open (tables, bar charts against the baselines, breakdowns, failing items)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from assistant.evaluate.runner import PROJECT, EvalRun, failing_items, meets
from assistant.resources import render

# metrics shown side by side for every system, in this order
HEADLINE = [
    ("retrieval.hit@1", "hit@1"), ("retrieval.hit@3", "hit@3"), ("retrieval.hit@5", "hit@5"),
    ("retrieval.mrr", "MRR"), ("retrieval.ndcg@10", "nDCG@10"),
    ("answers.expected_passage_cited", "expected passage cited"), ("answers.key_facts", "key facts"),
    ("answers.citation_validity", "citation validity"), ("answers.citation_precision", "citation precision"),
    ("answers.citation_coverage", "citation coverage"), ("refusal.refusal_accuracy", "refusal accuracy"),
    ("refusal.refusal_precision", "refusal precision"), ("refusal.refusal_recall", "refusal recall"),
    ("refusal.false_refusal_rate", "false refusals"),
    ("answers.first_sentence_answers", "first sentence holds a key fact"),
    ("answers.words_p50", "answer words (median)"),
    ("answers.single_fact_within_80_words", "single-fact answers within 80 words"),
    ("refusal.uncovered_part_named", "uncovered part named"),  # items with a gold `uncovered` part
    ("answers.llm_answer_rate", "LLM answers kept after verification"),  # only with `--llm`
]
COLOURS = {"assistant": "#1d70b8", "bm25-only": "#b58840", "dense-only": "#85994b", "langchain-naive": "#d4351c"}


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _headline(run: EvalRun) -> list[tuple[str, str]]:
    """The headline metrics this run measured for some system (the LLM answer rate only with --llm)."""
    return [(k, label) for k, label in HEADLINE if any(run.aggregate(s).get(k) is not None for s in run.systems)]


def write_outputs(run: EvalRun, out_dir: Path, thresholds: dict | None = None) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / "items.csv", "json": out_dir / "items.json",
             "summary": out_dir / "summary.json", "html": out_dir / "report.html"}
    fields: list[str] = []
    for row in run.items:
        fields += [k for k in row if k not in fields]
    with paths["csv"].open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(run.items)
    paths["json"].write_text(json.dumps(run.items, indent=1, ensure_ascii=False), encoding="utf-8")
    summary = {
        "run": run.info.model_dump() if run.info else None,
        "split": run.split, "n_items": run.n_items, "systems": {s: run.aggregate(s) for s in run.systems},
        "intervals": run.intervals, "by_document": run.by_document, "by_type": run.by_type, "thresholds": thresholds or {},
        "targets": [t.model_dump() for t in run.targets], "failures": run.failures, "passed": not run.failures, "gated": run.gated,
    }
    paths["summary"].write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["html"].write_text(render_html(run, thresholds or {}), encoding="utf-8")
    return paths


def _chart(run: EvalRun) -> dict:
    """Grouped horizontal bars, one group per metric, one bar per system, each with its interval as a
    whisker (inline SVG, no JS): the geometry for the template."""
    metrics = [(k, label) for k, label in _headline(run) if k != "refusal.false_refusal_rate"]
    bar_h, gap, left, width = 11, 10, 190, 420
    group_h = bar_h * len(run.systems) + gap
    height = group_h * len(metrics) + 30
    groups = []
    for gi, (key, label) in enumerate(metrics):
        y0 = gi * group_h
        bars = []
        for si, system in enumerate(run.systems):
            v = run.aggregate(system).get(key)
            w = 0 if v is None else max(0.0, min(1.0, v)) * width
            y = y0 + si * bar_h
            ci = run.intervals.get(system, {}).get(key)
            whisker = (left + ci[0] * width, left + ci[1] * width, y + (bar_h - 2) / 2) if ci else None
            bars.append({"x": left, "y": y, "w": w, "h": bar_h - 2, "colour": COLOURS.get(system, "#505a5f"),
                         "system": system, "value": _fmt(v), "whisker": whisker,
                         "label_x": left + max(w, ci[1] * width if ci else 0) + 4, "label_y": y + bar_h - 3})
        groups.append({"x": left - 8, "y": y0 + group_h / 2, "label": label, "bars": bars})
    legend = [{"x": left + si * 120, "y": height - 12, "system": system, "colour": COLOURS.get(system, "#505a5f")}
              for si, system in enumerate(run.systems)]
    return {"width": left + width + 60, "height": height, "groups": groups, "legend": legend}


def _fmt_interval(v, ci, places: int = 3) -> str:
    """ "0.935 (0.881–0.966)": a value and its 95% interval over the items."""
    return f"{_fmt(v)} ({ci[0]:.{places}f}–{ci[1]:.{places}f})" if ci and v is not None else _fmt(v)


def _with_interval(run: EvalRun, system: str, metric: str) -> str:
    return _fmt_interval(run.aggregate(system).get(metric), run.intervals.get(system, {}).get(metric))


def _breakdown_rows(groups: dict[str, dict]) -> list[list]:
    metrics = ("hit@5", "key_facts", "refusal_correct")
    return [[g, v["n"], *[_fmt_interval(v[m], v.get(f"{m}_interval"), 2) for m in metrics]] for g, v in groups.items()]


def _cells(rows: list[list]) -> list[list[str]]:
    return [[c if isinstance(c, str) else _fmt(c) for c in r] for r in rows]


def render_html(run: EvalRun, thresholds: dict) -> str:
    proj = run.aggregate(PROJECT)
    thr_rows = [[metric, " ".join(f"{k} {b}" for k, b in bound.items()), proj.get(metric),
                 "pass" if meets(proj.get(metric), bound) else "FAIL"] for metric, bound in thresholds.items()]
    fails = failing_items(run.items)
    info = run.info
    code = ""
    if info is not None:
        code = (f"{info.git_commit}{' with uncommitted changes' if info.git_dirty else ''}" if info.git_commit
                else f"version {info.package_version}")
    return render(
        "reports/evaluation.html", run=run, info=info, code=code, gold_name=Path(info.gold_file).name if info else "",
        n_retrieval=run.aggregate().get("retrieval.n") or 1, chart=_chart(run),
        side=[[label, *[_with_interval(run, s, k) for s in run.systems]] for k, label in _headline(run)],
        thresholds=_cells(thr_rows),
        targets=[[t.metric, f"{t.bound} {t.target}", _fmt_interval(t.value, t.interval), t.status] for t in run.targets],
        guard=_cells([[k, v] for k, v in proj.items() if k.startswith("guardrails.")]),
        latency=_cells([[k, v] for k, v in proj.items() if k.startswith("latency.")]),
        quiz=_cells([[k, v] for k, v in proj.items() if k.startswith("quiz.")]),
        coverage=_cells([[k, v] for k, v in proj.items() if k.startswith("coverage.")]),
        by_document=_cells(_breakdown_rows(run.by_document)), by_type=_cells(_breakdown_rows(run.by_type)),
        failing=_cells([[r["id"], r["type"], r["question"], r.get("failure", ""), r.get("key_facts"), r["answer"][:400],
                         r["cited"], r["expected"][:200]] for r in fails]))
