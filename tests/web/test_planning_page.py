"""Planning from the case page: a lead plans this half-term for a case that entered diagnosis
after the half-term's plan ran; asking again is refused beside the button, nothing written."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.cli.support import LEAD, advance, open_case
from tests.conftest import Scc, dump
from tests.web.conftest import accessible, sign_in


def test_a_lead_plans_this_half_term_from_the_case_page(page: Page, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la, on="2027-09-06")
    advance(la, case, "start_diagnosis", "2027-09-07")
    sign_in(page, LEAD)
    page.goto(f"/cases/{case}")
    reviews = page.locator("#deadlines + table tbody tr", has_text="Progress review due")
    expect(reviews).to_have_count(0)
    page.get_by_role("button", name="Plan this half-term").click()
    expect(page.get_by_text("Recorded: half-term planned.")).to_be_visible()
    expect(reviews).to_have_count(1)
    before = dump(db_url)
    page.get_by_role("button", name="Plan this half-term").click()
    expect(page.locator("#plan-error")).to_contain_text("already planned")
    assert dump(db_url) == before
    accessible(page)
