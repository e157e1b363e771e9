"""The web pages in a real browser (Debian's Chromium driven by Playwright): a lead signs
in, opens a case, is refused a warning notice with a field missing (the error beside the
field, nothing written), completes it and downloads the letter; an IP finds only their
cases; an action taken with the keyboard alone. axe-core checks every page visited. The
screenshots in the README are taken here."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from tests.cli.support import IP, LEAD, SENIOR, open_case
from tests.conftest import Scc, dump
from tests.web.conftest import OTHER_IP, SCREENSHOTS, accessible, sign_in


def test_a_lead_takes_a_warning_notice_through_the_form_and_downloads_the_letter(
        page: Page, staff: dict[str, str], la: Scc, db_url: str, tmp_path: Path) -> None:
    case = open_case(la)
    sign_in(page, LEAD)
    accessible(page)
    page.get_by_role("link", name="Cases").click()
    accessible(page)
    page.get_by_role("link", name="Oak Primary").click()
    expect(page.get_by_test_id("stage")).to_contain_text("Concern raised")
    accessible(page)
    page.get_by_role("link", name=re.compile("warning notice", re.I)).first.click()
    accessible(page)
    page.get_by_label("Standards of performance are unacceptably low").check()
    page.get_by_label("Required action").fill("Implement the plan agreed with the LA")
    page.get_by_label("Compliance days").fill("15")
    page.get_by_label("Minded to").fill("appoint additional governors")
    page.get_by_label("Date it took effect").fill("2026-10-05")
    before = dump(db_url)
    page.get_by_role("button", name=re.compile("warning notice", re.I)).click()
    expect(page.locator("#reasons-error")).to_contain_text("Enter reasons")
    expect(page.get_by_label("Required action")).to_have_value("Implement the plan agreed with the LA")
    assert dump(db_url) == before
    accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "action-form-error.png"), full_page=True)
    page.get_by_label("Reasons").fill("Standards fell for three years running")
    page.get_by_role("button", name=re.compile("warning notice", re.I)).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Warning notice")
    accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "case.png"), full_page=True)
    page.get_by_role("link", name=re.compile("Warning notice, version 1")).click()  # the draft's page
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the Word document").click()
    saved = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert saved.name == f"case-{case}-warning_notice-v1.docx"
    assert "Oak Primary" in text and "Standards fell for three years running" in text
    page.goto("/")
    accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "my-work.png"), full_page=True)


def test_an_ip_finds_only_their_cases(page: Page, staff: dict[str, str], la: Scc) -> None:
    mine = open_case(la)
    la("school", "assign", "100004", "--ip", OTHER_IP, "--as", LEAD)
    theirs = open_case(la, urn="100004")
    sign_in(page, IP)
    page.goto("/cases")
    accessible(page)
    rows = page.get_by_test_id("cases").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Oak Primary")
    answer = page.goto(f"/cases/{theirs}")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert page.goto(f"/cases/{mine}").status == 200  # type: ignore[union-attr]


def test_a_long_case_list_comes_in_pages(page: Page, staff: dict[str, str], la: Scc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("web.pages.CASES_PER_PAGE", 2)
    for urn in ("100001", "100003", "100004"):
        open_case(la, urn=urn)
    sign_in(page, LEAD)
    page.goto("/cases?sort=school")
    accessible(page)
    rows = page.get_by_test_id("cases").locator("tbody tr")
    expect(page.get_by_text("Showing 1 to 2, page 1 of 2")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Brook Foundation School")
    page.get_by_role("navigation", name="Pages of cases").get_by_role("link", name="Next").click()
    expect(page.get_by_text("Showing 3 to 3, page 2 of 2")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Oak Primary")
    assert "sort=school" in page.url  # the filters stay as the pages turn
    answer = page.goto("/cases?page=7")
    assert answer is not None and answer.status == 404
    expect(page.get_by_text("there are 2 pages of cases, not 7: go back to page 1")).to_be_visible()


def test_an_action_can_be_taken_with_the_keyboard_alone(page: Page, staff: dict[str, str], la: Scc) -> None:
    case = open_case(la)
    sign_in(page, LEAD)
    page.goto(f"/cases/{case}/actions/start_diagnosis")
    accessible(page)
    page.keyboard.press("Tab")  # the skip link first, as on every GOV.UK page
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    date_field = page.get_by_label("Date it took effect")
    button = page.get_by_role("button", name=re.compile("diagnosis", re.I))
    passed_the_date = False
    for _ in range(60):  # Tab through the page: the date field (its day, month and year parts), then the button
        page.keyboard.press("Tab")
        passed_the_date = passed_the_date or date_field.evaluate("element => element === document.activeElement")
        if button.evaluate("element => element === document.activeElement"):
            break
    assert passed_the_date
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stage")).to_contain_text("Diagnosis")


def test_the_registers_are_accessible_and_a_senior_officer_adds_a_person(page: Page, staff: dict[str, str], la: Scc,
                                                                         db_url: str) -> None:
    case = open_case(la)
    la("doc", "render", str(case), "tig_agenda", "--as", LEAD)
    sign_in(page, SENIOR)
    page.goto("/schools")
    accessible(page)
    page.get_by_role("link", name="Oak Primary").click()
    expect(page.get_by_role("heading", name="Oak Primary")).to_be_visible()
    expect(page.get_by_role("link", name=f"Case {case}")).to_be_visible()
    accessible(page)
    page.goto(f"/cases/{case}")
    page.get_by_role("button", name="Make again (tig agenda)").click()
    expect(page.get_by_role("link", name="Tig agenda, version 2")).to_be_visible()
    page.goto("/people")
    accessible(page)
    page.get_by_text("Add a person").click()
    page.get_by_label("Name").fill("Nia Newlead")
    page.get_by_label("Email address").fill("nia@riverford.example.gov.uk")
    page.get_by_label("Role", exact=True).select_option("lead")
    before = dump(db_url)
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Add the person").click()
    expect(page.get_by_role("alert")).to_contain_text("email")
    assert dump(db_url) == before
    page.get_by_label("Email address").fill("nia@riverford.example.gov.uk")
    page.get_by_role("button", name="Add the person").click()
    expect(page.get_by_text("Added nia@riverford.example.gov.uk")).to_be_visible()
    expect(page.get_by_role("cell", name="Nia Newlead", exact=True)).to_be_visible()
    page.goto("/no-such-page")
    accessible(page)
    page.goto("/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("SCC Casework")


def test_a_lead_opens_a_case_and_a_senior_officer_changes_a_role(page: Page, staff: dict[str, str], la: Scc,
                                                                  db_url: str) -> None:
    sign_in(page, LEAD)
    page.goto("/cases")
    page.get_by_role("button", name="Open a case").click()
    accessible(page)
    page.get_by_label("School", exact=True).select_option("100004")
    page.get_by_label("Date the case was opened").fill("2026-09-14")
    before = dump(db_url)
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator("#reason-error")).to_contain_text("a case needs a reason")
    assert dump(db_url) == before
    page.get_by_label("Why the school is causing concern").fill("Attendance has fallen for two years")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", name="Brook Foundation School")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_contain_text("Concern raised")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, SENIOR)
    page.goto("/people")
    row = page.get_by_role("row").filter(has_text=OTHER_IP)
    row.get_by_role("combobox").select_option("principal_ip")
    row.get_by_role("button", name="Change").click()
    expect(page.get_by_text(f"{OTHER_IP} is now principal IP")).to_be_visible()
    accessible(page)
