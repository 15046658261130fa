"""What the route modules share: the assistant of the current index generation, the store of
turns and feedback, the answer cache and the page templates."""
from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from assistant.api.render import answer_html, passage_anchor, plain_with_references
from assistant.api.schemas import DocumentOut, FiltersIn, Passage
from assistant.api.store import Store
from assistant.assistant import Assistant
from assistant.guard import redact
from assistant.models import Answer
from assistant.retrieve.hybrid import Filters, named_authorities

KIND_LABEL = {"national": "National guidance", "evidence": "Evaluation evidence", "reference": "Reference"}


class AnswerCache:
    """Small LRU of answers for repeated questions (starter questions are asked a lot); keyed by
    index generation, so an ingest invalidates it."""

    def __init__(self, size: int = 512):
        self.size, self._d, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._d:
                self._d.move_to_end(key)
                return self._d[key]
        return None

    def put(self, key, value) -> None:
        with self._lock:
            self._d[key] = value
            self._d.move_to_end(key)
            while len(self._d) > self.size:
                self._d.popitem(last=False)


class WebContext:
    def __init__(self, data_dir: Path, store: Store, templates: Jinja2Templates, assistant: Assistant | None = None):
        self.data_dir, self.store, self.templates = data_dir, store, templates
        self._assistant = assistant
        self.cache = AnswerCache()
        self._per_generation: dict = {}
        templates.env.globals.update(kind_label=KIND_LABEL, passage_anchor=passage_anchor)

    def assistant(self) -> Assistant:
        if self._assistant is None:
            self._assistant = Assistant.open(self.data_dir)
        else:
            self._assistant.refresh()  # pick up a newer index generation after an ingest
        return self._assistant

    def generation_cached(self, name: str, build):
        """An object built from one index generation (the quiz builder, the coverage matcher),
        rebuilt after an ingest."""
        a = self.assistant()
        entry = self._per_generation.get(name)
        if entry is None or entry[0] != a.snapshot.path:
            entry = self._per_generation[name] = (a.snapshot.path, build(a))
        return entry[1]

    # -- answers --------------------------------------------------------------------------------
    def answer(self, question: str, history: list[str], filters: Filters | None, authority: str | None = None) -> Answer:
        """The answer to a question; for a user of a council, from the national and evidence documents
        and that council's own (unless the question names another council the index holds)."""
        a = self.assistant()
        if filters is None and authority and not named_authorities(a.snapshot, question):
            filters = Filters(authority=[authority, ""])
        # keyed by the redacted text: personal data never sits in the cache, and it plays no part
        # in the answer anyway (the assistant strips it before retrieval)
        key = (str(a.snapshot.path), redact(" ".join(question.split())), tuple(redact(h) for h in history[-1:]),
               filters.model_dump_json() if filters else "")
        hit = self.cache.get(key)
        if hit is not None:
            return hit.model_copy(update={"question": question})
        # history is stored redacted; markers like [NAME] carry no meaning for retrieval
        hist = [re.sub(r"\[[A-Z_]+\]", " ", h) for h in history[-1:]]
        ans = a.ask(question, filters, hist or None)
        self.cache.put(key, ans)
        return ans

    def previous_questions(self, uid: str, conv: str) -> list[str]:
        """The question a follow-up leans on: the previous turn's, as searched ("and an FGC?" after
        "When must we offer FGDM?" was "When must we offer an FGC?"), so follow-ups chain."""
        return [t["answer"].searched_for or t["question"] for t in self.store.turns(uid, conv)][-1:]

    @staticmethod
    def render_turn(t: dict) -> dict:
        t["html"] = answer_html(t["answer"])
        t["copy_text"] = plain_with_references(t["answer"])  # not "copy": Jinja would find dict.copy
        t["citations_json"] = json.dumps([c.model_dump() for c in t["answer"].citations]).replace("</", "<\\/")
        return t

    # -- documents and passages -----------------------------------------------------------------
    @staticmethod
    def to_filters(f: FiltersIn | None, a: Assistant) -> Filters | None:
        if f is None:
            return None
        unknown = [d for d in (f.document or []) if d not in a.snapshot.documents]
        if unknown:
            raise HTTPException(404, f"unknown document id(s): {', '.join(unknown)}")
        return Filters(kind=f.kind, authority=f.authority, doc_id=f.document)

    @staticmethod
    def passage_of(a: Assistant, idx: int, score: float | None = None) -> Passage:
        c = a.snapshot.chunks[idx]
        meta = a.snapshot.documents[c.doc_id].meta
        return Passage(chunk_id=c.chunk_id, anchor=passage_anchor(c.chunk_id), doc_id=c.doc_id, title=meta.title,
                       kind=meta.kind, authority=meta.authority, section=c.section, paragraph=c.paragraph,
                       text=c.text, score=score)

    def passages_of(self, a: Assistant, doc_id: str) -> list[Passage]:
        return [self.passage_of(a, i) for i, c in enumerate(a.snapshot.chunks) if c.doc_id == doc_id]

    @staticmethod
    def document_out(a: Assistant, doc_id: str) -> DocumentOut:
        d = a.snapshot.documents.get(doc_id)
        if d is None:
            raise HTTPException(404, f"unknown document id: {doc_id}")
        m = d.meta
        return DocumentOut(doc_id=m.doc_id, title=m.title, kind=m.kind, authority=m.authority, published=m.published,
                           publisher=m.publisher, licence=m.licence, source_url=m.source_url, chunks=d.n_chunks)


def web(request: Request) -> WebContext:
    """The route modules' dependency: the app's WebContext."""
    return request.app.state.web
