"""The coverage check for policy leads: how far a council's documents meet the national
expectations, and the questions the assistant could not answer (the gap report)."""
from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from assistant.api.context import WebContext, web
from assistant.api.signin import Principal, require
from assistant.coverage import CoverageMatcher, load_checklist
from assistant.coverage.report import gap_groups, render_report, to_csv

router = APIRouter(include_in_schema=False)


def coverage_rows(w: WebContext, authorities: list[str], own: str | None = None):
    """The coverage rows of the councils asked for; by default the user's own council (if its documents
    are held), else every council held. Returns the rows, the councils held and those checked."""
    cov = w.generation_cached("coverage", lambda a: {"matcher": CoverageMatcher(a), "checklist": load_checklist(),
                                                     "rows": {}})
    held = cov["matcher"].authorities()
    selected = authorities or ([own] if own in held else held)
    unknown = [x for x in selected if x not in held]
    if unknown:
        raise HTTPException(404, f"no documents held for: {', '.join(unknown)}; held: {', '.join(held)}")
    rows = []
    for auth in selected:
        if auth not in cov["rows"]:
            cov["rows"][auth] = cov["matcher"].check(auth, cov["checklist"])
        rows += cov["rows"][auth]
    return rows, held, selected


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, authority: list[str] = Query(default=[]), w: WebContext = Depends(web),
                  p: Principal = Depends(require("coverage"))):
    rows, held, selected = coverage_rows(w, authority, p.authority)
    report = render_report(rows, gap_groups(gap_turns(w, p)), standalone=False)
    return w.templates.TemplateResponse(request, "coverage.html", {
        "report": report, "held": held, "selected": selected,
        "qs": urlencode([("authority", x) for x in authority])})


@router.get("/coverage/export")
def coverage_export(fmt: Literal["csv", "html"] = "csv", authority: list[str] = Query(default=[]),
                    w: WebContext = Depends(web), p: Principal = Depends(require("coverage"))):
    rows, _, _ = coverage_rows(w, authority, p.authority)
    if fmt == "csv":
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="coverage.csv"'})
    return HTMLResponse(render_report(rows, gap_groups(gap_turns(w, p))))


def gap_turns(w: WebContext, p: Principal) -> list[dict]:
    """The questions behind the gap report: a policy lead sees only their own council's staff's (an
    admin, and the local user of an app without sign-in, every one)."""
    return w.store.low_confidence_turns(authority=None if p.role == "admin" else (p.authority or ""))
