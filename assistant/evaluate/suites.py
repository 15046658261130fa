"""Evaluation suites: which gold items, which thresholds, and which documents they need.

- `gold`: the team's own items on the bundled corpus (dev to tune on, test to report).
- `external-dev`: the same kind of suite on two more invented councils, to tune on.
- `external`: questions in practitioners' wording about procedures of invented councils
  (evals/external/documents, ingested with their manifest into a data folder of the suite's own,
  beside the user's index) and about the bundled corpus. The pipeline is never tuned on it: it is
  frozen (evals/external/FROZEN) and only measured.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel

from assistant.evaluate.gold import EVALS_DIR, GOLD_PATH, THRESHOLDS_PATH

EXTERNAL_DIR = EVALS_DIR / "external"
EXTERNAL_DEV_DIR = EVALS_DIR / "external-dev"
FROZEN_PATH = EXTERNAL_DIR / "FROZEN"


class Suite(BaseModel):
    name: str
    gold: Path
    thresholds: Path
    split: str  # the split reported (and gated) by default
    manifest: Path | None = None  # documents the suite adds to the bundled corpus
    checks_bundled_features: bool = True  # the quiz and coverage checks read the bundled corpus only

    def data_dir(self, data: Path) -> Path:
        """Where the suite's index lives: the user's own, or (when the suite adds documents) a folder
        of its own inside it, so measuring never changes what the user's assistant answers from."""
        return data if self.manifest is None else data / "suites" / self.name

    def prepare(self, data: Path, progress=None) -> Path:
        """The suite's index, built or brought up to date (documents added once, then reused)."""
        folder = self.data_dir(data)
        if self.manifest is not None:
            from assistant.index.update import ingest
            from assistant.ingest.sources import read_manifest

            ingest(folder, [], specs=read_manifest(self.manifest), progress=progress)
        return folder


SUITES = {
    "gold": Suite(name="gold", gold=GOLD_PATH, thresholds=THRESHOLDS_PATH, split="test"),
    "external": Suite(name="external", gold=EXTERNAL_DIR / "items.yaml", thresholds=EXTERNAL_DIR / "thresholds.yaml",
                      split="external", manifest=EXTERNAL_DIR / "manifest.yaml", checks_bundled_features=False),
    # two more invented councils, to tune the general mechanisms on: reported, never gated
    "external-dev": Suite(name="external-dev", gold=EXTERNAL_DEV_DIR / "items.yaml",
                          thresholds=EXTERNAL_DEV_DIR / "thresholds.yaml", split="external-dev",
                          manifest=EXTERNAL_DEV_DIR / "manifest.yaml", checks_bundled_features=False),
}


def frozen_files() -> list[Path]:
    """What the external suite's figures depend on: its questions, manifest and documents."""
    return [EXTERNAL_DIR / "items.yaml", EXTERNAL_DIR / "manifest.yaml",
            *sorted((EXTERNAL_DIR / "documents").iterdir())]


def fingerprints() -> dict[str, str]:
    return {p.relative_to(EXTERNAL_DIR).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in frozen_files()}


def read_frozen(path: Path = FROZEN_PATH) -> dict[str, str]:
    """The SHA-256 of each file as frozen: `<sha256>  <path>` lines, as sha256sum writes them."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            out[name.strip()] = digest
    return out
