"""Why did a gold item fail? Show where its expected passage sits at each retrieval stage and
which sentences the composer weighed.

    python evals/diagnose.py d77 d85 [--data DIR]

For dev items while tuning; it reads any item it is given, so do not point it at test items
you are tuning against.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluate.gold import load_gold, passage_matches  # noqa: E402
from assistant.retrieve.hybrid import CANDIDATES, Filters, Hit  # noqa: E402


def _rank(a: Assistant, item, chunk_ids) -> int | None:
    for r, ci in enumerate(chunk_ids):
        c = a.snapshot.chunks[ci]
        if passage_matches(item, c.text, c.section):
            return r
    return None


def diagnose(a: Assistant, item) -> None:
    text = a.validate(item.question)
    q = a.retriever.prepare(a.searchable(text).text)
    base = a.retriever.base
    f = Filters()
    stages = {
        "dense": [ci for ci, _ in base._dense(q, f, CANDIDATES)],
        "sentence": [ci for ci, _ in base._sentences(q, f, CANDIDATES)],
        "bm25": [ci for ci, _ in base._bm25(q, f, CANDIDATES)],
        "fused": [h.chunk_index for h in base.search(q, f, CANDIDATES)],
        "reranked": [h.chunk_index for h in a.retriever.search(q, f, CANDIDATES)],
    }
    print(f"== {item.id} [{item.type}] {item.question}")
    print("   expanded:", q.expanded if q.expanded != q.text else "(same)")
    print("   ranks:", {k: _rank(a, item, v) for k, v in stages.items()})
    hits = a.retriever.search(q, f, a.settings.top_k)
    cands = sorted(a.composer.scorer.candidates(q, hits[: a.settings.compose_from]), key=lambda c: -c.score)
    for c in cands[:6]:
        chunk = a.snapshot.chunks[c.chunk_index]
        mark = "*" if passage_matches(item, chunk.text, chunk.section) else " "
        body = chunk.span_text(chunk.spans[c.span_index])[:110]
        print(f"  {mark} {c.score:.3f} cos={c.cos:.2f} lex={c.lexical:.2f} r{c.hit_rank} {chunk.doc_id[:12]}: {body}")
    # the expected passages scored as if they had been retrieved at rank 10
    wanted = [Hit(ci, 0.0, 0.0, 0.0, 10) for ci, c in enumerate(a.snapshot.chunks)
              if passage_matches(item, c.text, c.section)]
    expected = a.composer.scorer.candidates(q, wanted)
    for c in sorted(expected, key=lambda c: -c.score)[:3]:
        chunk = a.snapshot.chunks[c.chunk_index]
        print(f"  expected {c.score:.3f} cos={c.cos:.2f} lex={c.lexical:.2f}: "
              f"{chunk.span_text(chunk.spans[c.span_index])[:110]}")
    ans = a.ask(item.question)
    print("   refused:", ans.refused, ans.reason or "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("ids", nargs="+")
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    a = Assistant.open(args.data)
    items = {i.id: i for i in load_gold()}
    for i in args.ids:
        diagnose(a, items[i])


if __name__ == "__main__":
    main()
