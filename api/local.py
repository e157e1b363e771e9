"""The command line's door to the server beside it (``flows.handover``).

``POST /api/local/flows/{name}`` runs a flow handed over by an ``scc`` command, as the
command would have run it. ``POST /api/local/commands`` answers a read-only command
(``cli.quick``): the command runs here and its printed text goes back to the terminal.

Answered only with the secret ``scc serve`` recorded for this account at start-up, and not
listed in the API's documentation: it is the command line's door, not the public API's.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.encoders import jsonable_encoder

from flows.handover import SECRET_HEADER
from models.errors import InvalidInput, NotFound, NotPermitted

__all__ = ["router"]

router = APIRouter(prefix="/api/local", include_in_schema=False)


def _check_secret(request: Request) -> None:
    expected: str | None = getattr(request.app.state, "link_secret", None)
    given = request.headers.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise NotPermitted("this command's link to scc serve is out of date (the server was restarted): run it again")


@router.post("/flows/{name}")
def run_flow(request: Request, name: str, parameters: dict[str, Any] = Body(..., embed=True)) -> Any:
    """Run the named flow with the command's parameters; its result as the command's JSON."""
    _check_secret(request)
    from flows.catalog import FLOWS
    from flows.runtime import run

    if name not in FLOWS:
        raise NotFound(f"no flow named '{name}' here: this scc serve may be an older version than the command")
    if any(not isinstance(key, str) for key in parameters):
        raise InvalidInput("the flow's parameters must be named")
    return jsonable_encoder(run(name, **parameters))


@router.post("/commands")
def answer_command(request: Request, argv: list[str] = Body(...), settings: dict[str, str | None] = Body(...),
                   terminal: dict[str, Any] = Body(...)) -> dict[str, Any]:
    """Run a read-only command typed beside this server; what it printed and its exit code.
    Refused (and run by the command itself) when this process would not answer it exactly
    as the command's own would."""
    _check_secret(request)
    from cli.main import answer
    from cli.output import Terminal
    from cli.quick import read_only, settings_seen

    if not read_only(argv):
        raise InvalidInput("only the read-only commands are answered here: the command runs itself")
    if settings != settings_seen():
        raise InvalidInput("this server runs with another configuration folder, data folder or date: the command runs itself")
    try:
        shown = Terminal(width=int(terminal["width"]), colours=terminal.get("colours") or None,
                         no_color=bool(terminal.get("no_color")))
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("the terminal's width is missing: the command runs itself") from None
    out, err, code = answer(argv, shown)
    return {"out": out, "err": err, "code": code}
