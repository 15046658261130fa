"""Hybrid retrieval: Chroma dense search and BM25, fused by reciprocal rank fusion."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from assistant.index.embedders import get_embedder
from assistant.index.store import Snapshot
from assistant.settings import Fusion
from assistant.text import tokens
from assistant.understand.glossary import Glossary, default_glossary


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


def named_authorities(snap: Snapshot, text: str) -> set[str]:
    """Authorities held in the index (their documents' metadata) that the text names: "Stockton"
    names "Stockton-on-Tees", and the usual short form of a county, its first letters and an "s"
    ("Lincs", "Notts", "Herts"), names the county."""
    held = {d.meta.authority for d in snap.documents.values() if d.meta.authority}
    return {a for a in held if re.search(rf"\b{re.escape(a.split('-')[0])}", text, re.I)
            or any(a.lower().startswith(w[:-1]) for w in _short_forms(text))}


def _short_forms(text: str) -> list[str]:
    return [w for w in re.findall(r"\b[a-z]{5,}\b", text.lower()) if w.endswith("s")]


def place_words(authorities) -> set[str]:
    """The words of council names as the text index has them ("Stockton-on-Tees": stockton, on, tees)."""
    return {t for a in authorities if a for t in tokens(a.replace("-", " "))}


# Words by which a question names a kind of source: "What did the evaluation find…?", "…in the
# workforce survey?" ask for the evaluation report's findings, not the specification they assess; so
# does how something went ("What worked well in the MACPTs?" had been answered with the MACPT's duties).
SOURCE_KIND_WORDS = {
    # only phrases that cannot mean practice: "interview the child" or "evaluate the risk" can
    "evidence": re.compile(r"\b((the|this|pathfinder's) evaluation|evaluation (report|found|finds|findings)|evaluators?|"
                           r"(workforce|staff) survey|surveyed|case study areas?|researchers|proforma|questionnaire|"
                           r"worked (less )?well|went (less )?well|lessons learn(ed|t)|early findings)\b", re.I),
}


def named_kinds(text: str) -> set[str]:
    """Kinds of source (DocumentMeta.kind) that the text names."""
    return {kind for kind, words in SOURCE_KIND_WORDS.items() if words.search(text)}


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
    # the sources the question names, found once here rather than for every passage and sentence
    authorities: frozenset[str] = frozenset()  # councils ("…in Stockton?")
    kinds: frozenset[str] = frozenset()  # kinds of source ("…the evaluation found?")

    def names(self, meta) -> bool:
        """The question names this document's council or its kind."""
        return bool(meta.authority and meta.authority in self.authorities) or meta.kind in self.kinds


class HybridRetriever:
    def __init__(self, snapshot: Snapshot, glossary: Glossary | None = None, mode: str = "hybrid",
                 fusion: Fusion | None = None):
        self.snap = snapshot
        self.glossary = glossary or default_glossary()
        self.embedder = get_embedder(snapshot.embedder_name)
        self.mode = mode  # hybrid | dense | bm25: the baselines use the same code path
        self.fusion = fusion or Fusion()
        self.rrf_k = self.fusion.rrf_k

    def prepare(self, question: str) -> Query:
        expanded = self.glossary.expand(question)
        vec = self.embedder.embed_query(expanded)
        return Query(question, expanded, vec, tokens(expanded), frozenset(named_authorities(self.snap, question)),
                     frozenset(named_kinds(question)))

    def _dense(self, q: Query, filters: Filters, n: int) -> list[tuple[int, float]]:
        found = self.snap.vectors.query(q.vector, min(n, len(self.snap.chunks)), filters.chroma_where())
        return [(self.snap.by_id[i], 1.0 - d) for i, d in found if i in self.snap.by_id]

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

    def _sentences(self, q: Query, filters: Filters, n: int) -> list[tuple[int, float]]:
        """Chunks ranked by their best sentence: a one-line duty buried in a long section
        matches a question better than the section does."""
        sims = self.snap.sent_vecs @ q.vector
        best: dict[int, float] = {}
        for row in np.argsort(-sims)[: n * 3]:
            ci = int(self.snap.sent_refs[row][0])
            c = self.snap.chunks[ci]
            meta = self.snap.documents[c.doc_id].meta
            if ci not in best and filters.allows(c.doc_id, meta.kind, meta.authority):
                best[ci] = float(sims[row])
        return sorted(best.items(), key=lambda kv: -kv[1])[:n]

    def search(self, q: Query, filters: Filters | None = None, k: int = 8) -> list[Hit]:
        filters = filters or Filters()
        f, n = self.fusion, self.fusion.candidates
        # a superseded document's passages are never retrieved: ask for as many more, then drop them
        wider = n + len(self.snap.superseded)
        dense = self._dense(q, filters, wider) if self.mode not in ("bm25",) else []
        sentences = self._sentences(q, filters, wider) if self.mode == "hybrid" else []
        lexical = self._bm25(q, filters, wider) if self.mode != "dense" else []
        if self.snap.superseded:
            dense, sentences, lexical = ([(ci, s) for ci, s in ranking if ci not in self.snap.superseded][:n]
                                         for ranking in (dense, sentences, lexical))
        fused: dict[int, float] = {}
        for weight, ranking in ((f.w_dense, dense), (f.w_sentence, sentences), (f.w_bm25, lexical)):
            for rank, (ci, _) in enumerate(ranking):
                fused[ci] = fused.get(ci, 0.0) + weight / (self.rrf_k + rank + 1)
        for ci in fused:  # the national specification first when sources tie
            meta = self.snap.documents[self.snap.chunks[ci].doc_id].meta
            fused[ci] += f.kind_prior.get(meta.kind, 0.0)
            if q.names(meta):  # "…in Stockton?" prefers Stockton's papers
                fused[ci] += f.authority_prior
            if ci in self.snap.demoted:
                fused[ci] += f.demoted_prior
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
