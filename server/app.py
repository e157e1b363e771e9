"""The one ASGI application ``scc serve`` runs: the web pages and the REST API put together,
with their assets. The two never import each other; this is where they meet.

Layers, outermost first:
- CSRF (``asgi-csrf``, double-submit cookie): every form POST of the pages carries the
  token; the API, authenticated by bearer tokens rather than cookies, is exempt.
- Signed session cookie (Starlette's ``SessionMiddleware``): HttpOnly, SameSite=Lax, and
  Secure when the site is served over TLS (``SCC_SECURE_COOKIES=1``, or behind a proxy
  that terminates TLS).
- Security headers on every response: a Content-Security-Policy with no inline script,
  ``frame-ancestors 'none'``, no referrer across sites, no MIME sniffing.
- Error handlers: a refusal is one line with its status; anything else is logged with an
  error id and never shows a stack trace.

Assets (GOV.UK Frontend, MOJ Frontend, Swagger UI) are served from ``node_modules``,
installed by ``npm ci`` from the committed lock file: nothing comes from a CDN.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from asgi_csrf import asgi_csrf
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from api.routes import router as api_router
from models.errors import CaseworkError
from models.services.installation import session_key
from web.errors import status_of, unexpected
from web.feeds import router as feed_router
from web.pages import SignInNeeded, error_page
from web.pages import router as page_router
from web.sso import router as sso_router

__all__ = ["ASSETS", "create_app", "session_secret"]

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
ASSETS = ROOT / "web" / "assets"  # the pages' own script and styles

# One JSON line per request (``scc serve`` logs them at INFO), carrying the request's id, which
# the response repeats in ``X-Request-ID`` and an error page quotes.
requests_log = logging.getLogger("scc.web.requests")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
# What a browser or a proxy may keep: the assets, the logo, and a calendar feed (which says
# for how long itself). Everything else names schools, staff or pupils.
CACHEABLE = ("/assets/", "/logo", "/ics/")
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def session_secret() -> str:
    """``SCC_SESSION_SECRET``, else the data folder's session key (``scc init`` makes it)."""
    return os.environ.get("SCC_SESSION_SECRET") or session_key().hex()


def _missing_assets() -> str | None:
    needed = [MODULES / "govuk-frontend" / "dist" / "govuk", MODULES / "@ministryofjustice" / "frontend" / "moj",
              MODULES / "swagger-ui-dist"]
    absent = [p for p in needed if not p.exists()]
    return f"the web assets are not installed ({absent[0]}): run npm ci in {ROOT}" if absent else None


def create_app(session_secret: str, secure_cookies: bool | None = None, link_secret: str | None = None) -> Any:
    """The application, wrapped in its CSRF layer. With ``link_secret`` the ``scc`` commands
    beside it may call the API as the person at their terminal (``api.routes``)."""

    problem = _missing_assets()
    if problem:
        raise RuntimeError(problem)
    secure = secure_cookies if secure_cookies is not None else os.environ.get("SCC_SECURE_COOKIES") == "1"
    app = FastAPI(title="SCC Casework", version="1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Cases of schools causing concern: the same use cases as the `scc` command line.")
    app.state.link_secret = link_secret
    app.add_middleware(SessionMiddleware, secret_key=session_secret, session_cookie="scc_session", max_age=12 * 3600,
                       same_site="lax", https_only=secure)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        started = time.perf_counter()
        given = request.headers.get("x-request-id", "")
        request.state.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        status = 500  # unless a response comes back: an unforeseen failure is answered further out
        try:
            response: Response = await call_next(request)
            status = response.status_code
        finally:
            requests_log.info(json.dumps({"request_id": request.state.request_id, "method": request.method,
                                          "path": request.url.path, "status": status,
                                          "ms": round((time.perf_counter() - started) * 1000, 1)}))
        response.headers["X-Request-ID"] = request.state.request_id
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith(CACHEABLE):
            response.headers.setdefault("Cache-Control", "no-store")  # pages, letters and the API name pupils and staff
        if secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.exception_handler(SignInNeeded)
    async def to_sign_in(request: Request, error: SignInNeeded) -> Response:
        return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(CaseworkError)
    async def refused(request: Request, error: CaseworkError) -> Response:
        return _error_response(request, status_of(error), str(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return _error_response(request, error.status_code, str(error.detail), error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error_response(request, 422, f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg")))

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> Response:
        reference = getattr(request.state, "request_id", None)
        answer = _error_response(request, 500, unexpected(error, reference))
        if reference:
            answer.headers["X-Request-ID"] = reference
        return answer

    app.include_router(api_router)
    app.include_router(feed_router)
    app.include_router(sso_router)
    app.include_router(page_router)
    app.mount("/assets/govuk", StaticFiles(directory=MODULES / "govuk-frontend" / "dist" / "govuk"), name="govuk")
    app.mount("/assets/moj", StaticFiles(directory=MODULES / "@ministryofjustice" / "frontend" / "moj"), name="moj")
    app.mount("/assets/swagger", StaticFiles(directory=MODULES / "swagger-ui-dist"), name="swagger")
    app.mount("/assets/scc", StaticFiles(directory=ASSETS), name="scc")
    return asgi_csrf(app, signing_secret=session_secret, cookie_secure=secure, always_set_cookie=True,
                     skip_if_scope=lambda scope: scope.get("path", "").startswith("/api/"))


def _error_response(request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    """JSON for the API, a page for a browser; one line either way."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": detail}, status_code=status, headers=dict(headers or {}))
    page: HTMLResponse = error_page(request, status, detail)
    return page
