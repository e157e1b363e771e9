"""The Playbooks page: a senior officer sees where each running case would go on a new
playbook version and moves them with one button; a lead may not."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Scc
from tests.services.test_playbook_migration import next_version
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_senior_officer_moves_running_cases_to_a_new_version(page: Page, staff: dict[str, str], la: Scc, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    oak = open_case(la)
    brook = open_case(la, urn="100004")
    advance(la, brook, "start_diagnosis", "2026-09-15")
    next_version(tmp_path, monkeypatch)

    sign_in(page, LEAD)
    expect(page.get_by_role("link", name="Playbooks")).to_have_count(0)
    answer = page.goto("/playbooks")
    assert answer is not None and answer.status == 403
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, SENIOR)
    page.get_by_role("link", name="Playbooks").click()
    accessible(page)
    rows = page.get_by_test_id("plans-england").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Brook Foundation School")).to_contain_text("Diagnosis")
    expect(rows.filter(has_text="Brook Foundation School")).to_contain_text("Review of the evidence")
    expect(rows.filter(has_text="Oak Primary")).to_contain_text("Concern raised")
    page.screenshot(path=str(SCREENSHOTS / "playbooks.png"), full_page=True)
    page.get_by_role("button", name="Move these cases to version 2026.6").click()
    expect(page.get_by_text("2 cases moved to the new version; 0 refused")).to_be_visible()
    expect(page.get_by_test_id("current-england")).to_be_visible()
    assert (la.json("case", "show", str(brook))["stage"], la.json("case", "show", str(oak))["playbook_version"]) == (
        "review", "2026.6")
