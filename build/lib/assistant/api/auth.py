"""Who is asking: an anonymous user id and a conversation id, each in an HTTP-only cookie."""
from __future__ import annotations

import re
import secrets

from fastapi import Request, Response

USER_COOKIE, CONV_COOKIE = "ffa_user", "ffa_conv"


def user_of(request: Request) -> tuple[str, bool]:
    """The user id of the request's cookie, or a new one (True: it must be set)."""
    uid = request.cookies.get(USER_COOKIE)
    if uid and re.fullmatch(r"[A-Za-z0-9_-]{16,64}", uid):
        return uid, False
    return secrets.token_urlsafe(18), True


def new_conversation() -> str:
    return secrets.token_urlsafe(9)


def conversation_of(request: Request) -> str:
    conv = request.cookies.get(CONV_COOKIE)
    return conv if conv and re.fullmatch(r"[A-Za-z0-9_-]{8,64}", conv) else new_conversation()


def set_cookies(resp: Response, uid: str, conv: str | None = None) -> Response:
    resp.set_cookie(USER_COOKIE, uid, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    if conv:
        resp.set_cookie(CONV_COOKIE, conv, max_age=30 * 24 * 3600, httponly=True, samesite="lax")
    return resp
