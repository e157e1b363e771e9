"""The year after exit on the web: a closed case shows the watch and reopens intervention
with one click and a reason; the school page shows its whole intervention history."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.cli.support import LEAD, advance, exit_case, open_case
from tests.conftest import Scc
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_lead_reopens_intervention_from_the_watched_case(page: Page, staff: dict[str, str], la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=KS2 below floor")
    advance(la, case, "add_priority", "2026-09-25", "title=Reading", "success_criteria=80% at expected",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    exit_case(la, case, "2026-11-20")

    sign_in(page, LEAD)
    page.goto(f"/cases/{case}")
    expect(page.get_by_test_id("watch")).to_contain_text("the school is watched until 20 November 2027")
    accessible(page)
    page.get_by_role("button", name="Reopen intervention").click()  # no reason given
    expect(page.locator("#reason-error")).to_contain_text("a case needs a reason")
    assert la.json("case", "show", str(case))["watch_until"] == "2027-11-20"  # nothing changed
    accessible(page)
    page.get_by_label("Why the school is causing concern again").fill("Reading outcomes fell again")
    page.get_by_role("button", name="Reopen intervention").click()
    expect(page.get_by_text("Recorded: intervention reopened.")).to_be_visible()
    expect(page.get_by_role("link", name=f"case {case}")).to_be_visible()
    reopened = int(page.url.split("/cases/")[1].split("?")[0])
    assert la.json("case", "show", str(reopened))["reopened_from"] == case

    page.goto("/schools/100001")
    history = page.get_by_test_id("history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").first).to_contain_text("20 November 2026")
    expect(history.locator("tbody tr").first).to_contain_text(f"reopened as case {reopened}")
    expect(history.locator("tbody tr").last).to_contain_text(f"reopens case {case}")
    accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "school-history.png"), full_page=True)
