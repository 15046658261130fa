"""What a run measured: code, index, corpus, gold set and composer, so that two reports can be
compared knowingly (a figure that moved because the gold file or a document changed is not a
change in the pipeline). Written to summary.json as `run`, shown at the top of the report and
checked by evals/compare_runs.py."""
from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel

REPO = Path(__file__).resolve().parents[2]


class RunInfo(BaseModel):
    started: str  # ISO 8601, UTC
    package_version: str
    git_commit: str | None = None  # None outside a git checkout
    git_dirty: bool | None = None  # uncommitted changes in the checkout
    index_generation: str
    embedder: str
    documents: dict[str, str]  # doc_id -> fingerprint of its text (first 12 hex digits)
    gold_file: str
    gold_sha256: str
    composer: str  # "extractive", or "llm <model> at <url>"


def _git(*args: str) -> str | None:
    try:
        res = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() if res.returncode == 0 else None


def run_info(assistant, gold_path: Path) -> RunInfo:
    try:
        package = version("families-first-assistant")
    except PackageNotFoundError:
        package = "unknown"
    commit = _git("rev-parse", "--short", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no") if commit else None
    gen = assistant.generator
    return RunInfo(
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        package_version=package,
        git_commit=commit,
        git_dirty=bool(status) if status is not None else None,
        index_generation=assistant.snapshot.path.name,
        embedder=assistant.snapshot.embedder_name,
        documents={d: doc.fingerprint[:12] for d, doc in sorted(assistant.snapshot.documents.items())},
        gold_file=str(gold_path),
        gold_sha256=hashlib.sha256(gold_path.read_bytes()).hexdigest(),
        composer="extractive" if gen is None else f"llm {getattr(gen, 'model', '?')} at {getattr(gen, 'base_url', '?')}",
    )


def differences(before: dict, after: dict) -> list[str]:
    """What two runs' `run` records say changed besides the code: a paired comparison across a
    different gold set, corpus or embedder measures those too."""
    out = []
    if before.get("gold_sha256") != after.get("gold_sha256"):
        out.append("the gold file differs: the comparison covers the item ids both runs hold, and an edited item counts as a change")
    if before.get("embedder") != after.get("embedder"):
        out.append(f"the embedder differs: {before.get('embedder')} -> {after.get('embedder')}")
    b, a = before.get("documents") or {}, after.get("documents") or {}
    changed = sorted(d for d in set(b) | set(a) if b.get(d) != a.get(d))
    if changed:
        out.append(f"the corpus differs (added, removed or re-worded): {', '.join(changed)}")
    if before.get("composer") != after.get("composer"):
        out.append(f"the composer differs: {before.get('composer')} -> {after.get('composer')}")
    return out
