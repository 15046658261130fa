"""Response headers every page and API answer carries: no sniffing, no framing, no referrer sent
to other sites, and a content security policy that lets the pages run only their own scripts."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.api.auth import cross_site

# styles may be inline (the coverage heat map colours its cells); scripts, frames, forms, fonts and
# images come from this site only; the chat's script is /static/app.js
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request, call_next):
        if cross_site(request):  # another site's page may not change anything here
            response = JSONResponse({"detail": "Requests from other sites are not accepted."}, status_code=403)
        else:
            response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
