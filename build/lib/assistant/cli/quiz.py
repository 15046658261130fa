"""`assistant quiz` for trainers and `assistant coverage` for policy leads."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import DataOpt, app, data_dir, fail, progress_bar


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

    a = Assistant.open(data_dir(data), progress=progress_bar())
    try:
        built = QuizBuilder(a).build(topic, n, [t.strip() for t in types.split(",") if t.strip()], seed,
                                     authority=authority, documents=document or None)
    except ValueError as exc:
        fail(str(exc))
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

    a = Assistant.open(data_dir(data), progress=progress_bar())
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
        fail(str(exc))
    gap = None
    if gaps:
        from assistant.api.store import Store

        path = db or data_dir(data) / "web.sqlite3"
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
