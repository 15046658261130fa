"""`assistant ingest`: bring the index up to date with the bundled corpus and added documents.

Added documents are kept in data/documents/<doc_id>.json (metadata + extracted text), so a
rebuild never needs the original file again. A record is written only after the new index
generation is live: an ingest that fails leaves both the records and the index as they were.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assistant.index.embedders import EMBEDDERS, STANDARD_EMBEDDER
from assistant.index.lock import ingest_lock
from assistant.index.store import build_generation, current_generation
from assistant.ingest.corpus import (
    SourceDocument,
    build_document,
    doc_id_for,
    load_corpus,
    load_user_document,
)
from assistant.ingest.loaders import HEADINGS_MODE
from assistant.ingest.sources import SourceSpec, download_dir, expand, fetch
from assistant.models import DocumentMeta
from assistant.settings import Settings


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: bool = False
    generation: str | None = None
    embedder: str | None = None  # the index's embedder after the ingest
    embedder_was: str | None = None  # set when the ingest changed it


def _records_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "documents"


def load_user_records(data_dir: Path) -> list[SourceDocument]:
    docs = []
    d = _records_dir(data_dir)
    if d.exists():
        for p in sorted(d.glob("*.json")):
            rec = json.loads(p.read_text(encoding="utf-8"))
            line_breaks = rec.get("line_breaks", not rec["source"].lower().endswith(".pdf"))
            docs.append(build_document(DocumentMeta(**rec["meta"]), rec["text"], rec["headings"], rec["source"],
                                       line_breaks))
    return docs


def _save_record(data_dir: Path, doc: SourceDocument, headings: str) -> None:
    d = _records_dir(data_dir)
    d.mkdir(parents=True, exist_ok=True)
    rec = {"meta": doc.meta.model_dump(), "text": doc.text, "headings": headings, "source": doc.source,
           "line_breaks": not doc.source.lower().endswith(".pdf")}
    tmp = d / f".{doc.meta.doc_id}.json.tmp"
    tmp.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    tmp.replace(d / f"{doc.meta.doc_id}.json")


def _indexed_embedder(data_dir: Path) -> str | None:
    gen = current_generation(data_dir)
    if gen is None:
        return None
    return json.loads((gen / "info.json").read_text(encoding="utf-8"))["embedder"]


def choose_embedder(indexed_with: str | None) -> str:
    """Settings.embedder ($ASSISTANT_EMBEDDER) when set (a change of model rebuilds the index); otherwise the embedder the
    index was built with, so that adding a document to a `minilm+e5` index does not silently rebuild
    it with the default model; a new index gets the default."""
    return Settings().embedder or indexed_with or STANDARD_EMBEDDER


def _indexed_fingerprints(data_dir: Path) -> dict[str, str]:
    gen = current_generation(data_dir)
    if gen is None:
        return {}
    return {d["meta"]["doc_id"]: d["fingerprint"] for d in json.loads((gen / "documents.json").read_text(encoding="utf-8"))}


def ingest(
    data_dir: Path,
    paths: list[Path | str] | None = None,
    *,
    kind: str = "local",
    authority: str | None = None,
    title: str | None = None,
    doc_id: str | None = None,
    published: str | None = None,
    review: str | None = None,
    source_url: str | None = None,
    supersedes: list[str] | None = None,
    specs: list[SourceSpec] | None = None,
    remove: list[str] | None = None,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    wait: bool = True,
) -> IngestReport:
    """Add the given files, folders and URLs (the keyword metadata applies to each; title and id
    only to a single document) and the `specs` (each with its own), remove `remove`, and rebuild
    the index once if anything changed. One ingest at a time per data folder (index/lock.py)."""
    one = len(paths or []) == 1
    specs = [SourceSpec(path=str(p), kind=kind, authority=authority, published=published, review=review,
                        source_url=source_url, supersedes=supersedes or [], title=title if one else None,
                        doc_id=doc_id if one else None) for p in paths or []] + list(specs or [])
    data_dir = Path(data_dir)
    waited: list[dict] = []
    with ingest_lock(data_dir, wait, on_wait=waited.append):
        if waited and progress:
            progress("waited for another ingest", 1, 1)
        with download_dir() as downloads:
            return _ingest(data_dir, expand(specs), remove or [], force, progress, Path(downloads))


def _ingest(data_dir: Path, specs: list[SourceSpec], remove: list[str], force: bool, progress,
            downloads: Path) -> IngestReport:
    report = IngestReport()
    indexed_with = _indexed_embedder(data_dir)
    embedder = choose_embedder(indexed_with)
    if embedder not in EMBEDDERS:  # before anything changes (a model that cannot load fails in the build, as atomically)
        raise ValueError(f"unknown embedder {embedder!r} (ASSISTANT_EMBEDDER); registered: {', '.join(sorted(EMBEDDERS))}")
    bundled = load_corpus()
    bundled_ids = {d.meta.doc_id for d in bundled}
    users = {d.meta.doc_id: d for d in load_user_records(data_dir)}
    new_records = _read_sources(specs, bundled_ids, users, report, progress, downloads)
    for rid in remove:
        if rid in bundled_ids:
            raise ValueError(f"{rid!r} is part of the bundled corpus and cannot be removed")
        if rid not in users:
            raise KeyError(f"unknown document id {rid!r}")
        users.pop(rid)
        report.removed.append(rid)
    documents = bundled + sorted(users.values(), key=lambda d: d.meta.doc_id)
    _check_supersedes(documents)
    wanted = {d.meta.doc_id: d.fingerprint for d in documents}
    if force or wanted != _indexed_fingerprints(data_dir) or embedder != indexed_with:
        gen = build_generation(data_dir, documents, embedder_name=embedder, progress=progress)
        report.rebuilt = True
        report.generation = gen.name
        if indexed_with and embedder != indexed_with:
            report.embedder_was = indexed_with
    else:
        report.unchanged.extend(d for d in bundled_ids if d not in report.unchanged)
    # the new index is live: now the records may change
    report.embedder = embedder
    for doc, headings in new_records:
        _save_record(data_dir, doc, headings)
    for rid in report.removed:
        (_records_dir(data_dir) / f"{rid}.json").unlink(missing_ok=True)
    return report


def _read_sources(specs: list[SourceSpec], bundled_ids: set[str], users: dict[str, SourceDocument],
                  report: IngestReport, progress, downloads: Path) -> list[tuple[SourceDocument, str]]:
    """Each source read into a document (a URL fetched first); every failure is raised before
    anything changes. `users` is updated with what is new or changed."""
    new_records: list[tuple[SourceDocument, str]] = []
    for n, spec in enumerate(specs, start=1):
        path = fetch(spec, downloads) if spec.is_url else Path(spec.path)
        did = spec.doc_id or doc_id_for(path)
        if did in bundled_ids:
            raise ValueError(f"{path.name}: document id {did!r} belongs to the bundled corpus; choose another with --doc-id")
        meta = DocumentMeta(doc_id=did, title=spec.title or path.stem.replace("-", " ").replace("_", " "),
                            kind=spec.kind, authority=spec.authority, published=spec.published, review=spec.review,
                            publisher=spec.authority, source_url=spec.source_url, supersedes=spec.supersedes)
        doc = load_user_document(path, meta)  # raises LoaderError before anything changes
        if progress:
            progress("reading", n, len(specs))
        old = users.get(did)
        if old is not None and old.fingerprint == doc.fingerprint:
            report.unchanged.append(did)
            continue
        (report.replaced if old is not None else report.added).append(did)
        users[did] = doc
        new_records.append((doc, HEADINGS_MODE[path.suffix.lower()]))
    return new_records


def _check_supersedes(documents: list[SourceDocument]) -> None:
    held = {d.meta.doc_id for d in documents}
    for d in documents:
        unknown = [x for x in d.meta.supersedes if x not in held or x == d.meta.doc_id]
        if unknown:
            raise ValueError(f"{d.meta.doc_id} supersedes {', '.join(unknown)}, which the index does not hold "
                             "(see `assistant sources`)")
