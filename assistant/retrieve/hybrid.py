"""Hybrid retrieval: Chroma dense search and BM25, fused by reciprocal rank fusion."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from ..index.embedders import get_embedder
from ..index.store import Snapshot
from ..index.text import tokens
from .glossary import Glossary, default_glossary

RRF_K = 60
CANDIDATES = 40


class Filters(BaseModel):
    kind: list[str] | None = None
    authority: list[str] | None = None
    doc_id: list[str] | None = None

    def empty(self) -> bool:
        return not (self.kind or self.authority or self.doc_id)

    def chroma_where(self) -> dict | None:
        clauses = []
        if self.kind:
            clauses.append({"kind": {"$in": list(self.kind)}})
        if self.authority:
            clauses.append({"authority": {"$in": list(self.authority)}})
        if self.doc_id:
            clauses.append({"doc_id": {"$in": list(self.doc_id)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def allows(self, doc_id: str, kind: str, authority: str | None) -> bool:
        return (
            (not self.kind or kind in self.kind)
            and (not self.authority or (authority or "") in self.authority)
            and (not self.doc_id or doc_id in self.doc_id)
        )


@dataclass
class Hit:
    chunk_index: int
    score: float  # fused RRF score
    dense: float  # cosine similarity of query and chunk
    lexical: float  # BM25 score
    rank: int = 0


@dataclass
class Query:
    text: str
    expanded: str
    vector: np.ndarray
    terms: list[str]


class HybridRetriever:
    def __init__(self, snapshot: Snapshot, glossary: Glossary | None = None, mode: str = "hybrid"):
        self.snap = snapshot
        self.glossary = glossary or default_glossary()
        self.embedder = get_embedder(snapshot.embedder_name)
        self.mode = mode  # hybrid | dense | bm25: the baselines use the same code path

    def prepare(self, question: str) -> Query:
        expanded = self.glossary.expand(question)
        vec = self.embedder.embed([expanded])[0]
        return Query(question, expanded, vec, tokens(expanded))

    def _dense(self, q: Query, filters: Filters, n: int) -> list[tuple[int, float]]:
        res = self.snap.collection.query(
            query_embeddings=[q.vector.tolist()],
            n_results=min(n, len(self.snap.chunks)),
            where=filters.chroma_where(),
            include=["distances"],
        )
        return [(self.snap.by_id[i], 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0]) if i in self.snap.by_id]

    def _bm25(self, q: Query, filters: Filters, n: int) -> list[tuple[int, float]]:
        if not q.terms:
            return []
        scores = np.asarray(self.snap.bm25.get_scores(q.terms), dtype=np.float32)
        if not filters.empty():
            docs = self.snap.documents
            mask = np.array(
                [
                    filters.allows(c.doc_id, docs[c.doc_id].meta.kind, docs[c.doc_id].meta.authority)
                    for c in self.snap.chunks
                ]
            )
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def search(self, q: Query, filters: Filters | None = None, k: int = 8) -> list[Hit]:
        filters = filters or Filters()
        dense = self._dense(q, filters, CANDIDATES) if self.mode != "bm25" else []
        lexical = self._bm25(q, filters, CANDIDATES) if self.mode != "dense" else []
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, (ci, _) in enumerate(ranking):
                fused[ci] = fused.get(ci, 0.0) + 1.0 / (RRF_K + rank + 1)
        dense_map = dict(dense)
        lex_map = dict(lexical)
        hits = []
        for ci, s in sorted(fused.items(), key=lambda kv: -kv[1])[:k]:
            d = dense_map.get(ci)
            if d is None:  # BM25-only hit: compute its dense similarity for the composer
                d = float(self.snap.chunk_vecs[ci] @ q.vector)
            hits.append(Hit(ci, s, d, lex_map.get(ci, 0.0)))
        for r, h in enumerate(hits):
            h.rank = r
        return hits
