"""What every request meets first, before the CSRF check, the session or any route reads it.

A plain ASGI layer, outermost, so that nothing behind it does work for a request that will
be refused:

- **An id and a log line**: each request gets an id (``X-Request-ID``, kept when the client
  sent a sane one), repeated in the answer and in one JSON line of the request log.
- **Limits before parsing**: a body larger than ``BODY_LIMIT`` (``UPLOAD_LIMIT`` for a file
  upload) is refused with 413 from its ``Content-Length``, or as soon as that many bytes have
  arrived when it gives none (ASVS 12.1.1, 13.1.3).
- **Who, before what**: a request carrying a body must come from someone signed in (a page
  session) or acting through the API (a token, or the terminal beside the server); otherwise
  it is answered 401 (API) or sent to sign in (pages) before a byte of the body is read. The
  person found is kept in the request's state, so the route does not look them up again.
- **A bearer token only for the API**: the ``Authorization`` header is removed from every
  request for a page, so it neither signs anyone in there nor skips the CSRF check.
- **Malformed bodies** (bad UTF-8, a multipart body without its boundary) are answered 400
  with the request id and logged; nothing unforeseen reaches the client as a stack trace.
- **Headers on every answer**: the security headers, ``Cache-Control: no-store`` on all but
  the assets, the logo and the calendar feeds, and HSTS when served over TLS.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from python_multipart.exceptions import FormParserError
from starlette.requests import Request
from starlette.routing import BaseRoute

from models.services.access import Viewer
from web.errors import unexpected
from web.pages import error_page

__all__ = ["BODY_LIMIT", "CACHEABLE", "HEADERS", "UPLOAD_LIMIT", "Edge", "no_body"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_LIMIT = 1_000_000  # a form or a JSON body: reasons and evidence of a few pages fit many times over
UPLOAD_LIMIT = 5_000_000 + 64_000  # a CSV upload of at most 5 MB, and the form around it
WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The forms posted by someone not yet signed in: signing in, asking for a password link, and
# choosing a password through one (``/set-password/<one-time secret>``).
OPEN_TO_ALL = frozenset({"/sign-in", "/forgotten-password"})
OPEN_PREFIX = "/set-password/"
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
# What a browser or a proxy may keep: the assets, the logo, and a calendar feed (which says
# for how long itself). Everything else names schools, staff or pupils.
CACHEABLE = ("/assets/", "/logo", "/ics/")
HEADERS = {
    "content-security-policy": CSP,
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}
# What a malformed body makes the parsers behind this layer raise.
MALFORMED = (UnicodeDecodeError, FormParserError, IndexError, AssertionError)

requests_log = logging.getLogger("scc.web.requests")


class BodyTooLarge(BaseException):
    """More of a body arrived than its limit allows. A ``BaseException``, so that no parser
    behind this layer (FastAPI answers any failure to read a body with its own 400) can turn
    it into something else on its way back here."""


class Edge:
    """The outermost layer of ``scc serve``'s application (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute], secure: bool,
                 api_viewer: Callable[[Scope], Viewer | None], page_viewer: Callable[[str], Viewer | None],
                 session_cookie: str) -> None:
        self.app, self.secure = app, secure
        self.routes = routes  # the application's, for whoever lists them (the security tests visit every one)
        self.api_viewer, self.page_viewer, self.session_cookie = api_viewer, page_viewer, session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, path = time.perf_counter(), scope.get("path", "")
        given = _header(scope, b"x-request-id")
        request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        api = path.startswith("/api/")
        if not api:  # a bearer token authenticates the API only: on a page it is nothing
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"authorization"]
        sent = {"status": 0, "logged": False}

        def log_line() -> None:
            """One line per request, written before the answer's last part leaves: a client
            that has its answer can rely on the line being in the log."""
            if not sent["logged"]:
                sent["logged"] = True
                requests_log.info(json.dumps({"request_id": request_id, "method": scope.get("method"), "path": path,
                                              "status": sent["status"] or 500,
                                              "ms": round((time.perf_counter() - started) * 1000, 1)}))

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                extra = {"x-request-id": request_id, **HEADERS}
                if not path.startswith(CACHEABLE):
                    extra["cache-control"] = "no-store"  # pages, letters and the API name pupils and staff
                if self.secure:
                    extra["strict-transport-security"] = "max-age=31536000"
                headers += [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in have]
                message["headers"] = headers
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                log_line()
            await send(message)

        try:
            refusal = await self._refusal(scope, api)
            if refusal is not None:
                await _answer(scope, stamped, *refusal)
            else:
                await self.app(scope, _counted(receive, _limit(scope)), stamped)
        except BodyTooLarge:
            if not sent["status"]:
                await _answer(scope, stamped, 413, f"the request is larger than {_limit(scope) // 1_000_000} MB: send less")
        except MALFORMED as error:
            requests_log.warning(json.dumps({"request_id": request_id, "path": path, "malformed": type(error).__name__}))
            if not sent["status"]:
                await _answer(scope, stamped, 400, f"the request could not be read ({type(error).__name__}): send it again as "
                                            f"a form or as JSON in UTF-8 (request {request_id})")
        except Exception as error:
            if sent["status"]:
                raise
            await _answer(scope, stamped, 500, unexpected(error, request_id))
        finally:
            log_line()

    async def _refusal(self, scope: Scope, api: bool) -> tuple[int, str, dict[str, str]] | None:
        """Why a request is refused before its body is read, or None."""
        if scope.get("method") not in WITH_BODY:
            return None
        length = _header(scope, b"content-length")
        if length and (not length.isdigit() or int(length) > _limit(scope)):
            return 413, f"the request is larger than {_limit(scope) // 1_000_000} MB: send less", {}
        if api:
            viewer = await anyio.to_thread.run_sync(self.api_viewer, scope)
            if viewer is None:
                return 401, "a valid API token is needed: send Authorization: Bearer <token from scc token create>", \
                    {"www-authenticate": "Bearer"}
        elif scope.get("path") in OPEN_TO_ALL or str(scope.get("path", "")).startswith(OPEN_PREFIX):
            return None
        else:
            cookie = SimpleCookie()
            try:
                cookie.load(_header(scope, b"cookie"))
            except Exception:  # noqa: BLE001 - an unreadable cookie header is no session
                cookie.clear()
            token = cookie[self.session_cookie].value if self.session_cookie in cookie else ""
            viewer = await anyio.to_thread.run_sync(self.page_viewer, token) if token else None
            if viewer is None:
                return 303, "", {"location": f"/sign-in?next={quote(scope.get('path', '/'))}"}
        scope["state"]["viewer"] = viewer
        return None


async def no_body() -> Message:
    """The ``receive`` of an answer given without reading the request (an error page)."""
    return {"type": "http.disconnect"}


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


def _limit(scope: Scope) -> int:
    return UPLOAD_LIMIT if _header(scope, b"content-type").startswith("multipart/form-data") else BODY_LIMIT


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive``, raising ``BodyTooLarge`` once more than ``limit`` bytes have come."""
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise BodyTooLarge
        return message

    return counting


async def _answer(scope: Scope, send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """One line: the error page for a browser, JSON for the API and scripts, or a redirect."""
    if detail and not scope.get("path", "").startswith("/api/") and "text/html" in _header(scope, b"accept"):
        await error_page(Request(scope), status, detail)(scope, no_body, send)
        return
    body = json.dumps({"detail": detail}).encode() if detail else b""
    fields = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    fields += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": fields})
    await send({"type": "http.response.body", "body": body})
