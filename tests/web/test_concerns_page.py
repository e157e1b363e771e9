"""The concerns page: a lead reviews the schools the data flags and opens a case with a click."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.cli.support import LEAD
from tests.cli.test_concerns import FIXTURE
from tests.conftest import Scc
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_lead_opens_a_case_for_a_flagged_school(page: Page, staff: dict[str, str], la: Scc) -> None:
    la("concerns", "import", str(FIXTURE), "--on", "2027-07-01", "--as", LEAD)
    sign_in(page, LEAD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Concerns").click()
    expect(page.get_by_role("heading", name="Concerns flagged by data")).to_be_visible()
    oak = page.get_by_test_id("suggestion-100001")
    expect(oak).to_contain_text("Stage 1 of concern")
    expect(oak).to_contain_text("Attendance below average for 3 or more quarters")
    expect(page.locator("[data-testid^=suggestion-]")).to_have_count(4)
    accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "concerns.png"), full_page=True)

    oak.get_by_role("button", name="Open a case for Oak Primary").click()
    expect(page.get_by_text("Recorded: case opened.")).to_be_visible()
    expect(page.get_by_text("Flagged by data (stage 1 of concern): Attendance below average")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Concerns").click()
    expect(page.locator("[data-testid^=suggestion-]")).to_have_count(3)
    expect(page.get_by_test_id("suggestion-100001")).to_have_count(0)
