"""The Term dates page: a senior officer sees which deadlines an added INSET day would move,
old → new with how the new date is counted, and moves them with one button; a lead may not."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Scc
from tests.services.test_term_dates import add_inset_day
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_senior_officer_moves_the_deadlines_an_inset_day_changes(page: Page, staff: dict[str, str], la: Scc,
                                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_TODAY", "2026-09-20")
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")  # 20 school days: due Tuesday 13 October
    add_inset_day(tmp_path, monkeypatch)

    sign_in(page, LEAD)  # a lead reads the terms; moving deadlines is a senior officer's
    page.get_by_role("link", name="Term dates").click()
    expect(page.get_by_test_id("terms-riverford")).to_contain_text("Autumn")
    expect(page.get_by_test_id("moves-riverford")).to_have_count(0)
    expect(page.get_by_role("button", name="Move these deadlines to the new term dates")).to_have_count(0)
    accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, SENIOR)
    page.get_by_role("link", name="Term dates").click()
    accessible(page)
    moves = page.get_by_test_id("moves-riverford").locator("tbody tr")
    expect(moves).to_have_count(1)
    expect(moves.first).to_contain_text("Oak Primary")
    expect(moves.first).to_contain_text("13 Oct 2026")
    expect(moves.first).to_contain_text("14 Oct 2026")
    expect(moves.first).to_contain_text("Thu 1 Oct 2026 (2026-10-01)")
    page.screenshot(path=str(SCREENSHOTS / "term-dates.png"), full_page=True)
    page.get_by_role("button", name="Move these deadlines to the new term dates").click()
    expect(page.get_by_text("1 deadline moved to the new term dates")).to_be_visible()
    expect(page.get_by_test_id("no-moves")).to_be_visible()
    shown = la.json("case", "show", str(case))
    (diagnosis,) = [d for d in shown["deadlines"] if d["kind"] == "diagnosis_due"]
    assert diagnosis["due"] == "2026-10-14"
    assert [e["action"] for e in shown["events"]][-1] == "deadline_recounted"
    assert shown["events"][-1]["actor"] == SENIOR
