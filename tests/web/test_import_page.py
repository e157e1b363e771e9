"""Moving in through the pages: a tracker of 20 live cases checked (each row's case and its
deadlines shown, nothing written), then opened."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.cli.support import LEAD
from tests.conftest import Scc, dump
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_lead_moves_twenty_cases_in_after_a_dry_run(page: Page, staff: dict[str, str], la: Scc, db_url: str, tmp_path: Path) -> None:
    gias = tmp_path / "gias.csv"
    gias.write_text("URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name)\n"
                    + "".join(f"3000{n:02d},School {n},Community school,Primary,Riverford\n" for n in range(20)))
    la("school", "import", str(gias), "--as", LEAD)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["urn", "reason", "opened_on", "stage", "notice_given_on", "notice_compliance_days", "notice_grounds"])
    for n in range(20):
        sheet.append([f"3000{n:02d}", f"Concern {n}", "2026-09-14", "Warning notice given", "2026-10-05", 15, "low_standards"])
    book.save(tmp_path / "tracker.xlsx")
    sign_in(page, LEAD)
    page.goto("/cases")
    page.get_by_role("button", name="Move cases in from a spreadsheet").click()
    accessible(page)
    page.get_by_label("The tracker").set_input_files(str(tmp_path / "tracker.xlsx"))
    before = dump(db_url)
    page.get_by_role("button", name="Check the tracker").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("tracker.xlsx: 20 cases to open")
    expect(page.get_by_test_id("import-rows")).to_contain_text("Compliance period end: 26 October 2026")
    assert dump(db_url) == before
    accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "import-dry-run.png"))  # the first rows: the whole list is 20 rows long
    page.get_by_role("button", name="Open these 20 cases").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("20 cases opened")
    page.get_by_role("link", name="case 1", exact=True).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Warning notice given")
