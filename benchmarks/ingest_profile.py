"""Where an index build's time goes, stage by stage, with no embedding cache (a fresh machine).

    python benchmarks/ingest_profile.py [--embedder minilm+mpnet] [--repeat-text N]

Reads the bundled corpus (parse and chunk), then embeds its passages, sentences and headings with
each model of the embedder separately, then writes the vector store and BM25, and prints a table:
seconds, texts and texts per second for each stage. `--repeat-text N` also times a document made
of the corpus's text N times over (N=5 is about the size of a 150-page guidance document).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def _timed(label: str, rows: list, fn, n: int):
    t = time.perf_counter()
    out = fn()
    s = time.perf_counter() - t
    rows.append((label, s, n))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default="minilm+mpnet")
    ap.add_argument("--repeat-text", type=int, default=0)
    args = ap.parse_args()

    from assistant.index.embedders import get_embedder
    from assistant.index.store import build_bm25, heading_of
    from assistant.index.texts import chunk_embedding_text, sentence_embedding_text
    from assistant.index.vectors import EmbeddedChroma
    from assistant.ingest.corpus import load_corpus

    rows: list = []
    docs = _timed("read + parse + chunk the corpus", rows, load_corpus, 0)
    chunks = [c for d in docs for c in d.chunks]
    metas = {d.meta.doc_id: d.meta for d in docs}
    texts = {
        "passages": [chunk_embedding_text(c, metas[c.doc_id]) for c in chunks],
        "sentences": [sentence_embedding_text(c, si) for c in chunks for si, s in enumerate(c.spans) if not s.lead_in],
        "headings": sorted({heading_of(c) for c in chunks}),
    }
    rows[0] = (rows[0][0], rows[0][1], len(chunks))
    joint = get_embedder(args.embedder)
    models = [model for model, _ in getattr(joint, "parts", [])] or [joint]
    for model in models:
        _timed(f"load {model.name}", rows, lambda: model.embed(["warm up"]), 1)
        for kind, items in texts.items():
            _timed(f"embed {kind} with {model.name}", rows, lambda: model.embed(items), len(items))
    vecs = joint.embed(texts["passages"][:8])
    with tempfile.TemporaryDirectory() as d:
        store = EmbeddedChroma(Path(d), joint.name, create=True)
        fake = np.repeat(vecs[:1], len(chunks), axis=0)
        _timed("write the vector store", rows, lambda: store.add([c.chunk_id for c in chunks], fake,
                                                                  [c.text for c in chunks],
                                                                  [{"doc_id": c.doc_id} for c in chunks]), len(chunks))
    _timed("BM25", rows, lambda: build_bm25(chunks), len(chunks))
    if args.repeat_text:
        big = "\n\n".join(d.text for d in docs) * args.repeat_text
        from assistant.ingest.corpus import build_document
        from assistant.models import DocumentMeta

        doc = _timed(f"parse + chunk {len(big.split()):,} words", rows,
                     lambda: build_document(DocumentMeta(doc_id="big", title="big"), big, "flat", "big.txt"), 0)
        rows[-1] = (rows[-1][0], rows[-1][1], len(doc.chunks))
    total = sum(s for _, s, _ in rows)
    print(f"{'stage':<44} {'seconds':>8} {'texts':>7} {'texts/s':>8}")
    for label, s, n in rows:
        print(f"{label:<44} {s:>8.1f} {n:>7} {n / s if n and s else 0:>8.0f}")
    print(f"{'total':<44} {total:>8.1f}")


if __name__ == "__main__":
    main()
