"""``scc serve``: one process (one lease on the database) runs the web pages and the API
(uvicorn on a thread), the embedded scheduler and a local Prefect server.

Once the web application listens, it records its address for this account
(``models.settings.server_link``) so that the ``scc`` commands typed beside it call its REST
API instead of loading everything themselves; the record goes when it stops."""

from __future__ import annotations

import logging
import secrets
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn

from flows.runtime import configure
from models.settings.environment import database_url
from models.settings.server_link import publish

__all__ = ["WebServer", "serve", "serve_replica"]

# On Ctrl-C the server stops taking requests and lets those in flight finish, for at most this.
GRACE_SECONDS = 30


class WebServer:
    """Uvicorn serving ``server.app`` on ``host:port``, started and stopped by ``scc serve``."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._link_file: Path | None = None

    @property
    def address(self) -> str:
        shown = "localhost" if self.host in ("127.0.0.1", "0.0.0.0") else self.host
        return f"http://{shown}:{self.port}"

    @property
    def _local_address(self) -> str:
        """Where a command on this machine reaches the server."""
        local = "127.0.0.1" if self.host in ("0.0.0.0", "localhost", "") else "[::1]" if self.host == "::" else self.host
        return f"http://{local}:{self.port}"

    def start(self, publish_link: bool = True) -> None:
        """Listen; with ``publish_link``, also let the ``scc`` commands beside it call it (the one
        process that runs the scheduler does: replicas would overwrite each other's record)."""
        from models.services.installation import database_identity  # imported by serve() first: see there
        from server.app import create_app, session_secret

        link_secret = secrets.token_urlsafe(32)
        config = uvicorn.Config(create_app(session_secret(), link_secret=link_secret), host=self.host, port=self.port,
                                log_level="warning", proxy_headers=True, server_header=False, access_log=False,
                                timeout_graceful_shutdown=GRACE_SECONDS)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="scc-web", daemon=True)
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            time.sleep(0.05)
        if not self._server.started:
            raise RuntimeError(f"the web server could not start on {self.host}:{self.port}: is the port in use?")
        if not publish_link:
            return
        database = database_identity()
        self._link_file = publish(database_url(), self._local_address, database, link_secret)

    def stop(self) -> None:
        if self._link_file is not None:
            self._link_file.unlink(missing_ok=True)  # commands run by themselves again
            self._link_file = None
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=GRACE_SECONDS + 5)


def _configure() -> None:
    """Prefect's settings, then logging. Logging is set before anything imports Prefect (the
    application's case flows, the scheduler), which keeps the handlers it finds."""
    configure()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("scc").setLevel(logging.INFO)


def serve(host: str, port: int, prefect_server: bool, say: Callable[[str], None]) -> None:
    """The web pages and the API, the scheduler and the local Prefect server, until stopped;
    ``say`` prints each step for the person who started it."""
    _configure()
    from flows.scheduler import serve as run_scheduler  # after the logging: see _configure

    web = WebServer(host, port)

    def ready(line: str) -> None:
        say(line)
        web.start()  # after the Prefect server: the pages' case operations run as flows on it
        say(f"web pages and API at {web.address} (API docs at {web.address}/docs); Ctrl-C stops")

    try:
        run_scheduler(on_ready=ready, prefect_server=prefect_server, on_stop=web.stop)
    finally:
        web.stop()  # already stopped unless the scheduler failed to start
    say("stopped")


def serve_replica(host: str, port: int, say: Callable[[str], None]) -> None:
    """The web pages and the API only, until SIGINT or SIGTERM: one of several replicas beside
    the one ``scc serve`` that runs the scheduler. Its flows report to ``PREFECT_API_URL`` (or a
    temporary Prefect server of their own); nothing of it is kept in this process that another
    replica would need."""
    _configure()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    web = WebServer(host, port)
    web.start(publish_link=False)
    say(f"web pages and API at {web.address} (a replica: no scheduler); Ctrl-C stops")
    try:
        stop.wait()
    finally:
        web.stop()
    say("stopped")
