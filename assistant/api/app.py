"""FastAPI app: the web chat (Jinja2 pages that work without JavaScript) and the JSON API.

Every route is a thin shell over `Assistant`; questions reach logs and storage redacted only."""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

from fastapi import FastAPI, Form, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from assistant.api.render import answer_html, passage_anchor, plain_with_references
from assistant.api.store import Store
from assistant.assistant import Assistant, QuestionError
from assistant.guard import detect_pii, redact
from assistant.models import Answer
from assistant.retrieve.hybrid import Filters
from assistant.settings import Settings, default_data_dir

log = logging.getLogger("assistant.web")
WEB_DIR = Path(__file__).resolve().parents[2] / "web"
USER_COOKIE, CONV_COOKIE = "ffa_user", "ffa_conv"
STARTERS = [
    "Who should be the Family Help Lead Practitioner?",
    "When must we offer a family group conference?",
    "What must parents be told when a section 47 enquiry starts?",
    "Who are the core members of a multi-agency child protection team?",
    "Can a special guardian get a Family Network Support Package?",
]
KIND_LABEL = {"national": "National guidance", "evidence": "Evaluation evidence", "reference": "Reference"}


# ---- request / response models (documented in the OpenAPI spec) --------------------------------
MAX_Q = Settings().max_question_chars


class FiltersIn(BaseModel):
    kind: list[Literal["national", "local", "evidence", "reference"]] | None = None
    authority: list[str] | None = None
    document: list[str] | None = None


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_Q, description="The practitioner's question")
    history: list[str] = Field(default_factory=list, max_length=20,
                               description="Earlier questions of this conversation, oldest first (for follow-ups)")
    filters: FiltersIn | None = None
    conversation: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]*$")


class AskOut(Answer):
    turn_id: int | None = Field(default=None, description="Id of the stored turn, for feedback")
    pii_detected: list[str] = Field(default_factory=list, description="Kinds of personal data found in the question")


class FeedbackIn(BaseModel):
    turn_id: int = Field(ge=1, le=2**63 - 1)
    helpful: bool
    reason: str | None = Field(default=None, max_length=1000)


class PiiIn(BaseModel):
    text: str = Field(max_length=MAX_Q)


class PiiOut(BaseModel):
    kinds: list[str]
    redacted: str


class Passage(BaseModel):
    chunk_id: str
    anchor: str
    doc_id: str
    title: str
    kind: str
    authority: str | None
    section: str
    paragraph: str | None
    text: str
    score: float | None = None


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    kind: str
    authority: str | None
    published: str | None
    publisher: str | None
    licence: str | None
    source_url: str | None
    chunks: int


class DocumentFull(DocumentOut):
    passages: list[Passage]


class HistoryTurn(BaseModel):
    id: int
    conversation: str
    created: float
    question: str
    answer: Answer


class Error(BaseModel):
    detail: str


ERRORS = {400: {"model": Error}, 404: {"model": Error}, 422: {"model": Error}}


# ---- the app -------------------------------------------------------------------------------------
class _AnswerCache:
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


