"""A subscribable calendar: each member of staff's secret address serves their feed to
Outlook, answers a poll with nothing new by 304, and stops working once revoked."""

from __future__ import annotations

from datetime import timedelta

import httpx
import icalendar
from playwright.sync_api import Page, expect

from tests.cli.support import IP, LEAD, NOTICE, advance, open_case
from tests.conftest import Scc, dump
from tests.web.conftest import accessible, sign_in


def test_a_secret_address_serves_the_feed_and_a_revoked_one_is_404(server: str, staff: dict[str, str], la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    url = la.json("calendar", "subscribe", IP, "--base", server, "--as", IP)["url"]
    assert url.startswith(f"{server}/ics/") and url.endswith(".ics")
    got = httpx.get(url)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/calendar")
    assert got.headers["cache-control"] == "private, max-age=900"
    events = icalendar.Calendar.from_ical(got.content).walk("VEVENT")
    assert len(events) == 2 and all(str(e["SUMMARY"]).endswith(": Oak Primary") for e in events)  # the notice's two deadlines
    assert all(str(e["URL"]) == f"{server}/cases/{case}" for e in events)  # each links back to its case
    assert [[a.decoded("TRIGGER") for a in e.walk("VALARM")] for e in events] == [[timedelta(days=-2)]] * 2  # by default
    assert httpx.get(url, headers={"If-None-Match": got.headers["etag"]}).status_code == 304
    la("calendar", "unsubscribe", IP, "--as", IP)
    assert httpx.get(url).status_code == 404
    assert httpx.get(f"{server}/ics/not-a-real-address-at-all-0000.ics").status_code == 404


def test_a_person_makes_and_stops_their_address_on_their_page(page: Page, staff: dict[str, str], la: Scc, server: str) -> None:
    sign_in(page, LEAD)
    page.get_by_role("link", name="Dana Lead").click()
    accessible(page)
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_test_id("feed-address").inner_text()
    assert httpx.get(address).status_code == 200
    page.goto("/me")
    page.get_by_role("button", name="Stop my calendar address").click()
    expect(page.get_by_test_id("feed-stopped")).to_be_visible()
    assert httpx.get(address).status_code == 404


def test_a_person_chooses_how_many_days_before_their_calendar_reminds_them(page: Page, staff: dict[str, str], la: Scc,
                                                                           server: str, db_url: str) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)
    url = la.json("calendar", "subscribe", LEAD, "--base", server, "--as", LEAD)["url"]
    sign_in(page, LEAD)
    page.goto("/me")
    expect(page.get_by_label("Days before each deadline your calendar reminds you")).to_have_value("2")
    page.get_by_label("Days before each deadline your calendar reminds you").fill("45")
    before = dump(db_url)
    page.get_by_role("button", name="Save the reminder").click()
    expect(page.locator("#alarm_days-error")).to_contain_text("from 0 (none) to 30 days before")
    assert dump(db_url) == before
    accessible(page)
    page.get_by_label("Days before each deadline your calendar reminds you").fill("5")
    page.get_by_role("button", name="Save the reminder").click()
    expect(page.get_by_test_id("reminder-saved")).to_be_visible()
    triggers = [a.decoded("TRIGGER") for e in icalendar.Calendar.from_ical(httpx.get(url).content).walk("VEVENT")
                for a in e.walk("VALARM")]
    assert triggers == [timedelta(days=-5)] * 2
    page.get_by_label("Days before each deadline your calendar reminds you").fill("0")
    page.get_by_role("button", name="Save the reminder").click()
    assert not [a for e in icalendar.Calendar.from_ical(httpx.get(url).content).walk("VEVENT") for a in e.walk("VALARM")]
