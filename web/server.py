"""The web application inside ``scc serve``: uvicorn on a thread beside the scheduler, so one
process (one lease on the database) runs the pages, the API, the timers and the flows."""

from __future__ import annotations

import threading
import time

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

    @property
    def address(self) -> str:
        shown = "localhost" if self.host in ("127.0.0.1", "0.0.0.0") else self.host
        return f"http://{shown}:{self.port}"

    def start(self) -> None:
        from web.app import create_app, session_secret

        config = uvicorn.Config(create_app(session_secret()), host=self.host, port=self.port, log_level="warning",
                                proxy_headers=True, server_header=False, access_log=False,
                                timeout_graceful_shutdown=GRACE_SECONDS)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="scc-web", daemon=True)
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            time.sleep(0.05)
        if not self._server.started:
            raise RuntimeError(f"the web server could not start on {self.host}:{self.port}: is the port in use?")

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=GRACE_SECONDS + 5)