def create_app(data_dir: Path | str | None = None, db_path: Path | str | None = None,
               assistant: Assistant | None = None) -> FastAPI:
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    app = FastAPI(
        title="Families First guidance assistant",
        version="0.1.0",
        description="Cited answers from the Families First for Children guidance. Every statement carries a "
                    "citation to the passage it came from; questions the guidance does not cover are refused.",
    )
    state = {"assistant": assistant}
    store = Store(Path(db_path) if db_path else data_dir / "web.sqlite3")
    cache = _AnswerCache()
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    templates.env.globals.update(kind_label=KIND_LABEL, passage_anchor=passage_anchor)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    def get_assistant() -> Assistant:
        a = state["assistant"]
        if a is None:
            a = state["assistant"] = Assistant.open(data_dir)
        else:
            a.refresh()  # pick up a newer index generation after an ingest
        return a

    # -- errors: clear 4xx messages, never a 500 for bad input --
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        msgs = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", []) if p != "body")
            msgs.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return JSONResponse({"detail": "; ".join(msgs) or "invalid request"}, status_code=422)

    @app.exception_handler(QuestionError)
    async def _question(request: Request, exc: QuestionError):
        return JSONResponse({"detail": str(exc)}, status_code=422)

    # -- helpers --
    def user_of(request: Request) -> tuple[str, bool]:
        uid = request.cookies.get(USER_COOKIE)
        if uid and re.fullmatch(r"[A-Za-z0-9_-]{16,64}", uid):
            return uid, False
        return secrets.token_urlsafe(18), True

    def conversation_of(request: Request) -> str:
        conv = request.cookies.get(CONV_COOKIE)
        return conv if conv and re.fullmatch(r"[A-Za-z0-9_-]{8,64}", conv) else secrets.token_urlsafe(9)

    def set_cookies(resp: Response, uid: str, conv: str | None = None) -> Response:
        resp.set_cookie(USER_COOKIE, uid, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
        if conv:
            resp.set_cookie(CONV_COOKIE, conv, max_age=30 * 24 * 3600, httponly=True, samesite="lax")
        return resp

    def to_filters(f: FiltersIn | None, a: Assistant) -> Filters | None:
        if f is None:
            return None
        unknown = [d for d in (f.document or []) if d not in a.snapshot.documents]
        if unknown:
            raise HTTPException(404, f"unknown document id(s): {', '.join(unknown)}")
        return Filters(kind=f.kind, authority=f.authority, doc_id=f.document)

    def answer(question: str, history: list[str], filters: Filters | None) -> Answer:
        a = get_assistant()
        # keyed by the redacted text: personal data never sits in the cache, and it plays no part
        # in the answer anyway (the assistant strips it before retrieval)
        key = (str(a.snapshot.path), redact(" ".join(question.split())), tuple(redact(h) for h in history[-1:]),
               filters.model_dump_json() if filters else "")
        hit = cache.get(key)
        if hit is not None:
            return hit.model_copy(update={"question": question})
        # history is stored redacted; markers like [NAME] carry no meaning for retrieval
        hist = [re.sub(r"\[[A-Z_]+\]", " ", h) for h in history[-1:]]
        ans = a.ask(question, filters, hist or None)
        cache.put(key, ans)
        return ans

    def previous_questions(uid: str, conv: str) -> list[str]:
        """The question a follow-up leans on: the previous turn's, as searched ("and an FGC?" after
        "When must we offer FGDM?" was "When must we offer an FGC?"), so follow-ups chain."""
        return [t["answer"].searched_for or t["question"] for t in store.turns(uid, conv)][-1:]

    def passage_of(a: Assistant, idx: int, score: float | None = None) -> Passage:
        c = a.snapshot.chunks[idx]
        meta = a.snapshot.documents[c.doc_id].meta
        return Passage(chunk_id=c.chunk_id, anchor=passage_anchor(c.chunk_id), doc_id=c.doc_id, title=meta.title,
                       kind=meta.kind, authority=meta.authority, section=c.section, paragraph=c.paragraph,
                       text=c.text, score=score)

    def document_out(a: Assistant, doc_id: str) -> DocumentOut:
        d = a.snapshot.documents.get(doc_id)
        if d is None:
            raise HTTPException(404, f"unknown document id: {doc_id}")
        m = d.meta
        return DocumentOut(doc_id=m.doc_id, title=m.title, kind=m.kind, authority=m.authority, published=m.published,
                           publisher=m.publisher, licence=m.licence, source_url=m.source_url, chunks=d.n_chunks)

    # ---- JSON API ------------------------------------------------------------------------------
    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], responses={503: {"model": Error}})
    def readyz():
        try:
            a = get_assistant()
        except Exception as exc:  # the index is missing or unreadable: not ready, say why
            return JSONResponse({"detail": f"index not ready: {exc}"}, status_code=503)
        return {"status": "ready", "generation": a.snapshot.path.name, "documents": len(a.snapshot.documents),
                "passages": len(a.snapshot.chunks)}

    @app.post("/api/ask", response_model=AskOut, tags=["answers"], responses=ERRORS)
    def api_ask(body: AskIn, request: Request, response: Response):
        """Ask a question; returns the cited answer (the JSON contract) plus the stored turn id."""
        a = get_assistant()
        uid, new = user_of(request)
        ans = answer(body.question, body.history, to_filters(body.filters, a))
        turn_id = store.add_turn(uid, body.conversation or "api", ans)
        if new:
            set_cookies(response, uid)
        return AskOut(**ans.model_dump(), turn_id=turn_id, pii_detected=sorted({p.kind for p in detect_pii(body.question)}))

    @app.get("/api/ask/stream", tags=["answers"], responses=ERRORS,
             response_class=StreamingResponse,
             openapi_extra={"responses": {"200": {"content": {"text/event-stream": {"schema": {"type": "string"}}}}}})
    def api_ask_stream(
        request: Request,
        question: str = Query(min_length=1, max_length=MAX_Q),
        history: list[str] = Query(default=[], max_length=20),
        conversation: str | None = Query(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]*$"),
    ):
        """Server-sent events: `meta` (emergency/refused), `delta` (answer text, piece by piece),
        `done` (the whole answer JSON, its HTML and the turn id)."""
        uid, _ = user_of(request)
        conv = conversation or conversation_of(request)
        hist = history or previous_questions(uid, conv)
        ans = answer(question, hist, None)  # validation errors surface as 4xx before streaming starts
        turn_id = store.add_turn(uid, conv, ans)

        def events():
            yield _sse("meta", {"emergency": ans.emergency, "refused": ans.refused, "turn_id": turn_id})
            words = re.split(r"(\s+)", ans.answer)
            for i in range(0, len(words), 12):
                yield _sse("delta", {"text": "".join(words[i:i + 12])})
            yield _sse("done", {"answer": json.loads(ans.model_dump_json()), "html": str(answer_html(ans)),
                                "copy": plain_with_references(ans), "turn_id": turn_id})

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.get("/api/search", response_model=list[Passage], tags=["answers"], responses=ERRORS)
    def api_search(q: str = Query(min_length=1, max_length=MAX_Q), k: int = Query(default=8, ge=1, le=50)):
        """Ranked passages for a query (no composition, no refusal)."""
        a = get_assistant()
        _, hits = a.search(q, k=k)
        return [passage_of(a, h.chunk_index, round(h.score, 4)) for h in hits]

    @app.get("/api/documents", response_model=list[DocumentOut], tags=["documents"])
    def api_documents():
        a = get_assistant()
        return [document_out(a, d) for d in a.snapshot.documents]

    @app.get("/api/documents/{doc_id}", response_model=DocumentFull, tags=["documents"], responses=ERRORS)
    def api_document(doc_id: str):
        """A document's passages in order, each with the anchor used by /documents/{doc_id}#anchor."""
        a = get_assistant()
        head = document_out(a, doc_id)
        passages = [passage_of(a, i) for i, c in enumerate(a.snapshot.chunks) if c.doc_id == doc_id]
        return DocumentFull(**head.model_dump(), passages=passages)

    @app.post("/api/pii", response_model=PiiOut, tags=["guard"], responses=ERRORS)
    def api_pii(body: PiiIn):
        """Personal data in a draft question, so the page can warn before it is sent."""
        return PiiOut(kinds=sorted({p.kind for p in detect_pii(body.text)}), redacted=redact(body.text))

    @app.post("/api/feedback", status_code=201, tags=["feedback"], responses=ERRORS)
    def api_feedback(body: FeedbackIn, request: Request) -> dict:
        uid, _ = user_of(request)
        if store.turn(uid, body.turn_id) is None:
            raise HTTPException(404, f"no answer {body.turn_id} in your history")
        fid = store.add_feedback(uid, body.turn_id, body.helpful, body.reason)
        return {"id": fid, "turn_id": body.turn_id, "helpful": body.helpful}

    @app.get("/api/history", response_model=list[HistoryTurn], tags=["history"])
    def api_history(request: Request):
        """Your stored questions (redacted) and answers."""
        uid, _ = user_of(request)
        return [HistoryTurn(id=t["id"], conversation=t["conversation"], created=t["created"], question=t["question"],
                            answer=t["answer"]) for t in store.turns(uid)]

    @app.delete("/api/history", tags=["history"])
    def api_history_delete(request: Request) -> dict:
        uid, _ = user_of(request)
        return {"deleted": store.delete_history(uid)}

    # ---- pages (work without JavaScript) ---------------------------------------------------------
    def chat_page(request: Request, uid: str, conv: str, *, draft: str = "", pii: list[str] | None = None,
                  error: str | None = None, status: int = 200):
        turns = [render_turn(t) for t in store.turns(uid, conv)]
        resp = templates.TemplateResponse(request, "chat.html", {
            "turns": turns, "starters": STARTERS, "draft": draft, "pii": pii or [], "error": error,
            "max_chars": MAX_Q, "conversation": conv}, status_code=status)
        return set_cookies(resp, uid, conv)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        uid, _ = user_of(request)
        return chat_page(request, uid, conversation_of(request))

    @app.post("/ask", response_class=HTMLResponse, include_in_schema=False)
    def ask_form(request: Request, question: str = Form(""), send_anyway: str = Form("")):
        uid, _ = user_of(request)
        conv = conversation_of(request)
        text = " ".join(question.split())
        if not text:
            return chat_page(request, uid, conv, error="Enter a question", status=422)
        if len(text) > MAX_Q:
            return chat_page(request, uid, conv, draft=question[:MAX_Q],
                             error=f"Your question is {len(text)} characters long; the limit is {MAX_Q}", status=422)
        kinds = sorted({p.kind for p in detect_pii(text)})
        if kinds and not send_anyway:
            return chat_page(request, uid, conv, draft=question, pii=kinds)
        ans = answer(text, previous_questions(uid, conv), None)
        turn_id = store.add_turn(uid, conv, ans)
        return set_cookies(RedirectResponse(f"/#turn-{turn_id}", status_code=303), uid, conv)

    @app.post("/feedback", include_in_schema=False)
    def feedback_form(request: Request, turn_id: int = Form(..., ge=1, le=2**63 - 1), helpful: str = Form(...), reason: str = Form("")):
        uid, _ = user_of(request)
        if store.turn(uid, turn_id) is None:
            raise HTTPException(404, "no such answer in your history")
        store.add_feedback(uid, turn_id, helpful == "yes", reason[:1000] or None)
        return RedirectResponse(f"/?thanks={turn_id}#turn-{turn_id}", status_code=303)

    def render_turn(t: dict) -> dict:
        t["html"] = answer_html(t["answer"])
        t["copy_text"] = plain_with_references(t["answer"])  # not "copy": Jinja would find dict.copy
        t["citations_json"] = json.dumps([c.model_dump() for c in t["answer"].citations]).replace("</", "<\\/")
        return t

    @app.get("/turns/{turn_id}", response_class=HTMLResponse, include_in_schema=False)
    def turn_fragment(request: Request, turn_id: int):
        """One rendered turn, for the page script to insert after a streamed answer."""
        uid, _ = user_of(request)
        t = store.turn(uid, turn_id)
        if t is None:
            raise HTTPException(404, "no such answer in your history")
        return templates.TemplateResponse(request, "_answer.html", {"t": render_turn(t)})

    @app.post("/conversation/new", include_in_schema=False)
    def new_conversation(request: Request):
        uid, _ = user_of(request)
        return set_cookies(RedirectResponse("/", status_code=303), uid, secrets.token_urlsafe(9))

    @app.get("/history", response_class=HTMLResponse, include_in_schema=False)
    def history_page(request: Request):
        uid, _ = user_of(request)
        resp = templates.TemplateResponse(request, "history.html", {"turns": store.turns(uid)})
        return set_cookies(resp, uid)

    @app.post("/history/delete", include_in_schema=False)
    def history_delete(request: Request):
        uid, _ = user_of(request)
        store.delete_history(uid)
        return RedirectResponse("/history?deleted=1", status_code=303)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str):
        a = get_assistant()
        head = document_out(a, doc_id)
        passages = [passage_of(a, i) for i, c in enumerate(a.snapshot.chunks) if c.doc_id == doc_id]
        return templates.TemplateResponse(request, "document.html", {"doc": head, "passages": passages})

    # ---- objects built from one index generation, rebuilt after an ingest -------------------------
    per_generation: dict = {}

    def generation_cached(name: str, build):
        a = get_assistant()
        entry = per_generation.get(name)
        if entry is None or entry[0] != a.snapshot.path:
            entry = per_generation[name] = (a.snapshot.path, build(a))
        return entry[1]

    # ---- quiz builder for trainers ---------------------------------------------------------------
    def quiz_builder():
        from assistant.quiz import QuizBuilder

        return generation_cached("quiz", QuizBuilder)

    def build_quiz(topic: str, n: int, types: list[str], seed: int, authority: str | None, document: list[str],
                   drop: list[str]):
        try:
            return quiz_builder().build(topic, n, types or None, seed, authority=authority or None,
                                        documents=document or None, exclude=set(drop))
        except ValueError as exc:
            raise HTTPException(422, str(exc))

    @app.get("/quiz", response_class=HTMLResponse, include_in_schema=False)
    def quiz_page(request: Request, topic: str = "all", n: int = Query(10, ge=1, le=100),
                  types: list[str] = Query(default=["mcq", "true_false", "cloze"]), seed: int = Query(7, ge=0, le=2**31),
                  authority: str = "", document: list[str] = Query(default=[]), drop: list[str] = Query(default=[])):
        from assistant.quiz import TOPICS

        built = build_quiz(topic, n, types, seed, authority, document, drop)
        a = get_assistant()
        authorities = sorted({d.meta.authority for d in a.snapshot.documents.values() if d.meta.authority})
        def qs(count: int) -> str:
            return urlencode([("topic", topic), ("n", count), ("seed", seed), ("authority", authority)]
                             + [("types", t) for t in types] + [("document", d) for d in document] + [("drop", d) for d in drop])

        return templates.TemplateResponse(request, "quiz.html", {
            "quiz": built, "topics": ["all", *TOPICS], "authorities": authorities, "qs": qs(n), "qs_remove": qs(max(1, n - 1)),
            "documents": [document_out(a, d) for d in a.snapshot.documents], "sel": {
                "topic": topic, "n": n, "types": types, "seed": seed, "authority": authority, "document": document}})

    @app.get("/quiz/export", include_in_schema=False)
    def quiz_export(fmt: Literal["gift", "moodle-xml", "csv", "html"] = "gift", topic: str = "all",
                    n: int = Query(10, ge=1, le=100), types: list[str] = Query(default=["mcq", "true_false", "cloze"]),
                    seed: int = Query(7, ge=0, le=2**31), authority: str = "", document: list[str] = Query(default=[]),
                    drop: list[str] = Query(default=[])):
        from assistant.quiz.export import SUFFIX, export

        built = build_quiz(topic, n, types, seed, authority, document, drop)
        media = {"gift": "text/plain", "moodle-xml": "application/xml", "csv": "text/csv", "html": "text/html"}[fmt]
        name = f"quiz-{re.sub(r'[^a-z0-9]+', '-', topic.lower())}-{seed}{SUFFIX[fmt]}"
        return Response(export(built, fmt), media_type=f"{media}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # ---- coverage check for policy leads -----------------------------------------------------------
    def coverage_rows(authorities: list[str]):
        from assistant.coverage import CoverageMatcher, load_checklist

        cov = generation_cached("coverage", lambda a: {"matcher": CoverageMatcher(a), "checklist": load_checklist(),
                                                       "rows": {}})
        held = cov["matcher"].authorities()
        unknown = [x for x in authorities if x not in held]
        if unknown:
            raise HTTPException(404, f"no documents held for: {', '.join(unknown)}; held: {', '.join(held)}")
        rows = []
        for auth in authorities or held:
            if auth not in cov["rows"]:
                cov["rows"][auth] = cov["matcher"].check(auth, cov["checklist"])
            rows += cov["rows"][auth]
        return rows, held

    @app.get("/coverage", response_class=HTMLResponse, include_in_schema=False)
    def coverage_page(request: Request, authority: list[str] = Query(default=[])):
        from assistant.coverage.report import gap_groups, render_report

        rows, held = coverage_rows(authority)
        report = render_report(rows, gap_groups(store.low_confidence_turns()), standalone=False)
        return templates.TemplateResponse(request, "coverage.html", {
            "report": report, "held": held, "selected": authority or held,
            "qs": urlencode([("authority", x) for x in authority])})

    @app.get("/coverage/export", include_in_schema=False)
    def coverage_export(fmt: Literal["csv", "html"] = "csv", authority: list[str] = Query(default=[])):
        from assistant.coverage.report import gap_groups, render_report, to_csv

        rows, _ = coverage_rows(authority)
        if fmt == "csv":
            return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="coverage.csv"'})
        return HTMLResponse(render_report(rows, gap_groups(store.low_confidence_turns())))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api") or request.url.path in ("/healthz", "/readyz"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)

    app.state.store = store
    return app


def generator_from_env():
    """The optional LLM composer named by $ASSISTANT_LLM_URL (and $ASSISTANT_LLM_MODEL), else None:
    `assistant serve --llm URL --workers N` hands it to each worker this way."""
    from assistant.compose.llm import generator_for

    return generator_for(os.environ.get("ASSISTANT_LLM_URL"), os.environ.get("ASSISTANT_LLM_MODEL"))


def app_from_env() -> FastAPI:
    """App factory for several worker processes (`assistant serve --workers N`): each worker
    opens the index named by $ASSISTANT_DATA and warms up before it takes requests."""
    data = os.environ.get("ASSISTANT_DATA") or None
    a = Assistant.open(data, build=False, generator=generator_from_env())
    a.ask("warm up")
    return create_app(data, os.environ.get("ASSISTANT_DB") or None, assistant=a)


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
