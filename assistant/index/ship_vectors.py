"""`python -m assistant.index.ship_vectors`: write the bundled corpus's shipped vectors again
(index/shipped.py), after the corpus or the chunking changed."""
from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from assistant.index.embedders import get_embedder
from assistant.index.shipped import shipped_path
from assistant.index.store import embed_all
from assistant.index.texts import (
    chunk_embedding_text,
    heading_of,
    sentence_embedding_text,
)
from assistant.ingest.corpus import load_corpus


def bundled_texts(embedder_name: str) -> list[str]:
    """Every text an index of the bundled corpus embeds (passages, sentences, headings)."""
    from assistant.ingest.corpus import load_corpus

    docs = load_corpus()
    metas = {d.meta.doc_id: d.meta for d in docs}
    chunks = [c for d in docs for c in d.chunks]
    return ([chunk_embedding_text(c, metas[c.doc_id]) for c in chunks]
            + [sentence_embedding_text(c, si) for c in chunks for si, s in enumerate(c.spans) if not s.lead_in]
            + sorted({heading_of(c) for c in chunks}))


def write(embedder_name: str) -> Path:
    """Embed the bundled corpus from nothing, as a fresh build does, and ship the vectors."""
    docs = load_corpus()
    chunks = [c for d in docs for c in d.chunks]
    sent_refs = [(ci, si) for ci, c in enumerate(chunks) for si, s in enumerate(c.spans) if not s.lead_in]
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "cache.sqlite"
        embed_all(db, embedder_name, chunks, {x.meta.doc_id: x.meta for x in docs}, sent_refs, None, shipped=False)
        with sqlite3.connect(str(db)) as con:
            rows = con.execute("SELECT key, vec FROM emb ORDER BY key").fetchall()
    path = shipped_path(get_embedder(embedder_name).name)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, keys=np.array([k for k, _ in rows]),
                        vectors=np.stack([np.frombuffer(v, dtype=np.float32) for _, v in rows]))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description="Write the bundled corpus's shipped vectors.")
    ap.add_argument("--embedder", default="minilm+mpnet")
    path = write(ap.parse_args().embedder)
    print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
