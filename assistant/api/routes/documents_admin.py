"""The admin pages: the documents the index holds (upload, replace, supersede, remove), the ingest
jobs' progress, users' roles and councils, and the audit log of every corpus change."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.auth import require_csrf, user_of
from assistant.api.context import WebContext, web
from assistant.api.ingest_jobs import IngestJobs
from assistant.api.signin import ROLE_NAMES, ROLES, Principal, require

router = APIRouter(include_in_schema=False)
_jobs_lock = threading.Lock()
admin_only = Depends(require("admin"))


def jobs_of(request: Request, w: WebContext) -> IngestJobs:
    """The app's ingest queue, started on first use (one worker: ingests run one at a time)."""
    with _jobs_lock:
        if getattr(request.app.state, "jobs", None) is None:
            request.app.state.jobs = IngestJobs(w.data_dir, w.store)
        return request.app.state.jobs


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _csrf(request: Request, token: str) -> None:
    uid, _ = user_of(request)
    require_csrf(request, uid, token)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, w: WebContext = Depends(web), _: Principal = admin_only):
    a = w.assistant()
    docs = [w.document_out(a, d) for d in a.snapshot.documents]
    jobs = jobs_of(request, w).recent()
    return w.templates.TemplateResponse(request, "admin.html", {
        "docs": docs, "jobs": jobs, "running": any(j.state in ("queued", "running") for j in jobs),
        "superseded": a.snapshot.superseded_by})


@router.post("/admin/documents")
async def upload_document(request: Request, file: UploadFile = File(...), title: str = Form(""),
                          kind: str = Form("local"), authority: str = Form(""), published: str = Form(""),
                          source_url: str = Form(""), doc_id: str = Form(""), supersedes: str = Form(""),
                          csrf: str = Form(""), w: WebContext = Depends(web), p: Principal = admin_only):
    _csrf(request, csrf)
    if kind not in ("national", "local", "evidence"):
        raise HTTPException(422, "kind must be national, local or evidence")
    if kind == "local" and not authority.strip():
        raise HTTPException(422, "a local document needs the authority it belongs to")
    jobs = jobs_of(request, w)
    try:
        path, digest = jobs.save_upload(file.filename or "upload", await file.read())
    except ValueError as exc:
        raise HTTPException(422, str(exc))
    meta = {"title": title.strip() or None, "kind": kind, "authority": authority.strip() or None,
            "published": published.strip() or None, "source_url": source_url.strip() or None,
            "supersedes": [s for s in [supersedes.strip()] if s]}
    job = jobs.submit(p.name, "add", doc_id=doc_id.strip() or None, path=path, sha256=digest, metadata=meta)
    return RedirectResponse(f"/admin#job-{job.id}", status_code=303)


@router.post("/admin/documents/{doc_id}/remove")
def remove_document(request: Request, doc_id: str, csrf: str = Form(""), w: WebContext = Depends(web),
                    p: Principal = admin_only):
    _csrf(request, csrf)
    w.document_out(w.assistant(), doc_id)  # 404 for an unknown id
    job = jobs_of(request, w).submit(p.name, "remove", doc_id=doc_id)
    return RedirectResponse(f"/admin#job-{job.id}", status_code=303)


@router.get("/admin/jobs/{job_id}")
def job_status(request: Request, job_id: int, w: WebContext = Depends(web), _: Principal = admin_only) -> dict:
    job = jobs_of(request, w).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such ingest job")
    return {"id": job.id, "state": job.state, "stage": job.stage, "done": job.done, "total": job.total,
            "message": job.message}


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, w: WebContext = Depends(web), _: Principal = admin_only):
    return w.templates.TemplateResponse(request, "admin_users.html", {
        "users": w.store.users(), "roles": ROLES, "role_names": ROLE_NAMES, "when": _when})


@router.post("/admin/users/{uid}")
def set_user_role(request: Request, uid: str, role: str = Form(...), authority: str = Form(""),
                  csrf: str = Form(""), w: WebContext = Depends(web), p: Principal = admin_only):
    _csrf(request, csrf)
    if role not in ROLES:
        raise HTTPException(422, f"role must be one of {', '.join(ROLES)}")
    if not w.store.set_role(uid, role, authority.strip() or None, actor=p.name):
        raise HTTPException(404, "no such user")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, w: WebContext = Depends(web), _: Principal = admin_only):
    return w.templates.TemplateResponse(request, "admin_audit.html", {"rows": w.store.audit(), "when": _when})
