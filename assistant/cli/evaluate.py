"""`assistant eval`: the pipeline and baselines scored on the gold items, gated by thresholds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import (
    DataOpt,
    ModelOpt,
    app,
    data_dir,
    fail,
    generator,
    progress_bar,
)


@app.command("eval")
def evaluate(
    suite: str = typer.Option("gold", help="gold (the team's items on the bundled corpus) | external-dev (invented "
                              "councils' procedures, to tune on) | external (more of them, never tuned on: measure only)"),
    split: Optional[str] = typer.Option(None, help="gold suite: dev | test | all (tune on dev, report test; default test)"),
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
    from assistant.evaluate import load_gold
    from assistant.evaluate.runner import load_gate
    from assistant.evaluate.suites import SUITES

    if suite not in SUITES:
        fail(f"--suite must be one of {', '.join(SUITES)}, not {suite!r}")
    chosen = SUITES[suite]
    split = split or chosen.split
    if suite == "gold" and split not in ("dev", "test", "all"):
        fail("--split must be dev, test or all")
    gold = gold or chosen.gold
    try:
        items = load_gold(gold, split)
        gate = load_gate(thresholds or chosen.thresholds)
    except (OSError, ValueError, KeyError) as exc:
        fail(f"cannot read the gold items or thresholds: {exc}")
    if not items:
        fail(f"no gold items in split {split!r}")
    folder = chosen.prepare(data_dir(data), progress=progress_bar())
    if not chosen.checks_bundled_features:
        quiz = coverage_check = False  # both read the bundled corpus alone: the gold suite reports them
    a = Assistant.open(folder, generator=generator(llm, model), progress=progress_bar())
    if lint:
        return _lint(a, gold)
    if calibrate:
        return _calibrate(a, gold)
    run, paths = _run(a, items, gate, split, gold, out, baselines, quiz, coverage_check)
    _report(run, gate, paths)


def _lint(a, gold: Path) -> None:
    from assistant.evaluate import load_gold
    from assistant.evaluate.lint import lint_gold

    every = load_gold(gold)  # every split: a leak needs both
    problems = lint_gold(every, a.snapshot)
    for p in problems:
        typer.echo(f"{p.item}: {p.kind}: {p.detail}")
    if problems:
        fail(f"{len(problems)} problem(s) in the gold items", code=1)
    typer.echo(f"gold items OK ({len(every)} items)")


def _calibrate(a, gold: Path) -> None:
    from assistant.evaluate import load_gold
    from assistant.evaluate.calibrate import calibrate as sweep
    from assistant.evaluate.coverage import CoverageAgreementEvaluator

    typer.echo(json.dumps({"refusal": sweep(a, load_gold(gold, "dev")),
                           "coverage": CoverageAgreementEvaluator().calibrate(a)}, indent=2))


def _run(a, items, gate, split: str, gold: Path, out: Path, baselines: bool, quiz: bool, coverage_check: bool):
    """Every system on every item, then the quiz and coverage checks; the run gated and written out."""
    from assistant.evaluate import check_thresholds, run_eval
    from assistant.evaluate.coverage import CoverageAgreementEvaluator
    from assistant.evaluate.intervals import intervals
    from assistant.evaluate.provenance import run_info
    from assistant.evaluate.quiz import QuizQualityEvaluator
    from assistant.evaluate.report import write_outputs
    from assistant.evaluate.runner import PROJECT, check_targets
    from assistant.evaluate.systems import build_systems
    from assistant.quiz.export import export
    from assistant.quiz.models import Quiz

    a.warm_up()  # latency is measured warm
    run = run_eval(build_systems(a, baselines), items, a.snapshot, split, progress=progress_bar())
    sample_quiz = None
    skipped: list[str] = []
    if quiz:
        run.results[PROJECT]["quiz"], sample_quiz = QuizQualityEvaluator().evaluate(a)
    else:
        skipped.append("quiz.")
    if coverage_check:
        run.results[PROJECT]["coverage"] = CoverageAgreementEvaluator().evaluate(a)
    else:
        skipped.append("coverage.")
    run.intervals[PROJECT] = intervals(run.results[PROJECT])  # now with the coverage check's
    # a part left out of this run is neither gated nor reported against its target
    limits = {k: v for k, v in gate.thresholds.items() if not k.startswith(tuple(skipped))}
    goals = {k: v for k, v in gate.targets.items() if not k.startswith(tuple(skipped))}
    run.failures = check_thresholds(run, limits)
    run.gated = gate.split in (None, split)  # thresholds measured on test do not gate a dev run
    run.info = run_info(a, gold)
    run.targets = check_targets(run, goals)
    paths = write_outputs(run, out, limits)
    if sample_quiz:
        (out / "sample-quiz.gift").write_text(export(Quiz(**sample_quiz), "gift"), encoding="utf-8")
    return run, paths


HEADLINE = ("retrieval.hit@5", "answers.key_facts", "answers.citation_precision", "answers.first_sentence_answers",
            "answers.words_p50",
            "answers.single_fact_within_80_words", "refusal.refusal_accuracy",
            "refusal.false_refusal_rate", "guardrails.pii_recall", "latency.total_ms_p50", "quiz.key_supported",
            "quiz.distractors_unsupported", "coverage.agreement", "coverage.agreement_test", "answers.llm_answer_rate",
            "authority.other_council_cited")


def _report(run, gate, paths) -> None:
    """The headline figures, the targets, and the verdict (exit 1 below a threshold that gates this run)."""
    from assistant.evaluate.runner import PROJECT

    agg = run.aggregate(PROJECT)
    width = max(len(k) for k in HEADLINE)
    for key in HEADLINE:
        if key not in agg:
            continue
        ci = run.intervals.get(PROJECT, {}).get(key)
        typer.echo(f"{key:<{width}} {agg.get(key)}" + (f"  (95% interval {ci[0]:.3f}-{ci[1]:.3f})" if ci else ""))
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
