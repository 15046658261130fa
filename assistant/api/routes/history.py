"""A user's own stored turns: the page and the JSON, and deleting them."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.auth import require_csrf, set_cookies, user_of
from assistant.api.context import WebContext, web
from assistant.api.schemas import HistoryTurn

router = APIRouter()


@router.get("/api/history", response_model=list[HistoryTurn], tags=["history"])
def api_history(request: Request, w: WebContext = Depends(web)):
    """Your stored questions (redacted) and answers."""
    uid, _ = user_of(request)
    return [HistoryTurn(id=t["id"], conversation=t["conversation"], created=t["created"], question=t["question"],
                        answer=t["answer"]) for t in w.store.turns(uid)]


@router.delete("/api/history", tags=["history"])
def api_history_delete(request: Request, w: WebContext = Depends(web)) -> dict:
    uid, _ = user_of(request)
    return {"deleted": w.store.delete_history(uid)}


@router.get("/history", response_class=HTMLResponse, include_in_schema=False)
def history_page(request: Request, w: WebContext = Depends(web)):
    uid, _ = user_of(request)
    resp = w.templates.TemplateResponse(request, "history.html", {"turns": w.store.turns(uid)})
    return set_cookies(request, resp, uid)


@router.post("/history/delete", include_in_schema=False)
def history_delete(request: Request, csrf: str = Form(""), w: WebContext = Depends(web)):
    uid, _ = user_of(request)
    require_csrf(request, uid, csrf)
    w.store.delete_history(uid)
    return RedirectResponse("/history?deleted=1", status_code=303)
