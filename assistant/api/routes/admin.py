"""What operators and administrators read: health, readiness and the documents the index holds."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from assistant.api.context import WebContext, web
from assistant.api.schemas import ERRORS, DocumentFull, DocumentOut, Error

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def api_reference(request: Request, w: WebContext = Depends(web)):
    """The API reference (Swagger UI), its script and styles served from /static: it works offline."""
    return w.templates.TemplateResponse(request, "docs.html", {})


@router.get("/healthz", tags=["ops"])
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", tags=["ops"], responses={503: {"model": Error}})
def readyz(w: WebContext = Depends(web)):
    try:
        a = w.assistant()
    except Exception as exc:  # the index is missing or unreadable: not ready, say why
        return JSONResponse({"detail": f"index not ready: {exc}"}, status_code=503)
    return {"status": "ready", "generation": a.snapshot.path.name, "documents": len(a.snapshot.documents),
            "passages": len(a.snapshot.chunks)}


@router.get("/api/documents", response_model=list[DocumentOut], tags=["documents"])
def api_documents(w: WebContext = Depends(web)):
    a = w.assistant()
    return [w.document_out(a, d) for d in a.snapshot.documents]


@router.get("/api/documents/{doc_id}", response_model=DocumentFull, tags=["documents"], responses=ERRORS)
def api_document(doc_id: str, w: WebContext = Depends(web)):
    """A document's passages in order, each with the anchor used by /documents/{doc_id}#anchor."""
    a = w.assistant()
    head = w.document_out(a, doc_id)
    return DocumentFull(**head.model_dump(), passages=w.passages_of(a, doc_id))
