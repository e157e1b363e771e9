"""``POST /api/local/flows/{name}``: a flow handed over by an ``scc`` command typed beside
this server (``flows.handover``), run here as the command would have run it.

Answered only with the secret ``scc serve`` wrote to the data folder at start-up, and not
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


@router.post("/flows/{name}")
def run_flow(request: Request, name: str, parameters: dict[str, Any] = Body(..., embed=True)) -> Any:
    """Run the named flow with the command's parameters; its result as the command's JSON."""
    expected: str | None = getattr(request.app.state, "link_secret", None)
    given = request.headers.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise NotPermitted("this command's link to scc serve is out of date (the server was restarted): run it again")
    from flows.catalog import FLOWS
    from flows.runtime import run

    if name not in FLOWS:
        raise NotFound(f"no flow named '{name}' here: this scc serve may be an older version than the command")
    if any(not isinstance(key, str) for key in parameters):
        raise InvalidInput("the flow's parameters must be named")
    return jsonable_encoder(run(name, **parameters))
