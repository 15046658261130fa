"""Per-user conversation history and feedback, behind SQLAlchemy: SQLite by default (a file in the
data folder), PostgreSQL when `ASSISTANT_DATABASE_URL` names one (postgresql+psycopg://…).

Only redacted text is ever written: questions go through assistant.guard.redact first, and the
stored answer JSON carries the redacted question. A user can delete their whole history, and
nothing is kept longer than the retention period (`ASSISTANT_RETENTION_DAYS`, default 30): older
turns and feedback are deleted when the store opens and on every write after that."""
from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

from assistant.guard import redact
from assistant.models import Answer

DAY = 86400.0
metadata = MetaData()
turns = Table(
    "turns", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(200), nullable=False, index=True),
    Column("conversation", String(200), nullable=False),
    Column("created", Float, nullable=False, index=True),
    Column("question", Text, nullable=False),  # redacted
    Column("refused", Boolean, nullable=False),
    Column("confidence", Float),
    Column("answer_json", Text, nullable=False),  # the Answer with the redacted question
    Column("authority", String(200)),  # the asker's council: its policy leads see its gap report
)
feedback_table = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("turn_id", Integer, nullable=False, index=True),
    Column("user_id", String(200), nullable=False),
    Column("created", Float, nullable=False, index=True),
    Column("helpful", Boolean, nullable=False),
    Column("reason", Text),  # redacted
)


users = Table(
    "users", metadata,
    Column("uid", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("role", String(32), nullable=False),
    Column("authority", String(200)),
    Column("set_by_admin", Boolean, nullable=False, default=False),  # then the provider's claims no longer change it
    Column("last_seen", Float, nullable=False),
)
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", Float, nullable=False),
    Column("actor", String(300), nullable=False),
    Column("action", String(32), nullable=False),  # added | replaced | superseded | removed | role
    Column("doc_id", String(200)),
    Column("sha256", String(64)),  # of the file added
    Column("detail", Text),
)


def database_url(target: Path | str) -> str:
    """A SQLAlchemy URL as given, or a SQLite file's."""
    text = str(target)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _wal(conn, _record):  # several worker processes share the file
        conn.execute("PRAGMA journal_mode=WAL")
    return engine


