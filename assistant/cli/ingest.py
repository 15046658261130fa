"""`assistant ingest`: build or update the index."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.cli.common import DataOpt, app, data_dir, fail, progress_bar


@app.command()
def ingest(
    paths: list[str] = typer.Argument(None, help="Documents to add: files (PDF, .docx, HTML, Markdown, text), "
                                                 "folders of them, or http(s) URLs"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="A YAML or CSV list of documents, each with "
                                            "path, title, kind, authority, published, review, source_url, supersedes"),
    kind: str = typer.Option("local", help="national | local | evidence"),
    authority: Optional[str] = typer.Option(None, help="Authority a local document belongs to, e.g. Dorset"),
    title: Optional[str] = typer.Option(None, help="Title (one document only)"),
    doc_id: Optional[str] = typer.Option(None, "--doc-id", help="Document id (one document only)"),
    published: Optional[str] = typer.Option(None, help="Publication date, e.g. 2025-03"),
    review: Optional[str] = typer.Option(None, help="Review date, e.g. 2026-03"),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="Where the document is published"),
    supersedes: list[str] = typer.Option(None, "--supersedes", help="Id of a document this one replaces "
                                         "(kept and viewable, never answered from)"),
    remove: list[str] = typer.Option(None, "--remove", help="Remove an added document by id"),
    force: bool = typer.Option(False, help="Rebuild even if nothing changed"),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="If another ingest is running: wait for it, or stop"),
    data: Optional[Path] = DataOpt,
) -> None:
    """Build or update the index (the bundled corpus plus any documents you add)."""
    from assistant.index.lock import IngestBusy
    from assistant.index.update import ingest as run
    from assistant.ingest.loaders import LoaderError
    from assistant.ingest.sources import read_manifest

    if kind not in ("national", "local", "evidence"):
        fail(f"--kind must be national, local or evidence, not {kind!r}")
    try:
        specs = read_manifest(manifest) if manifest else []
        report = run(data_dir(data), paths or [], kind=kind, authority=authority, title=title, doc_id=doc_id,
                     published=published, review=review, source_url=source_url, supersedes=supersedes or [],
                     specs=specs, remove=remove or [], force=force, progress=progress_bar(), wait=wait)
    except IngestBusy as exc:
        fail(str(exc), code=3)
    except (LoaderError, ValueError, KeyError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        fail(f"{message}\nNothing was changed; the existing index keeps serving.")
    _print_report(report)


def _print_report(report) -> None:
    for label, ids in (("added", report.added), ("replaced", report.replaced), ("removed", report.removed)):
        for i in ids:
            typer.echo(f"{label}: {i}")
    if report.embedder_was:
        typer.echo(f"embedder: {report.embedder_was} -> {report.embedder} (the index was rebuilt with it)")
    if report.rebuilt:
        typer.echo(f"index rebuilt: {report.generation}")
    else:
        typer.echo("index up to date: nothing to do")
