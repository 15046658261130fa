"""The JSON API of answers: ask (whole or streamed), search, personal-data check, feedback."""
from __future__ import annotations

import json
import re

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse

from assistant.api.auth import conversation_of, set_cookies, user_of
from assistant.api.context import WebContext, web
from assistant.api.render import answer_html, plain_with_references
from assistant.api.schemas import (
    ERRORS,
    MAX_Q,
    AskIn,
    AskOut,
    FeedbackIn,
    Passage,
    PiiIn,
    PiiOut,
)
from assistant.api.signin import authority_of
from assistant.guard import detect_pii, redact

router = APIRouter()


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/api/ask", response_model=AskOut, tags=["answers"], responses=ERRORS)
def api_ask(body: AskIn, request: Request, response: Response, w: WebContext = Depends(web)):
    """Ask a question; returns the cited answer (the JSON contract) plus the stored turn id."""
    a = w.assistant()
    uid, new = user_of(request)
    council = authority_of(request)
    ans = w.answer(body.question, body.history, w.to_filters(body.filters, a), council)
    turn_id = w.store.add_turn(uid, body.conversation or "api", ans, council)
    if new:
        set_cookies(request, response, uid)
    return AskOut(**ans.model_dump(), turn_id=turn_id, pii_detected=sorted({p.kind for p in a.personal_data(body.question)}))


@router.post("/api/ask/stream", tags=["answers"], responses=ERRORS, response_class=StreamingResponse,
             openapi_extra={"responses": {"200": {"content": {"text/event-stream": {"schema": {"type": "string"}}}}}})
def api_ask_stream(body: AskIn, request: Request, w: WebContext = Depends(web)):
    """Server-sent events: `meta` (emergency/refused), `delta` (answer text, piece by piece),
    `done` (the whole answer JSON, its HTML and the turn id). The question travels in the body, never
    in the URL, where proxies and server logs would keep it."""
    uid, _ = user_of(request)
    conv = body.conversation or conversation_of(request)
    hist = body.history or w.previous_questions(uid, conv)
    council = authority_of(request)
    ans = w.answer(body.question, hist, w.to_filters(body.filters, w.assistant()), council)  # 4xx before streaming
    turn_id = w.store.add_turn(uid, conv, ans, council)

    def events():
        yield _sse("meta", {"emergency": ans.emergency, "refused": ans.refused, "turn_id": turn_id})
        words = re.split(r"(\s+)", ans.answer)
        for i in range(0, len(words), 12):
            yield _sse("delta", {"text": "".join(words[i:i + 12])})
        yield _sse("done", {"answer": json.loads(ans.model_dump_json()), "html": str(answer_html(ans)),
                            "copy": plain_with_references(ans), "turn_id": turn_id})

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/api/search", response_model=list[Passage], tags=["answers"], responses=ERRORS)
def api_search(q: str = Query(min_length=1, max_length=MAX_Q), k: int = Query(default=8, ge=1, le=50),
               w: WebContext = Depends(web)):
    """Ranked passages for a query (no composition, no refusal)."""
    a = w.assistant()
    _, hits = a.search(q, k=k)
    return [w.passage_of(a, h.chunk_index, round(h.score, 4)) for h in hits]


@router.post("/api/pii", response_model=PiiOut, tags=["guard"], responses=ERRORS)
def api_pii(body: PiiIn, w: WebContext = Depends(web)):
    """Personal data in a draft question, so the page can warn before it is sent."""
    places = w.assistant().env.places
    return PiiOut(kinds=sorted({p.kind for p in detect_pii(body.text, places)}), redacted=redact(body.text, places))


@router.post("/api/feedback", status_code=201, tags=["feedback"], responses=ERRORS)
def api_feedback(body: FeedbackIn, request: Request, w: WebContext = Depends(web)) -> dict:
    uid, _ = user_of(request)
    if w.store.turn(uid, body.turn_id) is None:
        raise HTTPException(404, f"no answer {body.turn_id} in your history")
    fid = w.store.add_feedback(uid, body.turn_id, body.helpful, body.reason)
    return {"id": fid, "turn_id": body.turn_id, "helpful": body.helpful}
