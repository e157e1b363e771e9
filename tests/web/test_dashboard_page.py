"""The dashboard in the browser: a lead sees the term's figures and downloads the termly
report of the same term from it; an IP is not offered it and is refused it."""

from __future__ import annotations

from pathlib import Path

import docx
from playwright.sync_api import Page, expect

from tests.cli.support import IP, LEAD, NOTICE, advance, open_case
from tests.conftest import Scc
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_lead_reads_the_dashboard_and_downloads_the_termly_report(page: Page, staff: dict[str, str], la: Scc,
                                                                     tmp_path: Path) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)
    brook = open_case(la, urn="100004")
    advance(la, brook, "start_diagnosis", "2026-09-15")
    advance(la, brook, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=attendance")
    advance(la, brook, "add_priority", "2026-09-28", "title=Attendance", "success_criteria=Above 94%",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    advance(la, brook, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=Weekly checks")
    sign_in(page, LEAD)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Term").select_option("Autumn 2026")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("summary")).to_contain_text("2 cases open during Autumn 2026")
    expect(page.get_by_test_id("by-stage")).to_contain_text("Warning notice given")
    expect(page.get_by_test_id("overdue-kind")).to_contain_text("End of the warning notice's compliance period")
    chart = page.get_by_test_id(f"rag-{brook}")
    expect(chart.locator("svg")).to_be_visible()
    expect(chart.get_by_role("row", name="1. Attendance amber")).to_be_visible()  # the table beside the chart
    accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download the termly report for Autumn 2026").click()
    saved = tmp_path / "termly.docx"
    downloaded.value.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Autumn 2026" in text


def test_an_ip_is_not_offered_the_dashboard(page: Page, staff: dict[str, str], la: Scc) -> None:
    sign_in(page, IP)
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    answer = page.goto("/dashboard")
    assert answer is not None and answer.status == 403
    expect(page.get_by_text("an IP cannot see the dashboard")).to_be_visible()


def test_the_dashboard_is_kept_until_a_change_is_recorded(la: Scc) -> None:
    """Twenty people opening the dashboard cost one count; the next change recorded shows."""
    from models.db.session import transaction
    from models.services.access import Viewer
    from models.services.directory import person_by_email
    from models.services.reading import dashboard

    case = open_case(la)
    with transaction() as session:
        lead = Viewer.of(session, person_by_email(session, LEAD))
    first, _ = dashboard(lead, "Autumn 2026", None)
    again, _ = dashboard(lead, "Autumn 2026", None)
    assert again is first and [(c.name, c.count) for c in first.by_stage] == [("Concern raised", 1)]
    advance(la, case, "start_diagnosis", "2026-09-15")
    after, _ = dashboard(lead, "Autumn 2026", None)
    assert [(c.name, c.count) for c in after.by_stage] == [("Diagnosis", 1)]
