"""What an ingest is asked to add: files, folders, URLs or a manifest, each with its own metadata.

A council adds its whole procedures manual in one call: `assistant ingest manual/` (every
supported file of the folder, the same metadata for each) or `assistant ingest --manifest
manual.yaml` (one entry a document: path or URL, title, kind, authority, published, review,
source URL, supersedes). A URL is fetched over HTTP(S) and remembered as the document's source.
"""
from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.ingest.loaders import LOADERS, LoaderError
from assistant.models import Kind

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
_SUFFIX_OF_TYPE = {"application/pdf": ".pdf", "text/html": ".html", "application/xhtml+xml": ".html",
                   "text/plain": ".txt", "text/markdown": ".md",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


class SourceSpec(BaseModel):
    """One thing to add and what is known of it."""

    path: str  # a file, a folder, or an http(s) URL
    title: str | None = None
    kind: Kind = "local"
    authority: str | None = None
    published: str | None = None
    review: str | None = None  # when the document is due for review
    source_url: str | None = None
    doc_id: str | None = None
    supersedes: list[str] = Field(default_factory=list)  # document ids this one replaces

    @property
    def is_url(self) -> bool:
        return bool(re.match(r"https?://", self.path, re.I))


def read_manifest(path: Path) -> list[SourceSpec]:
    """A YAML list (or `documents:` list) of entries, or a CSV with a header row; relative paths are
    read from the manifest's folder."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as f:
                rows = [{k.strip(): (v.strip() or None) for k, v in row.items() if k} for row in csv.DictReader(f)]
            for row in rows:
                if row.get("supersedes"):
                    row["supersedes"] = [s.strip() for s in re.split(r"[;,]", row["supersedes"]) if s.strip()]
        else:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            rows = data.get("documents", []) if isinstance(data, dict) else data
        specs = [SourceSpec(**{k: v for k, v in row.items() if v is not None}) for row in rows or []]
    except (OSError, yaml.YAMLError, csv.Error, ValidationError, TypeError, AttributeError) as exc:
        raise LoaderError(f"{path.name}: not a readable manifest ({exc.__class__.__name__}: {exc})") from exc
    if not specs:
        raise LoaderError(f"{path.name}: the manifest lists no documents")
    for spec in specs:
        if not spec.is_url and not Path(spec.path).is_absolute():
            spec.path = str(path.parent / spec.path)
    return specs


def expand(specs: list[SourceSpec]) -> list[SourceSpec]:
    """Folders replaced by their supported files (sorted, subfolders too), each with the folder's metadata."""
    out: list[SourceSpec] = []
    for spec in specs:
        folder = Path(spec.path)
        if spec.is_url or not folder.is_dir():
            out.append(spec)
            continue
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in LOADERS
                       and not any(part.startswith(".") for part in p.relative_to(folder).parts))
        if not files:
            raise LoaderError(f"{folder}: no documents of a supported type in this folder")
        out += [spec.model_copy(update={"path": str(p), "title": None, "doc_id": None}) for p in files]
    return out


def fetch(spec: SourceSpec, into: Path) -> Path:
    """Download a URL into the folder, named so that its loader is known; the spec keeps the URL."""
    import httpx

    try:
        with httpx.stream("GET", spec.path, follow_redirects=True, timeout=60) as r:
            r.raise_for_status()
            content_type = r.headers.get("content-type", "").split(";")[0].strip().lower()
            name = Path(unquote(urlparse(str(r.url)).path)).name or "page"
            suffix = Path(name).suffix.lower()
            if suffix not in LOADERS:
                suffix = _SUFFIX_OF_TYPE.get(content_type, "")
                name = f"{Path(name).stem or 'page'}{suffix}"
            if suffix not in LOADERS:
                raise LoaderError(f"{spec.path}: cannot read a document of type {content_type or 'unknown'!r}")
            target = Path(into) / name
            size = 0
            with target.open("wb") as f:
                for block in r.iter_bytes():
                    size += len(block)
                    if size > MAX_DOWNLOAD_BYTES:
                        raise LoaderError(f"{spec.path}: larger than {MAX_DOWNLOAD_BYTES // 2**20} MB")
                    f.write(block)
    except httpx.HTTPError as exc:
        raise LoaderError(f"{spec.path}: could not be fetched ({exc.__class__.__name__}: {exc})") from exc
    spec.source_url = spec.source_url or spec.path
    return target


def download_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="assistant-fetch-")
