"""The case list downloads as the page filters it, every page of it, and opens in Excel."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.cli.support import LEAD, advance, open_case
from tests.conftest import Scc
from tests.web.conftest import accessible, sign_in


def test_a_lead_downloads_the_filtered_case_list_for_the_committee(page: Page, staff: dict[str, str], la: Scc, tmp_path: Path) -> None:
    notice = open_case(la)
    advance(la, notice, "issue_warning_notice", "2026-10-05", "grounds=low_standards", "reasons=r", "required_action=a",
            "compliance_days=15", "minded_to=appoint additional governors")
    open_case(la, "100004")
    sign_in(page, LEAD)
    page.goto("/cases?stage=warning_notice")
    expect(page.get_by_test_id("cases")).to_contain_text("1 case")
    accessible(page)
    with page.expect_download() as downloaded:
        page.get_by_test_id("exports").get_by_role("link", name="Excel").click()
    saved = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert saved.suffix == ".xlsx" and [(r[0], r[1], r[4]) for r in rows[1:]] == [(notice, "Oak Primary", "Warning notice given")]
