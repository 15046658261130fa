"""The bundled corpus ships its vectors: a first index on a fresh machine embeds nothing, and the
shipped vectors are the models' own."""
import sqlite3

import numpy as np

from assistant.index.embedders import STANDARD_EMBEDDER, EmbeddingCache, get_embedder
from assistant.index.ship_vectors import bundled_texts
from assistant.index.shipped import shipped_vectors


def _cache(tmp_path):
    return EmbeddingCache(tmp_path / "probe.sqlite", get_embedder(STANDARD_EMBEDDER))


def test_every_text_of_the_bundled_index_has_a_shipped_vector(tmp_path):
    """Fails when the corpus or its chunking changed: run `python -m assistant.index.ship_vectors`."""
    cache = _cache(tmp_path)
    shipped = shipped_vectors(cache.embedder.name)
    missing = [t for t in bundled_texts(STANDARD_EMBEDDER) if cache._key(t) not in shipped]
    cache.close()
    assert not missing, f"{len(missing)} texts have no shipped vector, e.g. {missing[0][:80]!r}"


def test_the_shipped_vectors_are_the_models_own(tmp_path):
    cache = _cache(tmp_path)
    texts = bundled_texts(STANDARD_EMBEDDER)[::400]
    shipped = np.stack([shipped_vectors(cache.embedder.name)[cache._key(t)] for t in texts])
    fresh = cache.embedder.embed(texts)
    cache.close()
    # float32 vectors; a CPU with native bfloat16 embeds within a cosine of 0.9999 of them
    assert np.allclose((shipped * fresh).sum(axis=1), 1.0, atol=5e-4)


def test_a_first_index_of_the_bundled_corpus_embeds_nothing(tmp_path, monkeypatch):
    from assistant import Assistant
    from assistant.index.update import ingest

    cache = tmp_path / "empty-cache.sqlite"
    monkeypatch.setenv("ASSISTANT_EMBEDDING_CACHE", str(cache))
    ingest(tmp_path / "data")
    with sqlite3.connect(str(cache)) as con:
        assert con.execute("SELECT COUNT(*) FROM emb").fetchone()[0] == 0
    assert Assistant.open(tmp_path / "data", build=False).ask("Who should be the Family Help Lead Practitioner?").citations
