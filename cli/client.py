"""Where a command's answer comes from: the REST API of the ``scc serve`` beside it, or the
use case run in this process.

Beside a running ``scc serve`` on the same database (``models.settings.server_link``) a
command calls ``/api/v1`` as the person at this terminal (``--as``, else ``SCC_USER``) with
the secret the server recorded for this account, and prints the answer here: the server has
the database, the playbooks and Prefect loaded, so the command answers in a fraction of the
time it would take to load them. With no server, or one that does not answer, the command
runs the same use case itself. Either way the data printed is the same JSON shape.

Use cases are imported inside the functions given to ``answer``: a command answered by the
server never loads them (start-up time; ``benchmarks/web.py`` measures it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from cli.output import plain
from models.errors import CaseworkError
from models.settings.environment import database_url
from models.settings.server_link import LINK_HEADER, USER_HEADER, Link, running_link

if TYPE_CHECKING:
    from models.services.access import Viewer

__all__ = ["answer"]

# Long enough for a whole stage's letters or the demo; the server bounds nothing else.
TIMEOUT_SECONDS = 600


class _ServerGone(Exception):
    """Nothing answered at the recorded address: the command runs the use case itself."""


def _call(link: Link, as_: str | None, method: str, path: str, **request: Any) -> Any:
    headers = {LINK_HEADER: link.secret, USER_HEADER: as_ or os.environ.get("SCC_USER") or ""}
    try:
        response = httpx.request(method, f"{link.url}/api/v1{path}", headers=headers, timeout=TIMEOUT_SECONDS, **request)
    except httpx.TimeoutException:
        raise CaseworkError(f"the scc serve beside this command did not answer within {TIMEOUT_SECONDS} s: see its log, "
                            "where the change may still finish") from None
    except httpx.TransportError:
        raise _ServerGone from None
    if response.status_code == 401:
        raise CaseworkError("the scc serve beside this command did not accept its link (it was restarted since): run the command again")
    if response.status_code >= 400:
        try:
            detail = str(response.json().get("detail") or "")
        except ValueError:
            detail = ""
        raise CaseworkError(detail or f"the scc serve beside this command answered {response.status_code}: see its log")
    return response.json()


def answer(local: Callable[[Viewer], Any], method: str, path: str, as_: str | None = None, **request: Any) -> Any:
    """The JSON-ready answer to one request of the API: from the server beside this command,
    else ``local`` (the same use case) run here as the person at this terminal."""
    link = running_link(database_url())
    if link is not None:
        try:
            return _call(link, as_, method, path, **request)
        except _ServerGone:
            pass
    from models.services.access import terminal_viewer

    return plain(local(terminal_viewer(as_)))

