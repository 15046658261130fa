"""Index generations: Chroma (dense) + BM25 (lexical) + sentence vectors, swapped atomically.

Every build writes a complete new generation directory and then flips the `CURRENT` pointer
with an atomic rename. A query opened on a generation reads only that generation, so during an
ingest it sees the old index or the new one, never a mix; an ingest that dies halfway leaves
`CURRENT` untouched and the old index keeps serving. The previous generation is kept until the
next build so that readers still holding it can finish.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from assistant.index.embedders import (
    STANDARD_EMBEDDER,
    EmbeddingCache,
    get_embedder,
)
from assistant.index.texts import (
    chunk_embedding_text,
    heading_of,
    sentence_embedding_text,
)
from assistant.index.vectors import VectorStore, create_store, open_store
from assistant.models import Chunk, DocumentMeta
from assistant.settings import Settings
from assistant.text import tokens


class IndexMissing(RuntimeError):
    pass


def heading_vectors(chunks: list[Chunk], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One row per chunk: the embedding of its heading (each distinct heading embedded once)."""
    heads = [heading_of(c) for c in chunks]
    distinct = sorted(set(heads))
    if not distinct:
        return np.zeros((0, 0), dtype=np.float32)
    vecs = embed(distinct)
    row = {h: i for i, h in enumerate(distinct)}
    return np.stack([vecs[row[h]] for h in heads])


def build_bm25(chunks: list[Chunk]):
    """The BM25 index of the chunks' section headings and text."""
    import bm25s

    # bm25s sets its own logger to DEBUG on import, which put "Building index from tokens" in every
    # `assistant ingest` output; only its warnings are worth showing
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    bm25 = bm25s.BM25()
    bm25.index([tokens(f"{c.section} {c.text}") or ["_empty_"] for c in chunks], show_progress=False)
    return bm25


@dataclass
class StoredDocument:
    meta: DocumentMeta
    fingerprint: str
    source: str
    text: str
    n_chunks: int


def embedding_cache_path(data_dir: Path) -> Path:
    """The index's own cache, or one shared by several indexes ($ASSISTANT_EMBEDDING_CACHE): vectors are
    keyed by model and text, so a shared cache is never wrong, and the test suite's many indexes of the
    same documents (and CI's index after them) embed each text once."""
    return Settings().embedding_cache_path(data_dir)


def build_generation(
    data_dir: Path,
    documents: list,  # list[SourceDocument]
    embedder_name: str = STANDARD_EMBEDDER,
    progress: Callable[[str, int, int], None] | None = None,
    settings: Settings | None = None,
) -> Path:
    """Write a complete new generation and make it current. Returns its path."""
    settings = settings or Settings()
    index_dir = Path(data_dir) / "index"
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    tmp = gen.with_name(gen.name + ".building")
    store = None
    try:
        tmp.mkdir(parents=True)
        chunks: list[Chunk] = [c for d in documents for c in d.chunks]
        metas = {d.meta.doc_id: d.meta for d in documents}
        sent_refs = [(ci, si) for ci, c in enumerate(chunks) for si, s in enumerate(c.spans) if not s.lead_in]
        vectors = embed_all(embedding_cache_path(data_dir), embedder_name, chunks, metas, sent_refs, progress)
        store = create_store(tmp, settings, get_embedder(embedder_name).name)
        store.add([c.chunk_id for c in chunks], vectors["chunk_vecs"], [c.text for c in chunks],
                  [_vector_metadata(c, metas[c.doc_id]) for c in chunks])
        if progress:
            progress("bm25", 1, 1)
        _write_files(tmp, documents, chunks, sent_refs, vectors, {
            "embedder": embedder_name, "built": time.time(), "chunks": len(chunks), "vectors": store.describe()})
        os.rename(tmp, gen)
        _point_current(index_dir, gen.name)
    except BaseException:
        if store is not None:
            store.drop()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(index_dir, keep={gen.name})
    return gen


def embed_all(cache_path: Path, embedder_name: str, chunks: list[Chunk], metas: dict[str, DocumentMeta],
              sent_refs: list[tuple[int, int]], progress, shipped: bool = True) -> dict[str, np.ndarray]:
    """Every vector a generation holds: each passage's, each sentence's and each heading's (through
    the embedding cache, and the bundled corpus's shipped vectors unless `shipped` is False)."""
    embedder = get_embedder(embedder_name)
    cache = EmbeddingCache(cache_path, embedder, shipped=shipped)
    total = len(chunks) + len(sent_refs) + len({heading_of(c) for c in chunks})
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress("embedding", done[0], total)

    try:
        return {
            "chunk_vecs": cache.embed([chunk_embedding_text(c, metas[c.doc_id]) for c in chunks], tick),
            "sent_vecs": cache.embed([sentence_embedding_text(chunks[ci], si) for ci, si in sent_refs], tick),
            "head_vecs": heading_vectors(chunks, lambda texts: cache.embed(texts, tick)),
        }
    finally:
        cache.close()


def _vector_metadata(c: Chunk, meta: DocumentMeta) -> dict:
    """What the vector store filters passages by."""
    return {"doc_id": c.doc_id, "kind": meta.kind, "authority": meta.authority or "", "section": c.section,
            "paragraph": c.paragraph or "", "order": c.order}


