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
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from models.settings.environment import environment
from models.settings.server_link import alive

__all__ = ["RUNNER_TAG", "configure", "run", "server_file", "stop_with_this_process", "untagged"]


SERVER_FILE = "scc-prefect-server.json"
REQUEST_SECONDS = 15  # the longest one request to the Prefect server is waited for before it is sent again


def server_file() -> Path:
    return Path(os.environ["PREFECT_HOME"]) / SERVER_FILE


def configure() -> None:
    """Environment defaults Prefect reads at import; a value the user set wins."""

    home = Path(os.environ.get("PREFECT_HOME") or environment().default_data_dir / "prefect").resolve()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # A request to the Prefect server that is never answered (a connection dropped under load)
    # holds its flow, and the page or command waiting on it, for Prefect's default 60 s before
    # the client retries it: seen once as a 61-second stall of five concurrent changes. Retry
    # after REQUEST_SECONDS instead; a change itself never waits on Prefect inside its unit of work.
    os.environ.setdefault("PREFECT_API_REQUEST_TIMEOUT", str(REQUEST_SECONDS))
    if not os.environ.get("PREFECT_API_URL"):
        try:
            found = json.loads(server_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(found, dict) and alive(int(found.get("pid", 0))) and found.get("url"):
            os.environ["PREFECT_API_URL"] = str(found["url"])


def run(flow: Any, /, **parameters: Any) -> Any:
    """Run a flow with heartbeats off; its exceptions (a refused action) reach the caller.

    Without a Prefect server to report to, the command starts its own temporary one, watched
    so that it never outlives the command (``_temporary_server``). Runs that a killed
    command left running are marked crashed first (``_mark_crashed``); this run carries its
    host and process id as a tag so a later command can do the same for it."""
    configure()
    # Prefect is imported only here and below, after configure(): it reads its settings when imported.
    from prefect import tags
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    updates: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    # `scc serve` names its Prefect server in the environment once it has started, after
    # Prefect read its settings at import: the environment's address wins.
    named = os.environ.get("PREFECT_API_URL")
    if named and named != PREFECT_API_URL.value():
        updates[PREFECT_API_URL] = named
    elif not PREFECT_API_URL.value():
        updates[PREFECT_API_URL] = _temporary_server()
    with temporary_settings(updates=updates):
        _mark_crashed()
        with tags(RUNNER_TAG, f"{RUNNER_TAG}:{socket.gethostname()}:{os.getpid()}"):
            return flow(**parameters)


RUNNER_TAG = "scc-command"
SERVER_START_SECONDS = 120  # a first start migrates Prefect's own database, which takes a while

# Run beside the command: once the command is gone (killed, even with SIGKILL, when Prefect's
# own clean-up never runs), stop the temporary server it started.
WATCHER = """
import os, signal, sys, time
parent, server = int(sys.argv[1]), int(sys.argv[2])
def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
while alive(parent) and alive(server):
    time.sleep(0.5)
if alive(server):
    os.kill(server, signal.SIGTERM)
    for _ in range(50):
        time.sleep(0.1)
        if not alive(server):
            break
    else:
        os.kill(server, signal.SIGKILL)
"""


def _temporary_server() -> str:
    """Start Prefect's temporary server for this command, with a watcher that stops it when
    the command ends however it ends; returns its API address."""
    from prefect.server.api.server import SubprocessASGIServer  # Prefect after configure(), as in run()

    server = SubprocessASGIServer()
    server.start(timeout=SERVER_START_SECONDS)
    assert server.server_process is not None
    stop_with_this_process(server.server_process.pid)
    return server.api_url


def stop_with_this_process(child: int) -> None:
    """Watch a server this process started (the temporary Prefect server of a command, or the
    one ``scc serve`` runs) and stop it once this process is gone, even by SIGKILL."""
    subprocess.Popen([sys.executable, "-c", WATCHER, str(os.getpid()), str(child)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def _mark_crashed() -> None:
    """Runs of this machine still shown running whose command is no longer alive were killed:
    show them as crashed rather than running for ever."""
    from prefect.client.orchestration import get_client  # Prefect after configure(), as in run()
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.states import Crashed

    host = socket.gethostname()
    with get_client(sync_client=True) as client:
        running = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING])),
            tags=FlowRunFilterTags(all_=[RUNNER_TAG]),
        ), sort=FlowRunSort.ID_DESC, limit=200)
        for flow_run in running:
            for tag in flow_run.tags:
                _, _, place = tag.partition(f"{RUNNER_TAG}:")
                tag_host, _, pid = place.rpartition(":")
                if tag_host == host and pid.isdigit() and not alive(int(pid)):
                    client.set_flow_run_state(flow_run.id, Crashed(message="the command running it was stopped"), force=True)


@contextmanager
def untagged() -> Iterator[None]:
    """Inside a flow: its tasks run without the tags ``run`` gives the flow run. A task with
    tags first asks the Prefect server for concurrency slots under each tag; with no limit
    set that is a wasted round trip, and on a busy ``scc serve`` it stalled one action in
    five for about two seconds (measured with py-spy). The tags mark flow runs, which is all
    ``_mark_crashed`` looks at."""
    from prefect.context import TagsContext  # Prefect after configure(), as in run()

    with TagsContext(current_tags=set()):
        yield
