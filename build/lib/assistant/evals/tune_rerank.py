"""Choose the reranker's depth and weight on the dev split only.

    python evals/tune_rerank.py [--data DIR]

Prints hit@1, hit@5 and MRR on dev for each (depth, weight); the test split is never read.
The chosen values live in assistant/retrieve/rerank.py.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluate.gold import load_gold, passage_matches  # noqa: E402
from assistant.retrieve.rerank import rerank  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--rrf-k", type=int, nargs="+", default=[60], help="fusion constants to try")
    ap.add_argument("--depth", type=int, nargs="+", default=[20, 30, 40], help="rerank depths to try")
    ap.add_argument("--weight", type=float, nargs="+", default=[2.0, 4.0, 8.0], help="rerank weights to try")
    args = ap.parse_args()
    a = Assistant.open(args.data)
    items = [i for i in load_gold(split="dev") if not i.refuse and i.evidence]
    print(f"{'rrf_k':>5} {'depth':>5} {'weight':>6} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}")
    for rrf_k in args.rrf_k:
        a.retriever.base.rrf_k = rrf_k
        _grid(a, items, rrf_k, args.depth, args.weight)


def _grid(a: Assistant, items, rrf_k: int, depths: list[int], weights: list[float]) -> None:
    prepared = []
    for it in items:  # retrieve once, rerank many ways
        text = a.validate(it.question)
        q = a.retriever.prepare(a.searchable(text).text)  # as Assistant.search does
        hits = [h for h in a.retriever.base.search(q, None, 42) if a.composer.scorer.quotable(q, h.chunk_index)]
        best: dict[int, float] = {}
        for cand in a.composer.scorer.candidates(q, hits):
            best[cand.chunk_index] = max(best.get(cand.chunk_index, float("-inf")), cand.score)
        prepared.append((it, hits, best))
    for depth in [0, *depths]:
        for weight in weights:
            h1 = h5 = rr = 0.0
            for it, hits, best in prepared:
                order = list(hits)
                if depth:
                    order = rerank([type(h)(**vars(h)) for h in hits[:depth]], best, weight) + hits[depth:]
                rel = [passage_matches(it, a.snapshot.chunks[h.chunk_index].text, a.snapshot.chunks[h.chunk_index].section)
                       for h in order]
                first = next((i for i, r in enumerate(rel) if r), None)
                h1 += first == 0
                h5 += first is not None and first < 5
                rr += 0 if first is None else 1 / (first + 1)
            n = len(prepared)
            print(f"{rrf_k:>5} {depth:>5} {weight:>6} {h1 / n:6.3f} {h5 / n:6.3f} {rr / n:6.3f}")
            if not depth:
                break


if __name__ == "__main__":
    main()
