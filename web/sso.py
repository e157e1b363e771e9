"""Single sign-on: staff sign in with their council account through OpenID Connect.

The authorisation code flow with PKCE, by Authlib: ``/sign-in/sso`` sends the browser to the
provider (Microsoft Entra ID, or any OpenID provider) with a fresh state, nonce and code
challenge kept in the signed session; ``/sign-in/sso/callback`` exchanges the code, checks
the ID token (signature, issuer, audience, nonce) and signs in the member of staff whose
email the token carries. The provider proves who someone is; what they may do is the role
on record here, so a person unknown here, or not staff, is refused.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, Request
from fastapi.responses import Response

from models.errors import NotFound
from models.messages import N_
from models.services.accounts import SignInRefused
from models.services.signing_in import sign_in_by_provider
from models.settings.sign_in import SignInSettings, sign_in_settings
from web.language import Said, refusal
from web.pages import local_path, render, start_session

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=4)
def _client(issuer: str, client_id: str, client_secret: str | None) -> Any:
    """The provider's client, made once per configuration (it keeps the provider's metadata
    and signing keys between sign-ins)."""

    registry = OAuth()
    registry.register("council", server_metadata_url=f"{issuer}/.well-known/openid-configuration", client_id=client_id,
                      client_secret=client_secret,
                      client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"})
    return registry.create_client("council")


def _configured() -> tuple[SignInSettings, Any]:
    settings = sign_in_settings()
    if settings.issuer is None or settings.client_id is None:
        raise NotFound(N_("single sign-on is not set up here: sign in with your email address and password"))
    return settings, _client(settings.issuer, settings.client_id, settings.client_secret)


@router.get("/sign-in/sso")
async def start(request: Request, next: str = "/") -> Response:
    """Off to the provider; it sends the browser back to the callback."""
    _, client = _configured()
    request.session["sso_next"] = local_path(next)
    redirect: Response = await client.authorize_redirect(request, str(request.url_for("sso_callback")))
    return redirect


@router.get("/sign-in/sso/callback", name="sso_callback")
async def callback(request: Request) -> Response:
    """Back from the provider: sign in the member of staff it vouches for, or say why not."""
    settings, client = _configured()
    target = local_path(str(request.session.pop("sso_next", "/")))
    try:
        token = await client.authorize_access_token(request)
    except OAuthError as error:
        reason = error.description or error.error or "it did not say who you are"
        return _refused(request, settings, f"{settings.provider_name} did not sign you in ({reason}): try again")
    claims = token.get("userinfo") or {}
    email = str(claims.get("email") or claims.get("preferred_username") or "")
    refused: Said | None = None
    token = None
    try:
        token = sign_in_by_provider(email)
    except SignInRefused as error:
        refused = refusal(error)
    if refused is not None or token is None:
        return _refused(request, settings, refused or "")
    request.session.clear()
    return start_session(request, token, target)


def _refused(request: Request, settings: SignInSettings, reason: str | Said) -> Response:
    request.session.clear()
    return render(request, "sign_in.html", 403, next="/", error=reason, email="", viewer=None, sign_in=settings,
                  error_at="single-sign-on")
