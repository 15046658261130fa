"""Ingests started from the admin pages: run in the background, one at a time, each change audited.

An upload is saved under DATA/uploads by its SHA-256, then added (or used to replace or supersede a
document, or a document is removed) by the same code as `assistant ingest`, on a worker thread: the
page returns at once and shows the job's progress. A failed ingest changes nothing (the old index
keeps serving) and says why. Every change is written to the audit log: who, when, what, the file's
SHA-256.
"""
from __future__ import annotations

import hashlib
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.api.store import Store
from assistant.ingest.loaders import LOADERS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass
class Job:
    id: int
    actor: str
    action: str  # add | remove
    doc_id: str | None = None
    path: Path | None = None
    sha256: str | None = None
    metadata: dict = field(default_factory=dict)
    state: str = "queued"  # queued | running | done | failed
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    created: float = field(default_factory=time.time)


class IngestJobs:
    def __init__(self, data_dir: Path, store: Store):
        self.data_dir, self.store = Path(data_dir), store
        self.jobs: dict[int, Job] = {}
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
        self._worker.start()

    def save_upload(self, filename: str, content: bytes) -> tuple[Path, str]:
        """The upload kept as DATA/uploads/<sha256>/<name> (its name gives the document its id);
        ValueError for what cannot be ingested."""
        suffix = Path(filename).suffix.lower()
        if suffix not in LOADERS:
            raise ValueError(f"{filename}: not a PDF, Word (.docx), HTML, Markdown or text file")
        if not content:
            raise ValueError(f"{filename}: the file is empty")
        if len(content) > MAX_UPLOAD_BYTES:
            raise ValueError(f"{filename}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        digest = hashlib.sha256(content).hexdigest()
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(filename).name)[-80:]
        path = self.data_dir / "uploads" / digest[:16] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return path, digest

    def submit(self, actor: str, action: str, **values) -> Job:
        with self._lock:
            job = Job(id=len(self.jobs) + 1, actor=actor, action=action, **values)
            self.jobs[job.id] = job
        self._queue.put(job)
        return job

    def recent(self, n: int = 10) -> list[Job]:
        return sorted(self.jobs.values(), key=lambda j: -j.id)[:n]

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                self._ingest(job)
            except Exception as exc:  # any failure: nothing changed, the old index keeps serving
                job.state, job.message = "failed", f"{exc}. Nothing was changed; the existing index keeps serving."

    def _ingest(self, job: Job) -> None:
        from assistant.index.update import ingest

        job.state = "running"

        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        if job.action == "remove":
            report = ingest(self.data_dir, [], remove=[job.doc_id], progress=progress)
        else:
            m = job.metadata
            report = ingest(self.data_dir, [job.path], kind=m.get("kind") or "local", authority=m.get("authority"),
                            title=m.get("title"), doc_id=job.doc_id, published=m.get("published"),
                            source_url=m.get("source_url"), supersedes=m.get("supersedes") or [], progress=progress)
        for label, ids in (("added", report.added), ("replaced", report.replaced), ("removed", report.removed)):
            for doc_id in ids:
                self.store.add_audit(job.actor, label, doc_id, None if label == "removed" else job.sha256,
                                     detail=job.metadata.get("title"))
        for old in job.metadata.get("supersedes") or []:
            self.store.add_audit(job.actor, "superseded", old, job.sha256, detail=f"by {', '.join(report.added + report.replaced)}")
        changed = report.added + report.replaced + report.removed
        job.state = "done"
        job.message = (f"{', '.join(changed)}: " + ("added" if report.added else "replaced" if report.replaced else "removed")
                       if changed else "nothing changed (the same file is already held)")
