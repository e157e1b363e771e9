"""What the web tests add to the running application (``tests.conftest``'s ``server``):
Debian's Chromium driven by Playwright with axe-core."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import LINK_SECRET, OTHER_IP, PASSWORD, bearer  # noqa: F401 - where the web tests import them from

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


def violations(page: Page) -> list[str]:
    """Every axe-core violation on the page as it is now, of any impact."""
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in _axe.run(page).response["violations"]]


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
