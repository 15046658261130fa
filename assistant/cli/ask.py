"""`assistant ask` and `assistant sources`: answers and the documents they come from."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from assistant import messages
from assistant.cli.common import (
    DataOpt,
    LlmOpt,
    ModelOpt,
    app,
    data_dir,
    fail,
    generator,
    progress_bar,
)


def _add_hint(missing_guidance: str) -> str:
    return messages.ADD_GUIDANCE_HINT.format(missing_guidance=missing_guidance)


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
        fail("give a question or --file")
    a = Assistant.open(data_dir(data), generator=generator(llm, model), progress=progress_bar())
    filters = Filters(kind=kind or None, authority=authority or None, doc_id=document or None)
    unknown = [d for d in (document or []) if d not in a.snapshot.documents]
    if unknown:
        fail(f"unknown document id(s): {', '.join(unknown)} (see `assistant sources`)")
    if file:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            fail(f"{file}: {exc.strerror}")
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
        fail(str(exc))
    if as_json:
        typer.echo(ans.model_dump_json(indent=2))
    else:
        _print_answer(ans)


@app.command()
def sources(as_json: bool = typer.Option(False, "--json"), data: Optional[Path] = DataOpt) -> None:
    """List the documents held: kind, authority, dates, passages, source; superseded ones marked."""
    from assistant import Assistant

    a = Assistant.open(data_dir(data), progress=progress_bar())
    snap = a.snapshot
    rows = [
        {"doc_id": d.meta.doc_id, "title": d.meta.title, "kind": d.meta.kind, "authority": d.meta.authority,
         "published": d.meta.published, "review": d.meta.review, "chunks": d.n_chunks, "source": d.source,
         "source_url": d.meta.source_url, "superseded_by": snap.superseded_by.get(d.meta.doc_id)}
        for d in snap.documents.values()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    columns = [("document", "doc_id"), ("kind", "kind"), ("authority", "authority"), ("published", "published"),
               ("passages", "chunks"), ("title", "title")]
    cells = [[str(r[key] or "-") for _, key in columns] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (h, _) in enumerate(columns)]
    typer.echo("  ".join(h.ljust(w) for (h, _), w in zip(columns, widths)).rstrip())
    for r, c in zip(rows, cells):
        line = "  ".join(x.ljust(w) for x, w in zip(c, widths)).rstrip()
        if r["superseded_by"]:
            line += f"  (superseded by {r['superseded_by']})"
        typer.echo(line)
