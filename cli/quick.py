"""The ``scc`` command's first step: a read-only command typed beside a running ``scc serve``
is answered by the server.

A command's own process spends most of a second loading the database layer and the command
line's libraries before it reads anything. The server has them loaded, so for the commands
that only read (``READ_ONLY``) this process imports the standard library alone, sends the
words typed to the server (``flows.handover``), and prints what comes back: what the command
would have printed here, laid out for this terminal. Everything else runs here as ever
(``cli.main``): any other command, no server for this database, a server that cannot answer
exactly as this process would (another configuration folder, data folder or business
date), or a server that does not answer.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["READ_ONLY", "main", "read_only", "settings_seen"]

# Commands that change nothing and name no file of the terminal's folder.
READ_ONLY = frozenset({
    ("case", "show"), ("case", "list"), ("case", "actions"), ("deadlines",), ("school", "list"), ("person", "list"),
    ("doc", "list"), ("doc", "kinds"), ("outbox", "list"), ("audit", "verify"), ("calendar", "check"), ("concerns", "list"),
})


def read_only(argv: list[str]) -> bool:
    """Whether the words typed are a read-only command (help is printed here)."""
    if any(word in ("--help", "-h") for word in argv):
        return False
    return tuple(argv[:1]) in READ_ONLY or tuple(argv[:2]) in READ_ONLY


def settings_seen() -> dict[str, str | None]:
    """What, beside the database, shapes a read-only command's answer in this process."""

    def folder(name: str) -> str | None:
        value = os.environ.get(name)
        return str(Path(value).resolve()) if value else None

    return {"SCC_CONFIG_DIR": folder("SCC_CONFIG_DIR"), "SCC_DATA_DIR": folder("SCC_DATA_DIR"),
            "SCC_TODAY": os.environ.get("SCC_TODAY") or None, "date": date.today().isoformat()}


def _terminal() -> dict[str, Any]:
    """This terminal's width and colours, found as the command's own console would find them."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else 0
    for descriptor in (0, 1, 2):
        if width:
            break
        try:
            width = os.get_terminal_size(descriptor).columns
        except OSError:
            continue
    term = os.environ.get("TERM", "").lower()
    colours = None
    if sys.stdout.isatty() and term not in ("dumb", "unknown"):
        truecolour = os.environ.get("COLORTERM", "").lower() in ("truecolor", "24bit")
        colours = "truecolor" if truecolour else "256" if term.endswith("256color") else "standard"
    return {"width": width or 80, "colours": colours, "no_color": bool(os.environ.get("NO_COLOR"))}


def _answered_by_server(argv: list[str]) -> int | None:
    """The exit code of the command answered by the ``scc serve`` beside it, after printing
    its answer; None when it is to run here."""
    if not read_only(argv):
        return None
    from flows.handover import ServerGone, post, running_link
    from models.errors import CaseworkError
    from models.settings.environment import database_url

    try:
        link = running_link(database_url())
        if link is None:
            return None
        answer = post(link, "commands", {"argv": argv, "settings": settings_seen(), "terminal": _terminal()})
        out, err, code = str(answer["out"]), str(answer["err"]), int(answer["code"])
    except (CaseworkError, ServerGone, OSError, KeyError, TypeError, ValueError):
        return None  # read-only: running it here instead is always right
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


def main() -> None:
    """``scc``: answered by the server beside it when it can be, else run here."""
    code = _answered_by_server(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from cli.main import app

    app()
