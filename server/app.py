"""The one ASGI application ``scc serve`` runs: the web pages and the REST API put together,
with their assets. The two never import each other; this is where they meet.

Layers, outermost first:
- CSRF (``asgi-csrf``, double-submit cookie): every form POST of the pages carries the
  token; the API, authenticated by bearer tokens rather than cookies, is exempt.
- ``server.edge.Edge``, outermost: request ids and the request log, body limits and who is
  acting before any body is read, the security headers (see its docstring).
- CSRF (``asgi-csrf``, double-submit cookie): every form POST of the pages carries the
  token, the sign-in form included; the API, authenticated by bearer tokens rather than
  cookies, is exempt.
- Starlette's ``SessionMiddleware`` keeps only the state of a single sign-on round trip; who
  is signed in is the server-side session in the ``scc_session`` cookie (``web.pages``).
- Error handlers: a refusal is one line with its status; anything else is logged with an
  error id and never shows a stack trace.

Assets (GOV.UK Frontend, MOJ Frontend, Swagger UI) are served from ``node_modules``,
installed by ``npm ci`` from the committed lock file: nothing comes from a CDN.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
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
from starlette.routing import BaseRoute, Route

from api.routes import api_viewer
from api.routes import router as api_router
from models.errors import CaseworkError
from models.services.access import session_viewer
from models.services.installation import session_key
from server.edge import Edge, no_body
from web.errors import status_of, unexpected
from web.feeds import router as feed_router
from web.language import Said, refusal
from web.pages import SESSION_COOKIE, SignInNeeded, error_page
from web.pages import router as page_router
from web.sso import router as sso_router

__all__ = ["ASSETS", "create_app", "session_secret"]

requests_log = logging.getLogger("scc.web.requests")

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
ASSETS = ROOT / "web" / "assets"  # the pages' own script and styles

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
    app.add_middleware(SessionMiddleware, secret_key=session_secret, session_cookie="scc_sign_in", max_age=15 * 60,
                       same_site="lax", https_only=secure)

    @app.exception_handler(SignInNeeded)
    async def to_sign_in(request: Request, error: SignInNeeded) -> Response:
        return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(CaseworkError)
    async def refused(request: Request, error: CaseworkError) -> Response:
        return _error_response(request, status_of(error), str(error), refusal(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 400:  # the framework could not read the body
            return _malformed(request)
        return _error_response(request, error.status_code, str(error.detail), headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        if first.get("type") == "json_invalid":  # a malformed body, not a wrong value
            return _malformed(request)
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
    checked = asgi_csrf(app, signing_secret=session_secret, cookie_secure=secure, always_set_cookie=True,
                        always_protect=_Pages(), skip_if_scope=lambda scope: scope.get("path", "").startswith("/api/"),
                        send_csrf_failed=_csrf_failed)
    return Edge(checked, routes=_every_route(app.routes), secure=secure, api_viewer=lambda scope: api_viewer(scope, link_secret),
                page_viewer=session_viewer, session_cookie=SESSION_COOKIE)


def _every_route(routes: Sequence[BaseRoute], prefix: str = "") -> list[BaseRoute]:
    """The application's routes one by one: FastAPI keeps each included router as one entry
    (``original_router``, with the prefix it was included under), whose routes are listed here."""
    found: list[BaseRoute] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found += _every_route(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))
        elif prefix and isinstance(route, Route):
            found.append(Route(prefix + route.path, route.endpoint, methods=list(route.methods or ())))
        else:
            found.append(route)
    return found


class _Pages:
    """Every path but the API's, for ``asgi_csrf``'s ``always_protect``: a form posted with no
    cookie at all is checked too, so another site cannot sign a browser in as someone else
    (login CSRF)."""

    def __contains__(self, path: object) -> bool:
        return not str(path).startswith("/api/")


async def _csrf_failed(scope: Any, send: Any, message_id: Any) -> None:
    """A refused form says what to do, in one line, on the error page."""
    await error_page(Request(scope), 403, "this form has expired or came from another site: go back, reload the page "
                                          "and send it again")(scope, no_body, send)


def _malformed(request: Request) -> Response:
    """A body that cannot be read (not JSON, not UTF-8, a broken form): 400, logged, with the
    request's id to quote."""
    reference = getattr(request.state, "request_id", "-")
    requests_log.warning(json.dumps({"request_id": reference, "path": request.url.path, "malformed": "body"}))
    return _error_response(request, 400, f"the request could not be read: send it again as a form or as JSON in UTF-8 "
                                         f"(request {reference})")


def _error_response(request: Request, status: int, detail: str, said: Said | None = None,
                    headers: Mapping[str, str] | None = None) -> Response:
    """JSON for the API (in English), a page for a browser (in the page's language where the
    refusal is ``said``); one line either way."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": detail}, status_code=status, headers=dict(headers or {}))
    page: HTMLResponse = error_page(request, status, said or detail)
    return page
