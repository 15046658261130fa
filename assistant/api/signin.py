"""Sign-in with OpenID Connect, and what each role may do.

Councils sign their staff in with Microsoft Entra ID or a similar OpenID Connect provider
(`ASSISTANT_OIDC_ISSUER`, `_OIDC_CLIENT_ID`, `_OIDC_CLIENT_SECRET`). Then every page and API call
but sign-in itself, health and static files needs a signed-in user; the user's role and authority
come from the users table (an admin sets them at /admin/users), else from the provider's claims
(`roles`, `authority` by default: Entra ID app roles), else practitioner with no authority.

Without a provider the app serves 127.0.0.1 only, as one local user who may do everything
(`assistant serve` refuses another address), and the pages say so.
"""
from __future__ import annotations

import hashlib

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from assistant.settings import Settings

ROLES = ("practitioner", "trainer", "policy_lead", "admin")
# what each role may do: chat (and its own history) is everyone's
GRANTS = {"practitioner": {"chat"}, "trainer": {"chat", "quiz"}, "policy_lead": {"chat", "coverage"},
          "admin": {"chat", "quiz", "coverage", "admin"}}
ROLE_NAMES = {"practitioner": "Practitioner", "trainer": "Trainer", "policy_lead": "Policy lead", "admin": "Administrator"}
OPEN_PATHS = ("/login", "/auth/callback", "/logout", "/healthz", "/readyz", "/static/")
SESSION_KEY = "user"


class Principal(BaseModel):
    """Who is signed in, and what they may do."""

    uid: str  # the id their history is kept under
    name: str
    role: str = "practitioner"
    authority: str | None = None  # their council: answers use its local documents by default
    local: bool = False  # the one local user of an app with no sign-in configured

    def may(self, capability: str) -> bool:
        return capability in GRANTS.get(self.role, set())


LOCAL_USER = Principal(uid="local-user", name="Local user (no sign-in configured)", role="admin", local=True)


def configured(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def principal_of(request: Request) -> Principal | None:
    """The signed-in user, the local user when sign-in is not configured, or None."""
    if not request.app.state.signin:
        return LOCAL_USER
    data = request.session.get(SESSION_KEY) if "session" in request.scope else None
    return Principal(**data) if data else None


def authority_of(request: Request) -> str | None:
    """The asker's council, whose local documents their answers use by default."""
    p = principal_of(request)
    return p.authority if p else None


def require(capability: str):
    """A route dependency: the signed-in user, who must be allowed `capability` (403 if not)."""

    def dependency(request: Request) -> Principal:
        p = principal_of(request)
        if p is None:
            raise HTTPException(401, "Sign in first.")
        if not p.may(capability):
            raise HTTPException(403, f"Your role ({ROLE_NAMES.get(p.role, p.role)}) does not give access to this page.")
        return p
    return dependency


def needs_signin(request: Request) -> bool:
    return request.app.state.signin and not request.url.path.startswith(OPEN_PATHS) and principal_of(request) is None


def user_id(issuer: str, sub: str) -> str:
    """A stable id for a provider's user: their history is kept under it, not under their email."""
    return "u" + hashlib.sha256(f"{issuer}|{sub}".encode()).hexdigest()[:40]


def register_provider(settings: Settings):
    """The provider's client (Authlib), found through its discovery document."""
    from authlib.integrations.starlette_client import OAuth

    oauth = OAuth()
    oauth.register("provider", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
                   server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
                   client_kwargs={"scope": settings.oidc_scopes})
    return oauth.provider


def _claim(claims: dict, name: str) -> str | None:
    value = claims.get(name)
    if isinstance(value, list):  # Entra ID sends app roles as a list
        value = next((v for v in value if v in ROLES), value[0] if value else None)
    return str(value) if value else None


router = APIRouter(include_in_schema=False)


@router.get("/login")
async def login(request: Request):
    if not request.app.state.signin:
        return RedirectResponse("/", status_code=303)
    return await request.app.state.signin.authorize_redirect(request, str(request.url_for("auth_callback")))


@router.get("/auth/callback", name="auth_callback")
async def auth_callback(request: Request):
    from authlib.integrations.base_client import OAuthError

    provider, settings = request.app.state.signin, request.app.state.settings
    if not provider:
        return RedirectResponse("/", status_code=303)
    try:
        token = await provider.authorize_access_token(request)
    except OAuthError as exc:
        raise HTTPException(401, f"Sign-in failed: {exc.description or exc.error}")
    claims = dict(token.get("userinfo") or {})
    uid = user_id(settings.oidc_issuer, claims["sub"])
    name = claims.get("name") or claims.get("email") or claims["sub"]
    role = _claim(claims, settings.oidc_role_claim)
    user = request.app.state.store.sign_in(uid, name, role if role in ROLES else None,
                                           _claim(claims, settings.oidc_authority_claim))
    request.session[SESSION_KEY] = Principal(uid=uid, name=name, role=user["role"], authority=user["authority"]).model_dump()
    return RedirectResponse(request.session.pop("next", "/"), status_code=303)


@router.get("/logout")
def logout(request: Request):
    if "session" in request.scope:
        request.session.clear()
    return RedirectResponse("/login" if request.app.state.signin else "/", status_code=303)
