"""The web application inside ``scc serve``: uvicorn on a thread beside the scheduler, so one
process (one lease on the database) runs the pages, the API, the timers and the flows.

Once it listens, it records its address for this account (``flows.handover``) so that the
``scc`` commands typed beside it hand their flows (and read-only commands) to it; the record
goes when it stops."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import uvicorn

__all__ = ["WebServer"]

# On Ctrl-C the server stops taking requests and lets those in flight finish, for at most this.
GRACE_SECONDS = 30


class WebServer:
    """Uvicorn serving ``web.app`` on ``host:port``, started and stopped by ``scc serve``."""

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

    def start(self) -> None:
        import secrets

        from flows.handover import publish
        from models.db.installation import claim_data_root, database_id
        from models.db.session import transaction
        from models.settings.environment import database_url
        from web.app import create_app, session_secret

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
        with transaction() as session:
            claim_data_root(session)
            database = database_id(session)
        assert database is not None  # claimed just now
        self._link_file = publish(database_url(), self._local_address, database, link_secret)

    def stop(self) -> None:
        if self._link_file is not None:
            self._link_file.unlink(missing_ok=True)  # commands run their flows themselves again
            self._link_file = None
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=GRACE_SECONDS + 5)
