"""Second stage: reorder the fused passages by their best sentence.

No cross-encoder ships its weights on PyPI, so the reranker is the sentence scorer: a passage
whose single sentence answers the question ("Core members to include children's social care,
health, police and education") beats a longer passage that is only about the same topic. The
two orders are fused by reciprocal rank; the depth and weight were chosen on the dev split
(evals/gold, `python evals/tune_rerank.py`): dev hit@5 0.90 -> 0.94, MRR 0.73 -> 0.77 (depth 20, weight 2: the smallest setting at the best hit@5).
"""
from __future__ import annotations

from .hybrid import RRF_K, Filters, HybridRetriever, Hit, Query
from .sentences import SentenceScorer

RERANK_DEPTH = 20
RERANK_WEIGHT = 2.0


def rerank(hits: list[Hit], best_sentence: dict[int, float], weight: float = RERANK_WEIGHT) -> list[Hit]:
    """Fuse the retrieval order with the order of the passages' best sentence scores."""
    by_sentence = sorted(range(len(hits)), key=lambda i: -best_sentence.get(hits[i].chunk_index, float("-inf")))
    sentence_rank = {i: r for r, i in enumerate(by_sentence)}
    fused = {i: 1 / (RRF_K + i + 1) + weight / (RRF_K + sentence_rank[i] + 1) for i in range(len(hits))}
    out = [hits[i] for i in sorted(fused, key=lambda i: -fused[i])]
    for r, h in enumerate(out):
        h.rank = r
    return out


class RerankingRetriever:
    """The hybrid retriever followed by the sentence reranker, with the same interface."""

    def __init__(self, base: HybridRetriever, scorer: SentenceScorer, depth: int = RERANK_DEPTH,
                 weight: float = RERANK_WEIGHT):
        self.base, self.scorer, self.depth, self.weight = base, scorer, depth, weight

    def prepare(self, question: str) -> Query:
        return self.base.prepare(question)

    def search(self, q: Query, filters: Filters | None = None, k: int = 8) -> list[Hit]:
        hits = [h for h in self.base.search(q, filters, max(k, self.depth) + 2) if self.scorer.quotable(q, h.chunk_index)]
        head, tail = hits[: self.depth], hits[self.depth :]
        best: dict[int, float] = {}
        for cand in self.scorer.candidates(q, head):
            best[cand.chunk_index] = max(best.get(cand.chunk_index, float("-inf")), cand.score)
        out = rerank(head, best, self.weight) + tail
        for r, h in enumerate(out):
            h.rank = r
        return out[:k]
