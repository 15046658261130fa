"""The quiz builder for trainers: a page to build and trim a quiz, and its export."""
from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse

from assistant.api.context import WebContext, web
from assistant.api.signin import Principal, require
from assistant.quiz import TOPICS, QuizBuilder
from assistant.quiz.export import SUFFIX, export

router = APIRouter(include_in_schema=False)
TYPES = ["mcq", "true_false", "cloze"]
MEDIA = {"gift": "text/plain", "moodle-xml": "application/xml", "csv": "text/csv", "html": "text/html"}


def build_quiz(w: WebContext, topic: str, n: int, types: list[str], seed: int, authority: str | None,
               document: list[str], drop: list[str]):
    try:
        return w.generation_cached("quiz", QuizBuilder).build(topic, n, types or None, seed, authority=authority or None,
                                                              documents=document or None, exclude=set(drop))
    except ValueError as exc:
        raise HTTPException(422, str(exc))


@router.get("/quiz", response_class=HTMLResponse)
def quiz_page(request: Request, topic: str = "all", n: int = Query(10, ge=1, le=100),
              types: list[str] = Query(default=TYPES), seed: int = Query(7, ge=0, le=2**31),
              authority: str = "", document: list[str] = Query(default=[]), drop: list[str] = Query(default=[]),
              w: WebContext = Depends(web), _: Principal = Depends(require("quiz"))):
    built = build_quiz(w, topic, n, types, seed, authority, document, drop)
    a = w.assistant()
    authorities = sorted({d.meta.authority for d in a.snapshot.documents.values() if d.meta.authority})

    def qs(count: int) -> str:
        return urlencode([("topic", topic), ("n", count), ("seed", seed), ("authority", authority)]
                         + [("types", t) for t in types] + [("document", d) for d in document]
                         + [("drop", d) for d in drop])

    return w.templates.TemplateResponse(request, "quiz.html", {
        "quiz": built, "topics": ["all", *TOPICS], "authorities": authorities, "qs": qs(n),
        "qs_remove": qs(max(1, n - 1)), "documents": [w.document_out(a, d) for d in a.snapshot.documents],
        "sel": {"topic": topic, "n": n, "types": types, "seed": seed, "authority": authority, "document": document}})


@router.get("/quiz/export")
def quiz_export(fmt: Literal["gift", "moodle-xml", "csv", "html"] = "gift", topic: str = "all",
                n: int = Query(10, ge=1, le=100), types: list[str] = Query(default=TYPES),
                seed: int = Query(7, ge=0, le=2**31), authority: str = "", document: list[str] = Query(default=[]),
                drop: list[str] = Query(default=[]), w: WebContext = Depends(web),
                _: Principal = Depends(require("quiz"))):
    built = build_quiz(w, topic, n, types, seed, authority, document, drop)
    name = f"quiz-{re.sub(r'[^a-z0-9]+', '-', topic.lower())}-{seed}{SUFFIX[fmt]}"
    return Response(export(built, fmt), media_type=f"{MEDIA[fmt]}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
