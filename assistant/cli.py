"""`assistant` command line: a thin shell over the Python API."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from assistant.settings import default_data_dir

app = typer.Typer(add_completion=False, help="Cited answers from the Families First guidance.")
DataOpt = typer.Option(None, "--data", help="Index directory (default: $ASSISTANT_DATA or ./data)")
LlmOpt = typer.Option(None, "--llm", help="OpenAI-compatible base URL for the optional LLM composer")
ModelOpt = typer.Option("local", "--model", help="Model name for --llm")


def _generator(llm: Optional[str], model: str):
    """The optional LLM composer, or None for the extractive one."""
    from assistant.compose.llm import generator_for

    return generator_for(llm, model)


def _data(data: Optional[Path]) -> Path:
    return data or default_data_dir()


def _progress_bar():
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            # disable=None: no bar when stderr is not a terminal (CI logs stay readable)
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="text", file=sys.stderr, leave=True, disable=None)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Documents to add (PDF, .docx, HTML, Markdown, text)"),
    kind: str = typer.Option("local", help="national | local | evidence"),
    authority: Optional[str] = typer.Option(None, help="Authority a local document belongs to, e.g. Dorset"),
    title: Optional[str] = typer.Option(None, help="Title (one document only)"),
    doc_id: Optional[str] = typer.Option(None, "--doc-id", help="Document id (one document only)"),
    published: Optional[str] = typer.Option(None, help="Publication date, e.g. 2025-03"),
    remove: list[str] = typer.Option(None, "--remove", help="Remove an added document by id"),
    force: bool = typer.Option(False, help="Rebuild even if nothing changed"),
    data: Optional[Path] = DataOpt,
) -> None:
    """Build or update the index (the bundled corpus plus any documents you add)."""
    from assistant.index.update import ingest as run
    from assistant.ingest.loaders import LoaderError

    if kind not in ("national", "local", "evidence"):
        _fail(f"--kind must be national, local or evidence, not {kind!r}")
    try:
        report = run(_data(data), paths or [], kind=kind, authority=authority, title=title, doc_id=doc_id,
                     published=published, remove=remove or [], force=force, progress=_progress_bar())
    except (LoaderError, ValueError, KeyError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        _fail(f"{message}\nNothing was changed; the existing index keeps serving.")
    for label, ids in (("added", report.added), ("replaced", report.replaced), ("removed", report.removed)):
        for i in ids:
            typer.echo(f"{label}: {i}")
    if report.embedder_was:
        typer.echo(f"embedder: {report.embedder_was} -> {report.embedder} (the index was rebuilt with it)")
    if report.rebuilt:
        typer.echo(f"index rebuilt: {report.generation}")
    else:
        typer.echo("index up to date: nothing to do")


def _add_hint(missing_guidance: str) -> str:
    return f"To answer this, add {missing_guidance} to the index: assistant ingest PATH_TO_DOCUMENT"


def _print_answer(ans) -> None:
    if ans.searched_for:
        typer.secho(f"Searched for: {ans.searched_for}\n", dim=True)
    if ans.refused:
        typer.secho(ans.answer, fg=typer.colors.YELLOW)
        typer.echo(f"Reason: {ans.reason}")
        if ans.missing_guidance:
            typer.echo(_add_hint(ans.missing_guidance))
        if ans.related:
            typer.echo("\nRelated guidance:")
            for r in ans.related:
                typer.echo(f"  - {r.title} › {r.section}" + (f" › para {r.paragraph}" if r.paragraph else ""))
        return
    typer.echo(ans.answer)
    if ans.not_covered:
        typer.secho("\nThe guidance I hold does not cover:", fg=typer.colors.YELLOW)
        for n in ans.not_covered:
            typer.secho(f"  - “{n.part}”: {n.reason}", fg=typer.colors.YELLOW)
            if n.missing_guidance:
                typer.echo(f"    {_add_hint(n.missing_guidance)}")
    typer.echo("")
    for c in ans.citations:
        where = f"{c.title} › {c.section}" + (f" › para {c.paragraph}" if c.paragraph else "")
        typer.echo(f"[{c.n}] {where} ({c.kind}{', ' + c.authority if c.authority else ''}, {c.published})")


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, help="The question"),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON answer"),
    file: Optional[Path] = typer.Option(None, "--file", help="One question a line; JSONL out, same order"),
    kind: list[str] = typer.Option(None, "--kind", help="Only these kinds (national/local/evidence)"),
    authority: list[str] = typer.Option(None, "--authority", help="Only these authorities"),
    document: list[str] = typer.Option(None, "--document", help="Only these document ids"),
    llm: Optional[str] = LlmOpt,
    model: str = ModelOpt,
    data: Optional[Path] = DataOpt,
) -> None:
    """Ask a question; the index is built on first use."""
    from assistant import Assistant, Filters, QuestionError

    if not question and not file:
        _fail("give a question or --file")
    a = Assistant.open(_data(data), generator=_generator(llm, model), progress=_progress_bar())
    filters = Filters(kind=kind or None, authority=authority or None, doc_id=document or None)
    unknown = [d for d in (document or []) if d not in a.snapshot.documents]
    if unknown:
        _fail(f"unknown document id(s): {', '.join(unknown)} (see `assistant sources`)")
    if file:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            _fail(f"{file}: {exc.strerror}")
        for line in lines:
            if not line.strip():
                continue
            try:
                out = a.ask(line, filters).model_dump()
            except QuestionError as exc:
                out = {"question": line, "error": str(exc)}
            typer.echo(json.dumps(out, ensure_ascii=False))
        return
    try:
        ans = a.ask(question, filters)
    except QuestionError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(ans.model_dump_json(indent=2))
    else:
        _print_answer(ans)


@app.command()
def sources(as_json: bool = typer.Option(False, "--json"), data: Optional[Path] = DataOpt) -> None:
    """List the documents held, with kind, date and chunk counts."""
    from assistant import Assistant

    a = Assistant.open(_data(data), progress=_progress_bar())
    rows = [
        {"doc_id": d.meta.doc_id, "title": d.meta.title, "kind": d.meta.kind, "authority": d.meta.authority,
         "published": d.meta.published, "chunks": d.n_chunks, "source": d.source}
        for d in a.snapshot.documents.values()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['doc_id']:<40} {r['kind']:<9} {(r['authority'] or '-'):<17} {str(r['published']):<11} {r['chunks']:>4} chunks  {r['title']}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(1, min=1, max=16, help="Worker processes (each holds its own copy of the index)"),
    db: Optional[Path] = typer.Option(None, help="SQLite file for history and feedback (default: <data>/web.sqlite3)"),
    llm: Optional[str] = LlmOpt,
    model: str = ModelOpt,
    data: Optional[Path] = DataOpt,
) -> None:
    """Start the web chat and JSON API (builds the index first if there is none)."""
    import os

    import uvicorn

    from assistant import Assistant
    from assistant.api import create_app

    typer.echo(f"Serving on http://{host}:{port}  (API docs: /docs)")
    if workers > 1:
        # Build the index once, before any worker starts; the parent only supervises, so it does
        # not load the model when an index is already there (each worker loads its own).
        from assistant.index.store import current_generation
        from assistant.index.update import ingest

        if current_generation(_data(data)) is None:
            ingest(_data(data), progress=_progress_bar())
        os.environ["ASSISTANT_DATA"] = str(_data(data).resolve())
        if db:
            os.environ["ASSISTANT_DB"] = str(db.resolve())
        if llm:  # each worker builds its own client (assistant.api.app.generator_from_env)
            os.environ["ASSISTANT_LLM_URL"], os.environ["ASSISTANT_LLM_MODEL"] = llm, model
        uvicorn.run("assistant.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
        return
    a = Assistant.open(_data(data), generator=_generator(llm, model), progress=_progress_bar())
    a.ask("warm up")
    uvicorn.run(create_app(_data(data), db, assistant=a), host=host, port=port, log_level="warning")


@app.command()
def quiz(
    topic: str = typer.Option("all", help="all | safeguarding arrangements | family help | child protection | family networks | front door"),
    n: int = typer.Option(10, "--n", min=1, max=200, help="Number of questions"),
    types: str = typer.Option("mcq,true_false,cloze", help="Comma-separated: mcq, true_false, cloze"),
    seed: int = typer.Option(7, help="Same seed, same quiz"),
    authority: Optional[str] = typer.Option(None, help="Also use this authority's local documents"),
    document: list[str] = typer.Option(None, "--document", help="Only these document ids"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write here; format from the suffix (.gift .xml .csv .html .json)"),
    data: Optional[Path] = DataOpt,
) -> None:
    """Build an induction quiz from the guidance; every question cites the passage that proves it."""
    from assistant import Assistant
    from assistant.quiz import QuizBuilder
    from assistant.quiz.export import export

    a = Assistant.open(_data(data), progress=_progress_bar())
    try:
        built = QuizBuilder(a).build(topic, n, [t.strip() for t in types.split(",") if t.strip()], seed,
                                     authority=authority, documents=document or None)
    except ValueError as exc:
        _fail(str(exc))
    if len(built.questions) < n:
        typer.secho(f"note: only {len(built.questions)} questions could be built for this topic and scope",
                    fg=typer.colors.YELLOW, err=True)
    fmt = {".gift": "gift", ".txt": "gift", ".xml": "moodle-xml", ".csv": "csv", ".html": "html"}.get(
        out.suffix.lower() if out else "", None)
    text = built.model_dump_json(indent=2) if fmt is None else export(built, fmt)
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{len(built.questions)} questions written to {out}")
    else:
        typer.echo(text)


@app.command()
def coverage(
    authority: list[str] = typer.Option(None, "--authority", help="Authorities to check (default: every authority held)"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the report: .html (heat map), .csv or .json"),
    extract: bool = typer.Option(False, help="Re-extract the checklist into corpus/expectations.yaml and stop"),
    gaps: bool = typer.Option(False, help="Add the gap report from the web chat's history (redacted questions)"),
    db: Optional[Path] = typer.Option(None, help="Web chat database for --gaps (default: <data>/web.sqlite3)"),
    data: Optional[Path] = DataOpt,
) -> None:
    """Check how far local documents cover the national minimum expectations."""
    from assistant import Assistant
    from assistant.coverage import CoverageMatcher, extract_expectations, load_checklist
    from assistant.coverage.checklist import CHECKLIST_PATH, write_checklist
    from assistant.coverage.report import (
        gap_groups,
        render_report,
        strand_summary,
        to_csv,
    )

    a = Assistant.open(_data(data), progress=_progress_bar())
    if extract:
        items = extract_expectations(a.snapshot)
        write_checklist(items)
        by = {}
        for i in items:
            by[i.strand] = by.get(i.strand, 0) + 1
        typer.echo(f"{len(items)} expectations written to {CHECKLIST_PATH}: " + ", ".join(f"{k} {v}" for k, v in by.items()))
        return
    matcher = CoverageMatcher(a)
    auths = authority or matcher.authorities()
    checklist = load_checklist()
    rows = []
    try:
        for auth in auths:
            rows += matcher.check(auth, checklist)
    except ValueError as exc:
        _fail(str(exc))
    gap = None
    if gaps:
        from assistant.api.store import Store

        path = db or _data(data) / "web.sqlite3"
        gap = gap_groups(Store(path).low_confidence_turns()) if path.exists() else {}
    summary = strand_summary(rows)
    typer.echo(f"{len(checklist)} national expectations; status by strand (covered / partly / none):")
    for auth, strands in summary.items():
        typer.echo(f"\n{auth}")
        for strand, s in strands.items():
            typer.echo(f"  {strand:<27} {s['covered']:>3} / {s['partly covered']:>3} / {s['no evidence found']:>3}   score {s['score']}")
    for r in rows:
        if r.divergence:
            typer.secho(f"\npossible divergence, {r.authority}, {r.expectation_id}: {r.expectation}\n  local: {r.divergence_quote}",
                        fg=typer.colors.YELLOW)
    if out:
        suffix = out.suffix.lower()
        if suffix == ".csv":
            out.write_text(to_csv(rows), encoding="utf-8")
        elif suffix == ".json":
            out.write_text(json.dumps([r.model_dump() for r in rows], indent=1, ensure_ascii=False), encoding="utf-8")
        else:
            out.write_text(render_report(rows, gap), encoding="utf-8")
        typer.echo(f"\nreport: {out}")


@app.command("eval")
def evaluate(
    split: str = typer.Option("test", help="dev | test | all (tune on dev, report test)"),
    baselines: bool = typer.Option(True, "--baselines/--no-baselines", help="Also run BM25-only, dense-only and naive LangChain RAG"),
    out: Path = typer.Option(Path("evals/out"), "--out", help="Folder for items.csv/json, summary.json, report.html"),
    thresholds: Optional[Path] = typer.Option(None, help="Thresholds YAML (default: evals/thresholds.yaml)"),
    gold: Optional[Path] = typer.Option(None, help="Gold items YAML (default: evals/gold/items.yaml)"),
    calibrate: bool = typer.Option(False, help="Sweep the refusal cut-offs on the dev split and print the best pair"),
    quiz: bool = typer.Option(True, "--quiz/--no-quiz", help="Also check a generated 50-question quiz"),
    coverage_check: bool = typer.Option(True, "--coverage/--no-coverage", help="Also score the coverage check against its hand labels"),
    lint: bool = typer.Option(False, "--lint", help="Only check the gold items (quotes in the index, facts in their "
                              "evidence, no test item restating a dev one); exit 1 on a problem"),
    llm: Optional[str] = typer.Option(None, "--llm", help="Score the optional LLM composer at this OpenAI-compatible base URL "
                                      "instead of the extractive one"),
    model: str = ModelOpt,
    data: Optional[Path] = DataOpt,
) -> None:
    """Score the pipeline (and baselines) on the gold items; exit 1 below any threshold."""
    from assistant import Assistant
    from assistant.evaluate import check_thresholds, load_gold, run_eval
    from assistant.evaluate.gold import GOLD_PATH, THRESHOLDS_PATH
    from assistant.evaluate.report import write_outputs
    from assistant.evaluate.runner import PROJECT, check_targets, load_gate
    from assistant.evaluate.systems import build_systems

    if split not in ("dev", "test", "all"):
        _fail("--split must be dev, test or all")
    try:
        items = load_gold(gold or GOLD_PATH, split)
        gate = load_gate(thresholds or THRESHOLDS_PATH)
    except (OSError, ValueError, KeyError) as exc:
        _fail(f"cannot read the gold items or thresholds: {exc}")
    if not items:
        _fail(f"no gold items in split {split!r}")
    a = Assistant.open(_data(data), generator=_generator(llm, model), progress=_progress_bar())
    if lint:
        from assistant.evaluate.lint import lint_gold

        every = load_gold(gold or GOLD_PATH)  # every split: a leak needs both
        problems = lint_gold(every, a.snapshot)
        for p in problems:
            typer.echo(f"{p.item}: {p.kind}: {p.detail}")
        if problems:
            _fail(f"{len(problems)} problem(s) in the gold items", code=1)
        typer.echo(f"gold items OK ({len(every)} items)")
        return
    if calibrate:
        from assistant.evaluate.calibrate import calibrate as sweep
        from assistant.evaluate.coverage import CoverageAgreementEvaluator

        typer.echo(json.dumps({"refusal": sweep(a, load_gold(gold or GOLD_PATH, "dev")),
                               "coverage": CoverageAgreementEvaluator().calibrate(a)}, indent=2))
        return
    a.ask("warm up")  # latency is measured warm
    run = run_eval(build_systems(a, baselines), items, a.snapshot, split, progress=_progress_bar())
    sample_quiz = None
    skipped: list[str] = []
    if quiz:
        from assistant.evaluate.quiz import QuizQualityEvaluator

        run.results[PROJECT]["quiz"], sample_quiz = QuizQualityEvaluator().evaluate(a)
    else:
        skipped.append("quiz.")
    if coverage_check:
        from assistant.evaluate.coverage import CoverageAgreementEvaluator

        run.results[PROJECT]["coverage"] = CoverageAgreementEvaluator().evaluate(a)
    else:
        skipped.append("coverage.")
    from assistant.evaluate.intervals import intervals

    run.intervals[PROJECT] = intervals(run.results[PROJECT])  # now with the coverage check's
    # a part left out of this run is neither gated nor reported against its target
    limits = {k: v for k, v in gate.thresholds.items() if not k.startswith(tuple(skipped))}
    goals = {k: v for k, v in gate.targets.items() if not k.startswith(tuple(skipped))}
    run.failures = check_thresholds(run, limits)
    run.gated = gate.split in (None, split)  # thresholds measured on test do not gate a dev run
    from assistant.evaluate.provenance import run_info

    run.info = run_info(a, gold or GOLD_PATH)
    run.targets = check_targets(run, goals)
    paths = write_outputs(run, out, limits)
    if sample_quiz:
        from assistant.quiz.export import export
        from assistant.quiz.models import Quiz

        (out / "sample-quiz.gift").write_text(export(Quiz(**sample_quiz), "gift"), encoding="utf-8")
    agg = run.aggregate(PROJECT)
    for key in ("retrieval.hit@5", "answers.key_facts", "answers.citation_precision", "refusal.refusal_accuracy",
                "refusal.false_refusal_rate", "guardrails.pii_recall", "latency.total_ms_p50", "quiz.key_supported",
                "quiz.distractors_unsupported", "coverage.agreement", "coverage.agreement_test", "answers.llm_answer_rate"):
        if key not in agg:
            continue
        ci = run.intervals.get(PROJECT, {}).get(key)
        typer.echo(f"{key:<32} {agg.get(key)}" + (f"  (95% interval {ci[0]:.3f}-{ci[1]:.3f})" if ci else ""))
    for t in run.targets:
        sign = ">=" if t.bound == "min" else "<="
        typer.echo(f"target {t.metric} {sign} {t.target}: {t.status}")
    typer.echo(f"report: {paths['html']}")
    if run.failures and not run.gated:
        typer.echo(f"below the {gate.split} split's thresholds (they gate {gate.split} runs only):")
        for f in run.failures:
            typer.echo(f"  {f}")
        return
    if run.failures:
        for f in run.failures:
            typer.secho(f"FAIL {f}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo("all thresholds met")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
