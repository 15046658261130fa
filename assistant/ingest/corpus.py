"""Read the bundled corpus manifest and any documents a user adds with `assistant ingest`."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.ingest.chunker import chunk_blocks
from assistant.ingest.loaders import LoaderError, load_file, parse_text
from assistant.models import Chunk, DocumentMeta
from assistant.resources import corpus_dir

CORPUS_DIR = corpus_dir()


@dataclass
class SourceDocument:
    meta: DocumentMeta
    text: str
    chunks: list[Chunk]
    fingerprint: str  # changes when the text, the metadata or the chunks made of them change
    source: str


def fingerprint(text: str, meta: DocumentMeta, chunks: list[Chunk]) -> str:
    """The chunks count as well as the text: after an upgrade that chunks a document differently
    (a table row no longer dropped), `assistant ingest` rebuilds the index instead of saying that
    nothing changed."""
    h = hashlib.sha256(text.encode("utf-8"))
    h.update(meta.model_dump_json().encode("utf-8"))
    for chunk in chunks:
        h.update(chunk.model_dump_json().encode("utf-8"))
    return h.hexdigest()[:16]


def _line_range(text: str, start: str | None, end: str | None, name: str) -> tuple[int, int]:
    lo, hi = 0, len(text)
    if start:
        m = re.search(start, text, re.M)
        if not m:
            raise LoaderError(f"{name}: start marker {start!r} not found")
        lo = m.start()
    if end:
        m = re.compile(end, re.M).search(text, lo + 1)
        if not m:
            raise LoaderError(f"{name}: end marker {end!r} not found")
        hi = m.start()
    return lo, hi


def load_manifest(corpus_dir: Path = CORPUS_DIR) -> list[dict]:
    data = yaml.safe_load((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    return data["documents"]


def build_document(meta: DocumentMeta, text: str, headings: str, source: str,
                   line_breaks: bool = False) -> SourceDocument:
    """`line_breaks`: the text's line breaks are the source's own (not a PDF extraction's)."""
    blocks = parse_text(text, headings, source, line_breaks)
    chunks = chunk_blocks(meta.doc_id, blocks)
    return SourceDocument(meta, text, chunks, fingerprint(text, meta, chunks), source)


def load_corpus(corpus_dir: Path = CORPUS_DIR) -> list[SourceDocument]:
    """The bundled documents, with parts of a file (the design specification inside the
    evaluation report's Appendix 4) given their own identity and cut from the host file."""
    entries = load_manifest(corpus_dir)
    meta_fields = set(DocumentMeta.model_fields)
    docs: list[SourceDocument] = []
    texts: dict[str, str] = {}
    for entry in entries:
        path = corpus_dir / "documents" / entry["file"]
        if entry["file"] not in texts:
            # the bundled texts are PDF extractions: their letter-spaced words are rejoined
            texts[entry["file"]], _ = load_file(path, headings=entry.get("headings"), pdf_extraction=True)
    for entry in entries:
        full = texts[entry["file"]]
        name = entry["file"]
        if entry.get("start") or entry.get("end"):
            lo, hi = _line_range(full, entry.get("start"), entry.get("end"), name)
            text = full[lo:hi]
        elif entry.get("cut"):
            ranges = sorted(
                _line_range(full, other.get("start"), other.get("end"), name)
                for other in entries
                if other is not entry and other["file"] == entry["file"] and (other.get("start") or other.get("end"))
            )
            parts, pos = [], 0
            for lo, hi in ranges:
                parts.append(full[pos:lo])
                pos = hi
            parts.append(full[pos:])
            text = "\n".join(parts)
        else:
            text = full
        meta = DocumentMeta(doc_id=entry["id"], **{k: v for k, v in entry.items() if k in meta_fields and k != "doc_id"})
        docs.append(build_document(meta, text, entry.get("headings", "flat"), name))
    return docs


def load_user_document(path: Path, meta: DocumentMeta) -> SourceDocument:
    text, _ = load_file(path)
    from assistant.ingest.loaders import HEADINGS_MODE

    return build_document(meta, text, HEADINGS_MODE[path.suffix.lower()], path.name,
                          line_breaks=path.suffix.lower() != ".pdf")


def doc_id_for(path: Path) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return stem or "document"