def _write_files(folder: Path, documents: list, chunks: list[Chunk], sent_refs: list[tuple[int, int]],
                 vectors: dict[str, np.ndarray], info: dict) -> None:
    with open(folder / "bm25.pkl", "wb") as f:
        pickle.dump(build_bm25(chunks), f)
    for name, array in vectors.items():
        np.save(folder / f"{name}.npy", array)
    np.save(folder / "sent_refs.npy", np.asarray(sent_refs, dtype=np.int32).reshape(-1, 2))
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in chunks:
            f.write(c.model_dump_json() + "\n")
    docs_out = [{"meta": d.meta.model_dump(), "fingerprint": d.fingerprint, "source": d.source, "text": d.text,
                 "n_chunks": len(d.chunks)} for d in documents]
    (folder / "documents.json").write_text(json.dumps(docs_out, ensure_ascii=False), encoding="utf-8")
    (folder / "info.json").write_text(json.dumps(info), encoding="utf-8")


def _point_current(index_dir: Path, name: str) -> None:
    pointer = index_dir / "CURRENT"
    tmp = index_dir / f"CURRENT.{os.getpid()}.tmp"
    tmp.write_text(name, encoding="utf-8")
    prev = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else ""
    if prev:
        (index_dir / "PREVIOUS").write_text(prev, encoding="utf-8")
    os.replace(tmp, pointer)  # atomic on POSIX: readers see the old name or the new one


def _prune(index_dir: Path, keep: set[str]) -> None:
    prev = index_dir / "PREVIOUS"
    if prev.exists():
        keep = keep | {prev.read_text(encoding="utf-8").strip()}
    for p in index_dir.iterdir():
        if p.is_dir() and p.name.startswith("gen-") and p.name not in keep:
            _drop_vectors(p)
            shutil.rmtree(p, ignore_errors=True)


def _drop_vectors(gen: Path) -> None:
    """A removed generation's vectors kept outside its folder (a Chroma server's collection) go too."""
    try:
        info = json.loads((gen / "info.json").read_text(encoding="utf-8"))
        if (info.get("vectors") or {}).get("vector_store", "chroma") != "chroma":
            open_store(gen, info, get_embedder(info["embedder"]).name).drop()
    except Exception:  # a half-written or unreadable generation, or the server is down: its folder goes anyway
        pass


def current_generation(data_dir: Path) -> Path | None:
    pointer = Path(data_dir) / "index" / "CURRENT"
    if not pointer.exists():
        return None
    gen = pointer.parent / pointer.read_text(encoding="utf-8").strip()
    return gen if gen.is_dir() else None


@dataclass
class Snapshot:
    """One generation, loaded for querying."""

    path: Path
    chunks: list[Chunk]
    documents: dict[str, StoredDocument]
    chunk_vecs: np.ndarray
    sent_vecs: np.ndarray
    sent_refs: np.ndarray
    head_vecs: np.ndarray  # one row per chunk: its heading's embedding
    bm25: object
    vectors: VectorStore
    embedder_name: str
    by_id: dict[str, int] = field(default_factory=dict)
    sents_of_chunk: dict[int, list[int]] = field(default_factory=dict)
    demoted: frozenset[int] = frozenset()  # chunks in a document's demote_sections
    superseded_by: dict[str, str] = field(default_factory=dict)  # doc id → the document that replaces it
    superseded: frozenset[int] = frozenset()  # their chunks: viewable, never retrieved

    @classmethod
    def open(cls, data_dir: Path) -> "Snapshot":
        gen = current_generation(data_dir)
        if gen is None:
            raise IndexMissing(f"no index in {data_dir}; run `assistant ingest`")
        info = json.loads((gen / "info.json").read_text(encoding="utf-8"))
        chunks = [Chunk.model_validate_json(line) for line in (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
        docs = {}
        for d in json.loads((gen / "documents.json").read_text(encoding="utf-8")):
            meta = DocumentMeta(**d["meta"])
            docs[meta.doc_id] = StoredDocument(meta, d["fingerprint"], d["source"], d["text"], d["n_chunks"])
        with open(gen / "bm25.pkl", "rb") as f:
            bm25 = pickle.load(f)
        embedder = get_embedder(info["embedder"])
        sent_refs = np.load(gen / "sent_refs.npy")
        heads = gen / "head_vecs.npy"
        # an index built before headings were embedded still serves: its headings are embedded now
        head_vecs = np.load(heads) if heads.exists() else heading_vectors(chunks, embedder.embed)
        snap = cls(
            path=gen,
            chunks=chunks,
            documents=docs,
            chunk_vecs=np.load(gen / "chunk_vecs.npy"),
            sent_vecs=np.load(gen / "sent_vecs.npy"),
            sent_refs=sent_refs,
            head_vecs=head_vecs,
            bm25=bm25,
            vectors=open_store(gen, info, embedder.name),
            embedder_name=info["embedder"],
        )
        snap.by_id = {c.chunk_id: i for i, c in enumerate(chunks)}
        snap.demoted = frozenset(
            i for i, c in enumerate(chunks)
            if any(re.search(p, c.section) for p in docs[c.doc_id].meta.demote_sections)
        )
        snap.superseded_by = {old: d.meta.doc_id for d in docs.values() for old in d.meta.supersedes}
        snap.superseded = frozenset(i for i, c in enumerate(chunks) if c.doc_id in snap.superseded_by)
        for row, (ci, _si) in enumerate(sent_refs.tolist()):
            snap.sents_of_chunk.setdefault(ci, []).append(row)
        return snap
