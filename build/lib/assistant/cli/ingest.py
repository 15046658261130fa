"""`assistant ingest`: build or update the index."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import DataOpt, app, data_dir, fail, progress_bar


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
        fail(f"--kind must be national, local or evidence, not {kind!r}")
    try:
        report = run(data_dir(data), paths or [], kind=kind, authority=authority, title=title, doc_id=doc_id,
                     published=published, remove=remove or [], force=force, progress=progress_bar())
    except (LoaderError, ValueError, KeyError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        fail(f"{message}\nNothing was changed; the existing index keeps serving.")
    for label, ids in (("added", report.added), ("replaced", report.replaced), ("removed", report.removed)):
        for i in ids:
            typer.echo(f"{label}: {i}")
    if report.embedder_was:
        typer.echo(f"embedder: {report.embedder_was} -> {report.embedder} (the index was rebuilt with it)")
    if report.rebuilt:
        typer.echo(f"index rebuilt: {report.generation}")
    else:
        typer.echo("index up to date: nothing to do")
