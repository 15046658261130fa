"""The web app factory: the chat pages (Jinja2, working without JavaScript) and the JSON API.

Every route lives in a module of api/routes and is a thin shell over `Assistant`; questions reach
logs and storage redacted only.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from assistant.api import signin
from assistant.api.auth import Identity, csrf_field, load_secret
from assistant.api.context import WebContext
from assistant.api.limits import add_limits
from assistant.api.routes import (
    admin,
    api,
    chat,
    coverage,
    documents_admin,
    history,
    quiz,
)
from assistant.api.security import add_security_headers
from assistant.api.signin import (
    ROLE_NAMES,
    needs_signin,
    principal_of,
    register_provider,
)
from assistant.api.signin import configured as signin_configured
from assistant.api.store import Store
from assistant.assistant import Assistant, QuestionError
from assistant.compose.llm import generator_for
from assistant.resources import web_dir
from assistant.settings import Settings

log = logging.getLogger("assistant.web")
ROUTERS = [signin.router, admin.router, documents_admin.router, api.router, history.router, chat.router, quiz.router,
           coverage.router]


def _errors(app: FastAPI, templates: Jinja2Templates) -> None:
    """Clear 4xx messages, never a 500 for bad input; pages get an HTML error page."""

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

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api") or request.url.path in ("/healthz", "/readyz"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)


def _signin(app: FastAPI, settings: Settings, secret: bytes) -> None:
    """With a provider configured, every request but sign-in, health and static files needs a
    signed-in user: the API answers 401, a page sends the browser to sign in."""
    app.state.signin = register_provider(settings) if signin_configured(settings) else None
    if not app.state.signin:
        return

    @app.middleware("http")
    async def _gate(request: Request, call_next):
        if not needs_signin(request):
            return await call_next(request)
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": "Sign in first."}, status_code=401)
        request.session["next"] = request.url.path if request.method == "GET" else "/"
        return RedirectResponse("/login", status_code=303)

    # added after the gate, so it runs first: the gate reads the session
    app.add_middleware(SessionMiddleware, secret_key=secret.decode(), session_cookie="ffa_session",
                       same_site="lax", https_only=settings.secure_cookies, max_age=12 * 3600)


def create_app(data_dir: Path | str | None = None, db_path: Path | str | None = None,
               assistant: Assistant | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    data_dir = Path(data_dir) if data_dir else settings.data_dir()
    app = FastAPI(
        docs_url=None, redoc_url=None,  # /docs is served from this site's own copy of Swagger UI (admin.py)
        title="Families First guidance assistant",
        version="0.1.0",
        description="Cited answers from the Families First for Children guidance. Every statement carries a "
                    "citation to the passage it came from; questions the guidance does not cover are refused.",
    )
    templates = Jinja2Templates(directory=str(web_dir() / "templates"))
    store = Store(settings.database_url or (Path(db_path) if db_path else data_dir / "web.sqlite3"),
                  retention_days=settings.retention_days)
    app.state.web = WebContext(data_dir, store, templates, assistant)
    secret = load_secret(data_dir, settings.secret_key)
    app.state.identity = Identity(secret, settings.secure_cookies)
    templates.env.globals.update(csrf_field=csrf_field, principal=principal_of,
                                 role_name=lambda role: ROLE_NAMES.get(role, role))
    app.state.store = store
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=str(web_dir() / "static")), name="static")
    _errors(app, templates)
    _signin(app, settings, secret)
    add_limits(app, settings.rate_limit_per_minute, settings.max_body_bytes)
    add_security_headers(app)  # added last, so it runs first: its headers go on every response, 4xx too
    for router in ROUTERS:
        app.include_router(router)
    return app


def app_for(settings: Settings) -> FastAPI:
    """The app of one worker process: opens the index its settings name and warms up before it takes
    requests. `assistant serve --workers N` hands each worker its Settings through this factory."""
    a = Assistant.open(settings.data_dir(), settings=settings, build=False,
                       generator=generator_for(settings.llm_url, settings.llm_model))
    a.warm_up()
    return create_app(settings.data_dir(), settings.db, assistant=a, settings=settings)


def app_from_env() -> FastAPI:
    """App factory for an ASGI server run by hand (`uvicorn --factory assistant.api.app:app_from_env`):
    the deployment's settings from its environment (ASSISTANT_DATA, ASSISTANT_DB, ASSISTANT_LLM_URL …)."""
    return app_for(Settings())
