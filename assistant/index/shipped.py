"""Vectors of the bundled corpus, shipped with it: a fresh machine builds its first index without
embedding the corpus again (about three minutes of the two models' time on 2 cores).

`corpus/vectors/<embedder>.npz` holds the embedding cache's keys (model and text hashed) and
vectors for every text the bundled corpus's index embeds, exactly as a build on a fresh machine
computed them. The embedding cache reads it for what it does not hold; a text that changed (a new
chunking, an edited document) is simply not found there and is embedded as before, so a stale file
is slow, never wrong. `python -m assistant.index.ship_vectors` writes it again after the corpus or
the chunking changes (a test says when it is needed).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.resources import corpus_dir


def shipped_path(embedder_name: str) -> Path:
    return corpus_dir() / "vectors" / f"{embedder_name}.npz"


@lru_cache(maxsize=2)
def shipped_vectors(embedder_name: str) -> dict[str, np.ndarray]:
    """Key → vector of the shipped file for this embedder (empty when none ships)."""
    path = shipped_path(embedder_name)
    if not path.exists():
        return {}
    with np.load(path) as data:
        return dict(zip(data["keys"].tolist(), data["vectors"]))
