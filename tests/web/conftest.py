"""The running application for the web and API tests: ``scc serve``'s ASGI app on a real
port, in a thread, for the whole session; each test still has its own database (the app
reads ``SCC_DATABASE_URL`` per request) and its own people, passwords and tokens."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from tests.cli.support import IP, LEAD, SENIOR
from tests.conftest import Scc

PASSWORD = "correct horse battery staple"
OTHER_IP = "ip2@riverford.example.gov.uk"


@pytest.fixture(scope="session")
def server(prefect_server: str) -> Iterator[str]:
    from web.app import create_app

    # The app's threads do not see the test harness's settings context: name its server.
    os.environ["PREFECT_API_URL"] = prefect_server
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app("test-session-secret"), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/sign-in", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield base
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def staff(la: Scc) -> dict[str, str]:
    """Passwords for the lead, the senior officer and both IPs; a second IP with a case of
    their own. Returns a token per person."""
    from models.db.session import transaction
    from models.services.accounts import create_token, set_password

    la("person", "add", "--name", "Ola Partner", "--email", OTHER_IP, "--role", "ip")
    tokens = {}
    with transaction() as session:
        for email in (LEAD, SENIOR, IP, OTHER_IP):
            set_password(session, email, PASSWORD, "setup")
            tokens[email] = create_token(session, email, "setup")[1]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
