"""A learnt second opinion on danger: a logistic regression over MiniLM's sentence embedding.

The phrase rules of safety.py catch the wordings they were written from; a fresh set of emergencies
in other words ("a toddler has swallowed some of her dad's methadone", "my stepmum starves me")
slipped past 27 of 60 of them. This model reads meaning rather than phrases. It is trained on the
labelled phrasings of evals/safety/emergencies.yaml (emergencies, and near misses that name the
same harms) plus every gold and external-dev question, none of them an emergency, which teach it
what a question about procedure sounds like. Its weights ship in the package (corpus/vectors/danger-classifier.npz,
made by `python -m assistant.guard.danger`), so a question costs one MiniLM embedding and a dot
product. The cut-off is chosen by cross-validation for false fires of at most 1 in 100 questions.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from assistant.resources import corpus_dir, evals_dir

MODEL = "minilm"
MAX_FALSE_FIRES = 0.01  # the cut-off's bound on cross-validated false fires


def weights_path() -> Path:
    return corpus_dir() / "vectors" / "danger-classifier.npz"


def training_set() -> tuple[list[str], list[int]]:
    """(questions, 1 for an emergency): the labelled safety phrasings, and the gold and external-dev
    questions (practitioners asking about procedure, some with a case in mind: "baby under 1 with a
    bruise referred to the front door - what happens?"). The fresh set (emergencies-fresh.yaml) and the
    external suite are left out: they measure the model."""
    safety = yaml.safe_load((evals_dir() / "safety" / "emergencies.yaml").read_text(encoding="utf-8"))
    questions = [i["question"] for f in ("gold/items.yaml", "external-dev/items.yaml")
                 for i in yaml.safe_load((evals_dir() / f).read_text(encoding="utf-8"))["items"]]
    fire = [q for split in safety.values() for q in split["fire"]]
    quiet = [q for split in safety.values() for q in split["quiet"]] + questions
    return fire + quiet, [1] * len(fire) + [0] * len(quiet)


def fingerprint(texts: list[str], labels: list[int]) -> str:
    return hashlib.sha256("\n".join(f"{y}\t{t}" for t, y in zip(texts, labels)).encode()).hexdigest()


def _fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(x, y)


def train(embed) -> dict:
    """Fit on the whole training set; the cut-off from 5-fold cross-validated probabilities."""
    from sklearn.model_selection import StratifiedKFold

    texts, labels = training_set()
    x, y = embed(texts), np.array(labels)
    scores = np.zeros(len(y))
    for fit_on, held in StratifiedKFold(n_splits=5, shuffle=True, random_state=7).split(x, y):
        scores[held] = _fit(x[fit_on], y[fit_on]).predict_proba(x[held])[:, 1]
    quiet = np.sort(scores[y == 0])[::-1]
    cutoff = float(quiet[int(MAX_FALSE_FIRES * len(quiet))]) + 1e-6
    model = _fit(x, y)
    return {"w": model.coef_[0].astype(np.float32), "b": np.float32(model.intercept_[0]), "cutoff": np.float32(cutoff),
            "fingerprint": np.array(fingerprint(texts, labels)), "model": np.array(MODEL),
            "cv_recall": np.float32(np.mean(scores[y == 1] >= cutoff)),
            "cv_false_fires": np.float32(np.mean(scores[y == 0] >= cutoff))}


class DangerModel:
    def __init__(self, path: Path):
        with np.load(path) as f:
            self.w, self.b, self.cutoff = f["w"], float(f["b"]), float(f["cutoff"])
            self.model = str(f["model"])

    def probability(self, question: str) -> float:
        from assistant.index.embedders import get_embedder

        v = get_embedder(self.model).embed_query(question)
        return float(1 / (1 + np.exp(-(v @ self.w + self.b))))

    def fires(self, question: str) -> bool:
        return self.probability(question) >= self.cutoff


@lru_cache(maxsize=1)
def danger_model() -> DangerModel | None:
    path = weights_path()
    return DangerModel(path) if path.exists() else None


def main() -> None:
    from assistant.index.embedders import get_embedder

    fitted = train(get_embedder(MODEL).embed)
    np.savez(weights_path(), **fitted)
    print(f"wrote {weights_path()}: cut-off {float(fitted['cutoff']):.3f}, cross-validated recall "
          f"{float(fitted['cv_recall']):.3f}, false fires {float(fitted['cv_false_fires']):.3f}")


if __name__ == "__main__":
    main()
