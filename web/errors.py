"""What a browser or an API client is told when something goes wrong: one line, never a
stack trace.

A refusal the user can act on (``CaseworkError``) keeps its message and gets a 4xx; any
other failure is logged with its traceback under a short error id, and the user is given
the id to quote.
"""

from __future__ import annotations

import logging
import secrets

from models.errors import (
    CaseChanged,
    CaseworkError,
    ConfigError,
    DatabaseNotReady,
    DocumentAltered,
    GuardFailed,
    IllegalAction,
    InvalidInput,
    NotFound,
    NotPermitted,
    OutsideKnownTerms,
    Unavailable,
)

__all__ = ["status_of", "unexpected"]

log = logging.getLogger("scc.web")


def status_of(error: CaseworkError) -> int:
    """The HTTP status of a refusal."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, NotPermitted):
        return 403
    if isinstance(error, CaseChanged | DocumentAltered):
        return 409
    if isinstance(error, InvalidInput | IllegalAction | GuardFailed | OutsideKnownTerms):
        return 422
    if isinstance(error, ConfigError | DatabaseNotReady | Unavailable):
        return 503
    return 422


def unexpected(error: BaseException, reference: str | None = None) -> str:
    """Log a failure nobody foresaw with its traceback under the request's id (or a new
    one); returns the line the user sees, quoting that id."""
    reference = reference or secrets.token_hex(8)
    log.error("error %s", reference, exc_info=error)
    return f"something went wrong on the server (error {reference}): try again, and quote {reference} if it happens again"
