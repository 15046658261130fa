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

from assistant.retrieve.hybrid import RRF_K, Filters, Hit, HybridRetriever, Query
from assistant.retrieve.sentences import SentenceScorer
from assistant.understand.intent import (  # plain text tests, no composer state
    asked_kind,
    counted_figure_test,
)

RERANK_DEPTH = 30
RERANK_WEIGHT = 16.0
# A sentence holding what the question asks for (a figure for "how many…?", a date for "when did…
# go live?", an amount for "how much funding…?") ranks its passage higher: the composer would refuse
# without one. Dev split, 297 answerable items: hit@1 0.710 -> 0.717, MRR 0.803 -> 0.806, false refusals
# 3 -> 2 for any bonus from 0.02 to 0.03 (0.01: no change; 0.04 and above miss a refusal); the middle
# is taken. Someone's own words for "what did … say?" (session 12): dev hit@5 294 -> 295, test unchanged.
ASKED_KIND_BONUS = 0.025
# …and more for a figure of the thing a "how many X?" question counts ("ten local areas" over "Wave 2
# areas: 164", survey responses). Dev split, 314 answerable items: hit@5 295 -> 296, key facts 0.879
# -> 0.881 at 0.075 and 0.1 (0.04 and 0.05: hit@5 296 only; 0.025: no change); the middle is taken.
COUNTED_BONUS = 0.075


def rerank(hits: list[Hit], best_sentence: dict[int, float], weight: float = RERANK_WEIGHT) -> list[Hit]:
    """Fuse the retrieval order with the order of the passages' best sentence scores."""
    by_sentence = sorted(range(len(hits)), key=lambda i: -best_sentence.get(hits[i].chunk_index, float("-inf")))
    sentence_rank = {i: r for r, i in enumerate(by_sentence)}
    fused = {i: 1 / (RRF_K + i + 1) + weight / (RRF_K + sentence_rank[i] + 1) for i in range(len(hits))}
    return [hits[i] for i in sorted(fused, key=lambda i: -fused[i])]


class RerankingRetriever:
    """The hybrid retriever followed by the sentence reranker, with the same interface."""

    def __init__(self, base: HybridRetriever, scorer: SentenceScorer, depth: int = RERANK_DEPTH,
                 weight: float = RERANK_WEIGHT):
        self.base, self.scorer, self.depth, self.weight = base, scorer, depth, weight
        self.asked_kind_bonus = ASKED_KIND_BONUS

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
                    score += COUNTED_BONUS
            best[cand.chunk_index] = max(best.get(cand.chunk_index, float("-inf")), score)
        out = rerank(head, best, self.weight) + tail
        for r, h in enumerate(out):
            h.rank = r
        return out[:k]
