"""Write an evaluation run out: per-item CSV/JSON, aggregate JSON and an HTML report that a
policy lead can open (tables, bar charts against the baselines, breakdowns, failing items)."""
from __future__ import annotations

import csv
import html
import json
from pathlib import Path

from assistant.evaluate.runner import PROJECT, EvalRun, failing_items, meets

# metrics shown side by side for every system, in this order
HEADLINE = [
    ("retrieval.hit@1", "hit@1"), ("retrieval.hit@3", "hit@3"), ("retrieval.hit@5", "hit@5"),
    ("retrieval.mrr", "MRR"), ("retrieval.ndcg@10", "nDCG@10"),
    ("answers.expected_passage_cited", "expected passage cited"), ("answers.key_facts", "key facts"),
    ("answers.citation_validity", "citation validity"), ("answers.citation_precision", "citation precision"),
    ("answers.citation_coverage", "citation coverage"), ("refusal.refusal_accuracy", "refusal accuracy"),
    ("refusal.refusal_precision", "refusal precision"), ("refusal.refusal_recall", "refusal recall"),
    ("refusal.false_refusal_rate", "false refusals"),
    ("refusal.uncovered_part_named", "uncovered part named"),  # items with a gold `uncovered` part
    ("answers.llm_answer_rate", "LLM answers kept after verification"),  # only with `--llm`
]
COLOURS = {"assistant": "#1d70b8", "bm25-only": "#b58840", "dense-only": "#85994b", "langchain-naive": "#d4351c"}


def _fmt(v) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def _provenance(run: EvalRun) -> str:
    """One line naming what was measured, so that two reports are compared knowingly."""
    i = run.info
    if i is None:
        return ""
    code = f"{i.git_commit}{' with uncommitted changes' if i.git_dirty else ''}" if i.git_commit else f"version {i.package_version}"
    return (f"<p class='meta'>Run {html.escape(i.started)} · code {html.escape(code)} · index {html.escape(i.index_generation)} "
            f"({html.escape(i.embedder)}, {len(i.documents)} documents) · gold {html.escape(Path(i.gold_file).name)} "
            f"sha256 {i.gold_sha256[:12]} · composer {html.escape(i.composer)}</p>")


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


