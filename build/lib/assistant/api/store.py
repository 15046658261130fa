"""Per-user conversation history and feedback, in SQLite.

Only redacted text is ever written: questions go through assistant.guard.redact first, and the
stored answer JSON carries the redacted question. A user can delete their whole history."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from assistant.guard import redact
from assistant.models import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  conversation TEXT NOT NULL,
  created REAL NOT NULL,
  question TEXT NOT NULL,          -- redacted
  refused INTEGER NOT NULL,
  confidence REAL,
  answer_json TEXT NOT NULL        -- Answer with the redacted question
);
CREATE INDEX IF NOT EXISTS turns_user ON turns(user_id, conversation, id);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  turn_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  created REAL NOT NULL,
  helpful INTEGER NOT NULL,
  reason TEXT                      -- redacted
);
"""


class Store:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)  # workers share the file
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)
            self._db.execute("PRAGMA journal_mode=WAL")

    def add_turn(self, user_id: str, conversation: str, ans: Answer) -> int:
        question = redact(ans.question)
        # the corrected question shown as "Searched for" is the user's text too
        stored = ans.model_copy(update={"question": question,
                                        "searched_for": redact(ans.searched_for) if ans.searched_for else None})
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO turns (user_id, conversation, created, question, refused, confidence, answer_json) "
                "VALUES (?,?,?,?,?,?,?)",
                (user_id, conversation, time.time(), question, int(ans.refused), ans.confidence, stored.model_dump_json()),
            )
            self._db.commit()
            return int(cur.lastrowid)

    def turns(self, user_id: str, conversation: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM turns WHERE user_id=?", [user_id]
        if conversation:
            sql, args = sql + " AND conversation=?", args + [conversation]
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [self._turn(r) for r in rows]

    def turn(self, user_id: str, turn_id: int) -> dict | None:
        if not 0 < turn_id < 2**63:  # SQLite integers are 64-bit
            return None
        with self._lock:
            row = self._db.execute("SELECT * FROM turns WHERE user_id=? AND id=?", (user_id, turn_id)).fetchone()
        return self._turn(row) if row else None

    @staticmethod
    def _turn(row) -> dict:
        return {"id": row["id"], "conversation": row["conversation"], "created": row["created"],
                "question": row["question"], "refused": bool(row["refused"]),
                "answer": Answer.model_validate_json(row["answer_json"])}

    def delete_history(self, user_id: str) -> int:
        with self._lock:
            n = self._db.execute("DELETE FROM turns WHERE user_id=?", (user_id,)).rowcount
            self._db.execute("DELETE FROM feedback WHERE user_id=?", (user_id,))
            self._db.commit()
        return n

    def add_feedback(self, user_id: str, turn_id: int, helpful: bool, reason: str | None) -> int:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (turn_id, user_id, created, helpful, reason) VALUES (?,?,?,?,?)",
                (turn_id, user_id, time.time(), int(helpful), redact(reason) if reason else None),
            )
            self._db.commit()
            return int(cur.lastrowid)

    def feedback(self, turn_id: int) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM feedback WHERE turn_id=? ORDER BY id", (turn_id,)).fetchall()
        return [dict(r) for r in rows]

    def low_confidence_turns(self, max_confidence: float = 0.5) -> list[dict]:
        """Refused or low-confidence questions (redacted): the raw material of the gap report."""
        with self._lock:
            rows = self._db.execute(
                "SELECT question, refused, confidence, created FROM turns WHERE refused=1 OR confidence < ? ORDER BY id",
                (max_confidence,)).fetchall()
        return [dict(r) for r in rows]
