"""Handing a command's flow to the ``scc serve`` running beside it.

A state-changing command runs a flow. Run in the command's own process, that means
importing Prefect and, without a Prefect server, starting a temporary one: seconds before
anything happens. While ``scc serve`` runs on the same database it has Prefect loaded and a
server to report to, so the command hands the flow over and prints what comes back; the
records are those the command would have made itself (the server runs the same flow).

``scc serve`` records itself in a file named after its database URL, in this account's
runtime folder (``$XDG_RUNTIME_DIR/scc-casework``, else ``scc-casework-<uid>`` in the
temporary folder), readable by its own account only: its process id, its address, the
database's id and a secret made at each start. A command finds the file from the database
URL alone, before it opens the database, so a read-only command can be answered by the
server without loading the database layer at all (``cli.quick``). A command that can read
the file runs under the same account, which could open the database anyway, so the secret
is all the server asks; a file or folder owned by another account is ignored. A file left
by a server that has gone (its process is dead, or nothing answers) is passed over and the
command runs itself, as it does with no server.

Only the standard library is imported here: this is on every command's path.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.errors import CaseworkError

__all__ = ["SECRET_HEADER", "Link", "ServerGone", "hand_over", "link_file", "post", "publish", "running_link"]

SECRET_HEADER = "X-SCC-Link"
# Long enough for a whole stage's letters or the demo; the server bounds nothing else.
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Link:
    """Where the server beside this command listens, and the secret it asks for."""

    url: str
    secret: str
    database: str


class ServerGone(Exception):
    """Nothing answered at the recorded address: the command runs the flow itself."""


def link_file(database_url: str) -> Path:
    """Where the ``scc serve`` of this database records itself (the file may not exist)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / "scc-casework" if runtime else Path(tempfile.gettempdir()) / f"scc-casework-{os.getuid()}"
    return folder / f"serve-{hashlib.sha256(database_url.encode()).hexdigest()[:24]}.json"


def publish(database_url: str, url: str, database: str, secret: str) -> Path:
    """Record this process as the server of the database at ``database_url``; returns the
    file, which the server removes when it stops."""
    from models.db.installation import write_private

    path = link_file(database_url)
    write_private(path, json.dumps({"pid": os.getpid(), "url": url, "database": database, "secret": secret}).encode())
    return path


def running_link(database_url: str) -> Link | None:
    """The link of a live ``scc serve`` of this database, if this account has one recorded."""
    from flows.runtime import alive  # the standard library only

    path = link_file(database_url)
    try:
        if path.parent.stat().st_uid != os.getuid() or path.stat().st_uid != os.getuid():
            return None
        found = json.loads(path.read_text(encoding="utf-8"))
        pid, url, secret, database = int(found["pid"]), str(found["url"]), str(found["secret"]), str(found["database"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Link(url=url, secret=secret, database=database) if alive(pid) else None


def post(link: Link, path: str, body: dict[str, Any]) -> Any:
    """POST ``body`` to the server's local door; its JSON answer. A refusal is raised as the
    one-line ``CaseworkError`` the command would have printed; ``ServerGone`` if nothing answers."""
    request = urllib.request.Request(f"{link.url}/api/local/{path}", data=json.dumps(body, default=str).encode(),
                                     method="POST", headers={"Content-Type": "application/json", SECRET_HEADER: link.secret})
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


def hand_over(link: Link, flow: str, parameters: dict[str, Any]) -> Any:
    """Run the flow on the server: its result as JSON data (see ``post``)."""
    return post(link, f"flows/{flow}", {"parameters": parameters})
