"""Who is asking, and that it is really them.

Each browser gets a user id and a conversation id in HTTP-only cookies. The server signs the ids
it issues (HMAC-SHA256 with the deployment's secret), so a cookie holding an id it never issued
is ignored and a new one given. Every state-changing form carries a CSRF token derived from the
user id; a POST without the right one is refused, and so is any state-changing request another
site's page sends (its Origin or Sec-Fetch-Site says so).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from fastapi import HTTPException, Request, Response
from markupsafe import Markup

from assistant.api.signin import principal_of

USER_COOKIE, CONV_COOKIE = "ffa_user", "ffa_conv"
_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def load_secret(data_dir: Path, configured: str | None = None) -> bytes:
    """The signing secret: the configured one, else one made once and kept (0600) in the data folder,
    so that sessions outlive a restart."""
    if configured:
        return configured.encode()
    path = Path(data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class Identity:
    def __init__(self, secret: bytes, secure_cookies: bool = False):
        self.secret, self.secure = secret, secure_cookies

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def sign(self, purpose: str, value: str) -> str:
        return f"{value}.{self._mac(purpose, value)}"

    def unsign(self, purpose: str, signed: str | None) -> str | None:
        value, _, mac = (signed or "").rpartition(".")
        ok = value and _ID.fullmatch(value) and hmac.compare_digest(mac, self._mac(purpose, value))
        return value if ok else None

    def csrf_token(self, uid: str) -> str:
        return self._mac("csrf", uid)


def _identity(request: Request) -> Identity:
    return request.app.state.identity


def user_of(request: Request) -> tuple[str, bool]:
    """The signed-in user's id; without sign-in, the user id of the request's signed cookie, or a new
    one (True: it must be set)."""
    signed_in = principal_of(request)
    if signed_in is not None and not signed_in.local:
        request.state.uid = signed_in.uid
        return signed_in.uid, False
    uid = _identity(request).unsign("user", request.cookies.get(USER_COOKIE))
    new = uid is None
    request.state.uid = uid = uid or secrets.token_urlsafe(18)
    return uid, new


def new_conversation() -> str:
    return secrets.token_urlsafe(9)


def conversation_of(request: Request) -> str:
    return _identity(request).unsign("conversation", request.cookies.get(CONV_COOKIE)) or new_conversation()


def set_cookies(request: Request, resp: Response, uid: str, conv: str | None = None) -> Response:
    ident = _identity(request)
    resp.set_cookie(USER_COOKIE, ident.sign("user", uid), max_age=365 * 24 * 3600, httponly=True, samesite="lax",
                    secure=ident.secure)
    if conv:
        resp.set_cookie(CONV_COOKIE, ident.sign("conversation", conv), max_age=30 * 24 * 3600, httponly=True,
                        samesite="lax", secure=ident.secure)
    return resp


def csrf_field(request: Request) -> Markup:
    """The hidden input every state-changing form of a page carries (templates: {{ csrf_field(request) }})."""
    uid = getattr(request.state, "uid", None) or user_of(request)[0]
    return Markup(f'<input type="hidden" name="csrf" value="{_identity(request).csrf_token(uid)}">')


def require_csrf(request: Request, uid: str, token: str) -> None:
    if not hmac.compare_digest(token or "", _identity(request).csrf_token(uid)):
        raise HTTPException(403, "This form has expired or did not come from this site: reload the page and try again.")


def cross_site(request: Request) -> bool:
    """A state-changing request sent by another site's page."""
    if request.method not in UNSAFE:
        return False
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    return bool(origin) and origin.split("://", 1)[-1] != request.headers.get("host", "")
