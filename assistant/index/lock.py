"""One ingest at a time per data folder.

An ingest reads the added documents' records, builds a generation and then writes the records; two
at once would each build from what they read and the second would drop the first's document. So
an ingest holds an exclusive lock on DATA/ingest.lock for its whole run: a second one waits for it
(and then builds on what the first left), or, told not to wait, fails at once with a clear message
and changes nothing. The lock is the kernel's (flock): it goes with the process, so an ingest that
dies leaves no stale lock behind.
"""
from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


class IngestBusy(RuntimeError):
    """Another ingest holds the data folder."""


@contextmanager
def ingest_lock(data_dir: Path, wait: bool = True, on_wait: Callable[[dict], None] | None = None) -> Iterator[None]:
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ingest.lock"
    with open(path, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(path)
            if not wait:
                raise IngestBusy(f"another ingest is running in {data_dir} (process {holder.get('pid', '?')}, "
                                 f"started {holder.get('started', '?')}); nothing was changed: try again when it "
                                 "has finished") from None
            if on_wait:
                on_wait(holder)
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.seek(0)
            f.truncate()
            f.write(json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}))
            f.flush()
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
