"""The web chat's pages, which work without JavaScript: ask, feedback, a conversation, a document."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.auth import (
    conversation_of,
    new_conversation,
    require_csrf,
    set_cookies,
    user_of,
)
from assistant.api.context import WebContext, web
from assistant.api.schemas import MAX_Q
from assistant.api.signin import authority_of

router = APIRouter(include_in_schema=False)
STARTERS = [
    "Who should be the Family Help Lead Practitioner?",
    "When must we offer a family group conference?",
    "What must parents be told when a section 47 enquiry starts?",
    "Who are the core members of a multi-agency child protection team?",
    "Can a special guardian get a Family Network Support Package?",
]


def chat_page(w: WebContext, request: Request, uid: str, conv: str, *, draft: str = "", pii: list[str] | None = None,
              error: str | None = None, status: int = 200):
    turns = [w.render_turn(t) for t in w.store.turns(uid, conv)]
    resp = w.templates.TemplateResponse(request, "chat.html", {
        "turns": turns, "starters": STARTERS, "draft": draft, "pii": pii or [], "error": error,
        "max_chars": MAX_Q, "conversation": conv}, status_code=status)
    return set_cookies(request, resp, uid, conv)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, w: WebContext = Depends(web)):
    uid, _ = user_of(request)
    return chat_page(w, request, uid, conversation_of(request))


@router.post("/ask", response_class=HTMLResponse)
def ask_form(request: Request, question: str = Form(""), send_anyway: str = Form(""), csrf: str = Form(""),
             w: WebContext = Depends(web)):
    uid, _ = user_of(request)
    require_csrf(request, uid, csrf)
    conv = conversation_of(request)
    text = " ".join(question.split())
    if not text:
        return chat_page(w, request, uid, conv, error="Enter a question", status=422)
    if len(text) > MAX_Q:
        return chat_page(w, request, uid, conv, draft=question[:MAX_Q],
                         error=f"Your question is {len(text)} characters long; the limit is {MAX_Q}", status=422)
    kinds = sorted({p.kind for p in w.assistant().personal_data(text)})
    if kinds and not send_anyway:
        return chat_page(w, request, uid, conv, draft=question, pii=kinds)
    council = authority_of(request)
    ans = w.answer(text, w.previous_questions(uid, conv), None, council)
    turn_id = w.store.add_turn(uid, conv, ans, council)
    return set_cookies(request, RedirectResponse(f"/#turn-{turn_id}", status_code=303), uid, conv)


@router.post("/feedback")
def feedback_form(request: Request, turn_id: int = Form(..., ge=1, le=2**63 - 1), helpful: str = Form(...),
                  reason: str = Form(""), csrf: str = Form(""), w: WebContext = Depends(web)):
    uid, _ = user_of(request)
    require_csrf(request, uid, csrf)
    if w.store.turn(uid, turn_id) is None:
        raise HTTPException(404, "no such answer in your history")
    w.store.add_feedback(uid, turn_id, helpful == "yes", reason[:1000] or None)
    return RedirectResponse(f"/?thanks={turn_id}#turn-{turn_id}", status_code=303)


@router.get("/turns/{turn_id}", response_class=HTMLResponse)
def turn_fragment(request: Request, turn_id: int, w: WebContext = Depends(web)):
    """One rendered turn, for the page script to insert after a streamed answer."""
    uid, _ = user_of(request)
    t = w.store.turn(uid, turn_id)
    if t is None:
        raise HTTPException(404, "no such answer in your history")
    return w.templates.TemplateResponse(request, "_answer.html", {"t": w.render_turn(t)})


@router.post("/conversation/new")
def start_conversation(request: Request, csrf: str = Form("")):
    uid, _ = user_of(request)
    require_csrf(request, uid, csrf)
    return set_cookies(request, RedirectResponse("/", status_code=303), uid, new_conversation())


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, w: WebContext = Depends(web)):
    a = w.assistant()
    head = w.document_out(a, doc_id)
    return w.templates.TemplateResponse(request, "document.html", {"doc": head, "passages": w.passages_of(a, doc_id)})
