"""How the product runs its flows: Prefect configured for a command-line tool.

Without ``PREFECT_API_URL`` Prefect starts a temporary local server for the process, whose
records live in ``PREFECT_HOME`` (``prefect/`` of the data folder by default), so
``prefect server start`` later shows every run made so far. With ``PREFECT_API_URL`` set
(``scc serve`` prints one; a shared Prefect server when scaled out) runs report there and a
command no longer pays the temporary server's start-up.

``scc serve`` starts a Prefect server for this ``PREFECT_HOME`` and records its address in
``scc-prefect-server.json`` there; while that server lives, every ``scc`` command run
beside it reports to it instead of starting its own.

Two settings matter for speed and output. Flow heartbeats are turned off for runs started
here: they exist to detect crashed runs on remote workers, and joining the heartbeat
thread costs about a second per flow. Prefect's console log is kept to errors the product
does not already report itself, so a refused action prints one line, not a traceback.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["alive", "configure", "run", "server_file"]


SERVER_FILE = "scc-prefect-server.json"


def alive(pid: int) -> bool:
    """Whether a process of this machine is still running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def server_file() -> Path:
    return Path(os.environ["PREFECT_HOME"]) / SERVER_FILE


def configure() -> None:
    """Environment defaults Prefect reads at import; a value the user set wins."""
    from models.settings.environment import environment

    home = Path(os.environ.get("PREFECT_HOME") or environment().default_data_dir / "prefect").resolve()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    if not os.environ.get("PREFECT_API_URL"):
        try:
            found = json.loads(server_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(found, dict) and alive(int(found.get("pid", 0))) and found.get("url"):
            os.environ["PREFECT_API_URL"] = str(found["url"])


def run(flow: str, /, **parameters: Any) -> Any:
    """Run the flow of that name (``flows.catalog``) with heartbeats off; its exceptions (a
    refused action) reach the caller. Prefect is configured here, before it is imported."""
    configure()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.catalog import FLOWS

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return FLOWS[flow](**parameters)
