"""Second stage: reorder the fused passages by their best sentence.

No cross-encoder ships its weights on PyPI, so the reranker is the sentence scorer: a passage
whose single sentence answers the question ("Core members to include children's social care,
health, police and education") beats a longer passage that is only about the same topic. The
two orders are fused by reciprocal rank. Depth and weight are chosen on the dev split only
(evals/gold, `python evals/tune_rerank.py --depth 25 30 40 --weight 6 8 12 16 32`). On the 109
answerable dev items of session 4, after the sentence score learned abbreviations both ways:
hit@5 0.93 -> 0.98 and MRR 0.79 -> 0.82 at depth 30; every weight from 6 to 32 gives the same
hit@5 (MRR rises slowly with the weight), so the weight is the middle of that plateau, 16. At
this weight the sentence order leads and the retrieval order breaks its ties.
"""
from __future__ import annotations

from assistant.retrieve.hybrid import Filters, Hit, HybridRetriever, Query
from assistant.retrieve.sentences import SentenceScorer
from assistant.settings import Rerank as RerankSettings
from assistant.understand.intent import (  # plain text tests, no composer state
    asked_kind,
    counted_figure_test,
)


def rerank(hits: list[Hit], best_sentence: dict[int, float], weight: float, rrf_k: int) -> list[Hit]:
    """Fuse the retrieval order with the order of the passages' best sentence scores."""
    by_sentence = sorted(range(len(hits)), key=lambda i: -best_sentence.get(hits[i].chunk_index, float("-inf")))
    sentence_rank = {i: r for r, i in enumerate(by_sentence)}
    fused = {i: 1 / (rrf_k + i + 1) + weight / (rrf_k + sentence_rank[i] + 1) for i in range(len(hits))}
    return [hits[i] for i in sorted(fused, key=lambda i: -fused[i])]


class RerankingRetriever:
    """The hybrid retriever followed by the sentence reranker, with the same interface."""

    def __init__(self, base: HybridRetriever, scorer: SentenceScorer, settings: RerankSettings | None = None):
        self.base, self.scorer = base, scorer
        settings = settings or RerankSettings()
        self.depth, self.weight = settings.depth, settings.weight
        self.asked_kind_bonus, self.counted_bonus = settings.asked_kind_bonus, settings.counted_bonus

    def prepare(self, question: str) -> Query:
        return self.base.prepare(question)

    def wanted(self, k: int) -> int:
        """How many fused passages to rerank for k: a few more than needed, as glossary passages are
        dropped for all but "stand for" questions."""
        return max(k, self.depth) + 2

    def search(self, q: Query, filters: Filters | None = None, k: int = 8) -> list[Hit]:
        return self.rerank(q, self.base.search(q, filters, self.wanted(k)), k)

    def rerank(self, q: Query, fused: list[Hit], k: int) -> list[Hit]:
        """The first k of the fused passages (`wanted(k)` of them), reordered by their best sentence."""
        hits = [h for h in fused if self.scorer.quotable(q, h.chunk_index)]
        head, tail = hits[: self.depth], hits[self.depth :]
        best: dict[int, float] = {}
        holds_kind, counts = asked_kind(q.text), counted_figure_test(q.text)
        for cand in self.scorer.candidates(q, head):
            score = cand.score
            c = self.scorer.snap.chunks[cand.chunk_index]
            text = c.span_text(c.spans[cand.span_index])
            if holds_kind is not None and holds_kind(text):
                score += self.asked_kind_bonus
                if counts is not None and counts(text):
                    score += self.counted_bonus
            best[cand.chunk_index] = max(best.get(cand.chunk_index, float("-inf")), score)
        out = rerank(head, best, self.weight, self.base.fusion.rrf_k) + tail
        for r, h in enumerate(out):
            h.rank = r
        return out[:k]