def _bars(run: EvalRun) -> str:
    """Grouped horizontal bars, one group per metric, one bar per system (inline SVG, no JS)."""
    metrics = [(k, label) for k, label in _headline(run) if k != "refusal.false_refusal_rate"]
    bar_h, gap, left, width = 11, 10, 190, 420
    group_h = bar_h * len(run.systems) + gap
    height = group_h * len(metrics) + 30
    parts = [f'<svg role="img" aria-label="Metrics by system" width="{left + width + 60}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif" font-size="12">']
    for gi, (key, label) in enumerate(metrics):
        y0 = gi * group_h
        parts.append(f'<text x="{left - 8}" y="{y0 + group_h / 2}" text-anchor="end">{html.escape(label)}</text>')
        for si, system in enumerate(run.systems):
            v = run.aggregate(system).get(key)
            w = 0 if v is None else max(0.0, min(1.0, v)) * width
            y = y0 + si * bar_h
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{COLOURS.get(system, "#505a5f")}">'
                         f'<title>{html.escape(system)}: {_fmt(v)}</title></rect>')
            ci = run.intervals.get(system, {}).get(key)
            if ci:  # the interval as a whisker across the bar's end
                x0, x1, ym = left + ci[0] * width, left + ci[1] * width, y + (bar_h - 2) / 2
                parts.append(f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{ym}" y2="{ym}" stroke="#0b0c0c" stroke-width="1"/>')
            label_x = left + max(w, ci[1] * width if ci else 0) + 4
            parts.append(f'<text x="{label_x:.1f}" y="{y + bar_h - 3}" font-size="10">{_fmt(v)}</text>')
    ly = height - 12
    for si, system in enumerate(run.systems):
        x = left + si * 120
        parts.append(f'<rect x="{x}" y="{ly - 9}" width="10" height="10" fill="{COLOURS.get(system, "#505a5f")}"/>'
                     f'<text x="{x + 14}" y="{ly}">{html.escape(system)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fmt_interval(v, ci, places: int = 3) -> str:
    """ "0.935 (0.881–0.966)": a value and its 95% interval over the items."""
    return f"{_fmt(v)} ({ci[0]:.{places}f}–{ci[1]:.{places}f})" if ci and v is not None else _fmt(v)


def _with_interval(run: EvalRun, system: str, metric: str) -> str:
    return _fmt_interval(run.aggregate(system).get(metric), run.intervals.get(system, {}).get(metric))


def _breakdown_table(key: str, groups: dict[str, dict]) -> str:
    metrics = ("hit@5", "key_facts", "refusal_correct")
    return _table([key, "items", "hit@5", "key facts", "refusal correct"],
                  [[g, v["n"], *[_fmt_interval(v[m], v.get(f"{m}_interval"), 2) for m in metrics]] for g, v in groups.items()])


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(c) if not isinstance(c, str) else c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(run: EvalRun, thresholds: dict) -> str:
    systems = run.systems
    side = _table(["metric", *systems], [[label, *[_with_interval(run, s, k) for s in systems]] for k, label in _headline(run)])
    proj = run.aggregate(PROJECT)
    thr_rows = []
    for metric, bound in thresholds.items():
        v = proj.get(metric)
        thr_rows.append([metric, " ".join(f"{k} {b}" for k, b in bound.items()), v, "pass" if meets(v, bound) else "FAIL"])
    target_rows = [[t.metric, f"{t.bound} {t.target}", _fmt_interval(t.value, t.interval), t.status] for t in run.targets]
    targets = ("<h2>Targets (the goals the product works towards; reported, not a CI gate)</h2>"
               "<p>The thresholds above sit at the measured values so that any loss fails CI; a target is where the "
               "product should be. A target inside the 95% interval cannot be ruled out by these items; one outside "
               "it is clearly missed.</p>" + _table(["metric", "target", "measured (95% interval)", "status"], target_rows)
               ) if target_rows else ""
    guard = _table(["metric", "value"], [[k, v] for k, v in proj.items() if k.startswith("guardrails.")])
    lat = _table(["stage timing", "value (ms)"], [[k, v] for k, v in proj.items() if k.startswith("latency.")])
    quiz_rows = [[k, v] for k, v in proj.items() if k.startswith("quiz.")]
    quiz = ("<h2>Quiz quality (a generated 50-question quiz)</h2>" + _table(["metric", "value"], quiz_rows)) if quiz_rows else ""
    cov_rows = [[k, v] for k, v in proj.items() if k.startswith("coverage.")]
    quiz += ("<h2>Coverage check against hand labels</h2>" + _table(["metric", "value"], cov_rows)) if cov_rows else ""
    by_doc = _breakdown_table("document", run.by_document)
    by_type = _breakdown_table("question type", run.by_type)
    fails = failing_items(run.items)
    fail_rows = [[r["id"], r["type"], r["question"], r.get("failure", ""), r.get("key_facts"), r["answer"][:400],
                  r["cited"], r["expected"][:200]] for r in fails]
    fail_table = _table(["id", "type", "question (redacted)", "why it fails", "key facts", "answer", "cited",
                         "expected evidence"], fail_rows)
    if not run.failures:
        verdict = "<p class='ok'>All thresholds met.</p>"
    elif not run.gated:
        verdict = ("<p>The thresholds were measured on another split and do not gate this one; below them: "
                   + "; ".join(html.escape(f) for f in run.failures) + "</p>")
    else:
        verdict = "<p class='bad'>Below threshold: " + "; ".join(html.escape(f) for f in run.failures) + "</p>"
    baselines = ("""<p>bm25-only and dense-only use the project's own passages without fusion or composer; langchain-naive is
the LangChain tutorial RAG (RecursiveCharacterTextSplitter 1000/200, same embedding model, Chroma top-4). Baselines
never refuse and answer with their top passage.</p>""" if len(run.systems) > 1 else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation report – {html.escape(run.split)} split</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c;max-width:1200px}}
table{{border-collapse:collapse;margin:1em 0;font-size:14px}}
th,td{{border:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#f3f2f1}} .ok{{color:#00703c;font-weight:bold}} .bad{{color:#d4351c;font-weight:bold}}
td{{max-width:380px;overflow-wrap:anywhere}} .meta{{color:#505a5f;font-size:13px}}
</style></head><body>
<h1>Evaluation report: {html.escape(run.split)} split ({run.n_items} items)</h1>
{_provenance(run)}
{verdict}
<h2>Project pipeline{" against the baselines" if len(run.systems) > 1 else ""}</h2>
{baselines}
<p>In brackets, and as whiskers on the bars: the 95% interval (Wilson for pass/fail metrics, bootstrap for graded ones)
over the items, the range another set of questions of the same kind could plausibly give (one item moves hit@5 by
1/{run.aggregate().get("retrieval.n") or 1} here).</p>
{_bars(run)}
{side}
<h2>Thresholds (evals/thresholds.yaml)</h2>
{_table(["metric", "bound", "measured", "result"], thr_rows)}
{targets}
<h2>Guardrails</h2>{guard}
<h2>Latency per stage (warm)</h2>{lat}
{quiz}
<h2>By document</h2>{by_doc}
<h2>By question type</h2>{by_type}
<h2>Failing items ({len(fails)})</h2>
<p>An item fails if its refusal is wrong, its expected passage is not in the top 5, or a key fact is missing.
Questions and answers are shown with personal data redacted.</p>
{fail_table}
</body></html>
"""
