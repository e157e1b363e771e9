"""How an ``scc`` command finds the ``scc serve`` running beside it on the same database.

``scc serve`` records itself in a file named after its database URL, in this account's
runtime folder (``$XDG_RUNTIME_DIR/scc-casework``, else ``scc-casework-<uid>`` in the
temporary folder), readable by its own account only: its process id, its address, the
database's id, a secret made at each start, and the settings that shape its answers (the
configuration and data folders, ``SCC_TODAY``). A command finds the file from the database
URL alone, before it opens the database, and then calls the REST API as the person at the
terminal with the secret (``api.routes``). A command that can read the file runs under the
same account, which could open the database anyway, so the secret is all the server asks;
a file or folder owned by another account is ignored, and so is a file left by a server
that has gone.

Only the standard library is imported here: it is on every command's path.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["LINK_HEADER", "USER_HEADER", "Link", "alive", "link_file", "publish", "running_link", "settings_seen"]


# How a command beside the server says who it is to the API: the server's secret, and the
# person at the terminal (``api.routes`` reads them, ``cli.client`` sends them).
LINK_HEADER = "X-SCC-Link"
USER_HEADER = "X-SCC-As"


@dataclass(frozen=True)
class Link:
    """Where the server beside this command listens, and what it asks and answers with."""

    url: str
    secret: str
    database: str
    settings: dict[str, str | None]


def alive(pid: int) -> bool:
    """Whether a process of this machine is still running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def settings_seen() -> dict[str, str | None]:
    """What, beside the database, shapes an answer: a command and a server answer alike only
    when these are the same for both."""

    def folder(name: str) -> str | None:
        value = os.environ.get(name)
        return str(Path(value).resolve()) if value else None

    return {"SCC_CONFIG_DIR": folder("SCC_CONFIG_DIR"), "SCC_DATA_DIR": folder("SCC_DATA_DIR"),
            "SCC_TODAY": os.environ.get("SCC_TODAY") or None, "date": date.today().isoformat()}


def link_file(database_url: str) -> Path:
    """Where the ``scc serve`` of this database records itself (the file may not exist)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / "scc-casework" if runtime else Path(tempfile.gettempdir()) / f"scc-casework-{os.getuid()}"
    return folder / f"serve-{hashlib.sha256(database_url.encode()).hexdigest()[:24]}.json"


def publish(database_url: str, url: str, database: str, secret: str) -> Path:
    """Record this process as the server of the database at ``database_url``; returns the
    file, which the server removes when it stops."""
    path = link_file(database_url)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    record = {"pid": os.getpid(), "url": url, "database": database, "secret": secret, "settings": settings_seen()}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(record, file)
    os.chmod(path, 0o600)
    return path


def running_link(database_url: str) -> Link | None:
    """The link of a live ``scc serve`` of this database that answers as this process would
    (the same settings, the same day), if this account has one recorded."""
    path = link_file(database_url)
    try:
        if path.parent.stat().st_uid != os.getuid() or path.stat().st_uid != os.getuid():
            return None
        found = json.loads(path.read_text(encoding="utf-8"))
        pid, url, secret, database = int(found["pid"]), str(found["url"]), str(found["secret"]), str(found["database"])
        settings = dict(found["settings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not alive(pid) or settings != settings_seen():
        return None
    return Link(url=url, secret=secret, database=database, settings=settings)
