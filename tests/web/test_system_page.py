"""Health you can see: the System page tells a senior officer the mail server cannot be
reached, and once email has failed for more than an hour every member of staff is warned on
every page, an IP included."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from tests.cli.support import IP, NOTICE, SENIOR, advance, open_case
from tests.conftest import Scc, free_port
from tests.web.conftest import accessible, sign_in


def test_a_failed_mail_server_is_shown_and_every_page_warns_after_an_hour(
        page: Page, staff: dict[str, str], la: Scc, monkeypatch: pytest.MonkeyPatch) -> None:
    closed = free_port()  # nothing listens here
    monkeypatch.setenv("SCC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SCC_SMTP_PORT", str(closed))
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)  # the case team is told by email
    report = la.json("flows", "run", "deadline_sweep", "--on", "2026-12-10")
    assert report["sent"]["error"] and "cannot reach the mail server" in report["sent"]["error"]

    sign_in(page, SENIOR)
    page.get_by_role("link", name="System").click()
    def row(part: str) -> Locator:
        return page.get_by_role("row", name=re.compile(f"^{part} "))

    expect(row("Mail server")).to_contain_text("Needs attention")
    expect(row("Mail server")).to_contain_text(f"cannot reach the mail server 127.0.0.1:{closed}")
    expect(row("Data folder")).to_contain_text("Working")
    expect(row("Outbox")).to_contain_text("Working")  # waiting minutes, not yet an hour
    expect(page.get_by_test_id("email-warning")).to_have_count(0)  # failing for minutes, not yet an hour
    accessible(page)

    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2), tick=True):
        sign_in(page, SENIOR)  # signed out by two idle hours
        page.goto("/cases")
        expect(page.get_by_test_id("email-warning")).to_contain_text("Email is not being sent")
        page.goto("/system")
        expect(row("Outbox")).to_contain_text("Needs attention")
        accessible(page)
        ip = page.context.browser.new_context(base_url=page.url.split("/system")[0]).new_page()
        sign_in(ip, IP)
        expect(ip.get_by_test_id("email-warning")).to_be_visible()
        ip.goto("/system")
        expect(ip.get_by_role("heading", name="You cannot do that")).to_be_visible()  # the System page is a senior officer's
