"""What the web and API tests share: the running application (``scc serve``'s ASGI app on a
real port, in a thread, for the whole session; each test still has its own database, which
the app reads from ``SCC_DATABASE_URL`` per request, and its own people, passwords and
tokens), and Debian's Chromium driven by Playwright with axe-core."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.cli.support import IP, LEAD, SENIOR
from tests.conftest import Scc, free_port

PASSWORD = "correct horse battery staple"
LINK_SECRET = "test-link-secret"
OTHER_IP = "ip2@riverford.example.gov.uk"


@pytest.fixture(scope="session")
def server(prefect_server: str) -> Iterator[str]:
    from server.app import create_app

    # The app's threads do not see the test harness's settings context: name its server.
    os.environ["PREFECT_API_URL"] = prefect_server
    port = free_port()
    config = uvicorn.Config(create_app("test-session-secret", link_secret=LINK_SECRET), host="127.0.0.1", port=port, log_level="warning")
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
    from models.services import administration
    from models.services.access import terminal_viewer

    senior = terminal_viewer(SENIOR)
    administration.add_person(senior, "Ola Partner", OTHER_IP, "ip")
    tokens = {}
    for email in (LEAD, SENIOR, IP, OTHER_IP):
        administration.set_password(senior, email, PASSWORD)
        tokens[email] = administration.create_token(senior, email)[1]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
_axe = Axe()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, accept_downloads=True, viewport={"width": 1280, "height": 900})
    # A form that runs a flow waits for the test Prefect server, whose SQLite can stall for
    # many seconds when the whole suite loads the machine: wait for it rather than fail.
    context.set_default_timeout(90_000)
    opened = context.new_page()
    yield opened
    context.close()


def accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    found = _axe.run(page).response["violations"]
    bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in found if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{page.url}: " + "; ".join(bad)


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
