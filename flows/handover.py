"""Handing a command's flow to the ``scc serve`` running beside it.

A state-changing command runs a flow. Run in the command's own process, that means
importing Prefect and, without a Prefect server, starting a temporary one: seconds before
anything happens. While ``scc serve`` runs on the same database it has Prefect loaded and a
server to report to, so the command hands the flow over and prints what comes back; the
records are those the command would have made itself (the server runs the same flow).

``scc serve`` writes ``scc-serve.json`` in the database's data folder, readable by its own
account only, with its process id, its address, the database's id and a secret made at
each start. A command that can read the file runs under the same account, which could open
the database anyway, so the secret is all the server asks. A file left by a server that has
gone (its process is dead, or nothing answers) is passed over and the command runs its flow
itself, as it does with no server.

Only the standard library is imported here: this is on every state-changing command's path.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.errors import CaseworkError

__all__ = ["LINK_FILE", "SECRET_HEADER", "Link", "ServerGone", "hand_over", "publish", "running_link"]

LINK_FILE = "scc-serve.json"
SECRET_HEADER = "X-SCC-Link"
# Long enough for a whole stage's letters or the demo; the server bounds nothing else.
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Link:
    """Where the server beside this command listens, and the secret it asks for."""

    url: str
    secret: str


class ServerGone(Exception):
    """Nothing answered at the recorded address: the command runs the flow itself."""


def publish(folder: Path, url: str, database: str, secret: str) -> Path:
    """Record this process as the server of ``database`` in its data ``folder``; returns the
    file, which the server removes when it stops."""
    from models.db.installation import write_private

    path = folder / LINK_FILE
    write_private(path, json.dumps({"pid": os.getpid(), "url": url, "database": database, "secret": secret}).encode())
    return path


def running_link(folder: Path, database: str | None) -> Link | None:
    """The link of a live ``scc serve`` of this database, if one is recorded in ``folder``."""
    from flows.runtime import alive

    try:
        found = json.loads((folder / LINK_FILE).read_text(encoding="utf-8"))
        pid, url, secret, served = int(found["pid"]), str(found["url"]), str(found["secret"]), found["database"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Link(url=url, secret=secret) if served == database and alive(pid) else None


def hand_over(link: Link, flow: str, parameters: dict[str, Any]) -> Any:
    """Run the flow on the server: its result as JSON data; a refusal raised as the one-line
    ``CaseworkError`` the command would have printed; ``ServerGone`` if nothing answers."""
    body = json.dumps({"parameters": parameters}, default=str).encode()
    request = urllib.request.Request(f"{link.url}/api/local/flows/{flow}", data=body, method="POST",
                                     headers={"Content-Type": "application/json", SECRET_HEADER: link.secret})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - the server's own address
            return json.loads(answer.read())
    except urllib.error.HTTPError as refusal:
        try:
            detail = str(json.loads(refusal.read()).get("detail") or "")
        except (ValueError, AttributeError):
            detail = ""
        raise CaseworkError(detail or f"the scc serve beside this command answered {refusal.code}: see its log") from None
    except TimeoutError:
        raise CaseworkError(f"the scc serve beside this command did not answer within {TIMEOUT_SECONDS} s: see its log, "
                            "where the flow may still finish") from None
    except (urllib.error.URLError, ConnectionError):
        raise ServerGone from None