class Store:
    def __init__(self, target: Path | str, retention_days: float = 30):
        url = database_url(target)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = _engine(url)
        self.retention_days = retention_days
        metadata.create_all(self.engine)
        self._add_new_columns()
        self.purge()

    def _add_new_columns(self) -> None:
        """A database made before a column was added gets it (NULL in the old rows)."""
        have = {c["name"] for c in inspect(self.engine).get_columns("turns")}
        if "authority" not in have:
            with self.engine.begin() as db:
                db.execute(text("ALTER TABLE turns ADD COLUMN authority VARCHAR(200)"))

    def purge(self, now: float | None = None) -> int:
        """Delete turns and feedback older than the retention period (0: keep them until deleted)."""
        if not self.retention_days:
            return 0
        cutoff = (now or time.time()) - self.retention_days * DAY
        with self.engine.begin() as db:
            n = db.execute(delete(turns).where(turns.c.created < cutoff)).rowcount
            db.execute(delete(feedback_table).where(feedback_table.c.created < cutoff))
        return n

    def add_turn(self, user_id: str, conversation: str, ans: Answer, authority: str | None = None) -> int:
        question = redact(ans.question)
        # the corrected question shown as "Searched for" is the user's text too
        stored = ans.model_copy(update={"question": question,
                                        "searched_for": redact(ans.searched_for) if ans.searched_for else None})
        self.purge()
        with self.engine.begin() as db:
            result = db.execute(insert(turns).values(
                user_id=user_id, conversation=conversation, created=time.time(), question=question,
                refused=bool(ans.refused), confidence=ans.confidence, answer_json=stored.model_dump_json(),
                authority=authority))
            return int(result.inserted_primary_key[0])

    def turns(self, user_id: str, conversation: str | None = None) -> list[dict]:
        query = select(turns).where(turns.c.user_id == user_id)
        if conversation:
            query = query.where(turns.c.conversation == conversation)
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(turns.c.id)).mappings().all()
        return [self._turn(r) for r in rows]

    def turn(self, user_id: str, turn_id: int) -> dict | None:
        if not 0 < turn_id < 2**31:  # an id the integer column can hold, in every database
            return None
        with self.engine.connect() as db:
            row = db.execute(select(turns).where(turns.c.user_id == user_id, turns.c.id == turn_id)).mappings().first()
        return self._turn(row) if row else None

    @staticmethod
    def _turn(row) -> dict:
        return {"id": row["id"], "conversation": row["conversation"], "created": row["created"],
                "question": row["question"], "refused": bool(row["refused"]),
                "answer": Answer.model_validate_json(row["answer_json"])}

    def delete_history(self, user_id: str) -> int:
        with self.engine.begin() as db:
            n = db.execute(delete(turns).where(turns.c.user_id == user_id)).rowcount
            db.execute(delete(feedback_table).where(feedback_table.c.user_id == user_id))
        return n

    def add_feedback(self, user_id: str, turn_id: int, helpful: bool, reason: str | None) -> int:
        self.purge()
        with self.engine.begin() as db:
            result = db.execute(insert(feedback_table).values(
                turn_id=turn_id, user_id=user_id, created=time.time(), helpful=bool(helpful),
                reason=redact(reason) if reason else None))
            return int(result.inserted_primary_key[0])

    def feedback(self, turn_id: int) -> list[dict]:
        with self.engine.connect() as db:
            rows = db.execute(select(feedback_table).where(feedback_table.c.turn_id == turn_id)
                              .order_by(feedback_table.c.id)).mappings().all()
        return [{**r, "helpful": int(r["helpful"])} for r in rows]

    def low_confidence_turns(self, max_confidence: float = 0.5, authority: str | None = None) -> list[dict]:
        """Refused or low-confidence questions (redacted): the raw material of the gap report; with an
        authority, only those its own staff asked."""
        query = (select(turns.c.question, turns.c.refused, turns.c.confidence, turns.c.created)
                 .where(or_(turns.c.refused.is_(True), turns.c.confidence < max_confidence)).order_by(turns.c.id))
        if authority is not None:
            query = query.where(turns.c.authority == authority)
        with self.engine.connect() as db:
            return [{**r, "refused": int(r["refused"])} for r in db.execute(query).mappings().all()]

    # -- users and roles --------------------------------------------------------------------------
    def sign_in(self, uid: str, name: str, role: str | None, authority: str | None) -> dict:
        """Record a sign-in; returns the user's role and authority. The provider's claims set them until
        an admin does."""
        now = time.time()
        with self.engine.begin() as db:
            row = db.execute(select(users).where(users.c.uid == uid)).mappings().first()
            if row is None:
                values = {"uid": uid, "name": name, "role": role or "practitioner", "authority": authority,
                          "set_by_admin": False, "last_seen": now}
                db.execute(insert(users).values(**values))
                return values
            values = {"name": name, "last_seen": now}
            if not row["set_by_admin"]:
                values.update(role=role or row["role"], authority=authority or row["authority"])
            db.execute(update(users).where(users.c.uid == uid).values(**values))
            return {**row, **values}

    def users(self) -> list[dict]:
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(select(users).order_by(users.c.name)).mappings().all()]

    def set_role(self, uid: str, role: str, authority: str | None, actor: str) -> bool:
        with self.engine.begin() as db:
            n = db.execute(update(users).where(users.c.uid == uid).values(
                role=role, authority=authority or None, set_by_admin=True)).rowcount
        if n:
            self.add_audit(actor, "role", detail=f"{uid}: {role}, {authority or 'no authority'}")
        return bool(n)

    # -- audit log of corpus changes ----------------------------------------------------------------
    def add_audit(self, actor: str, action: str, doc_id: str | None = None, sha256: str | None = None,
                  detail: str | None = None) -> int:
        with self.engine.begin() as db:
            result = db.execute(insert(audit).values(created=time.time(), actor=actor, action=action, doc_id=doc_id,
                                                     sha256=sha256, detail=detail))
            return int(result.inserted_primary_key[0])

    def audit(self, limit: int = 500) -> list[dict]:
        with self.engine.connect() as db:
            rows = db.execute(select(audit).order_by(audit.c.id.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]
