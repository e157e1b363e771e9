"""Correcting a case through the pages: a priority with a mistyped lead corrected from the
case page (a refusal said beside its field, nothing written), then the statement of action
made with the corrected lead; a priority entered twice withdrawn."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from playwright.sync_api import Page, expect

from tests.cli.support import IP, LEAD, SENIOR, advance, open_case
from tests.conftest import Scc, dump
from tests.web.conftest import SCREENSHOTS, accessible, sign_in

PRIORITY = ["title=Reading", "success_criteria=70% at expected", "lead=Deputy haed", "target_on=2027-03-26", "resources=English hub"]


def test_a_lead_corrects_a_priority_then_makes_the_statement_of_action(
        page: Page, staff: dict[str, str], la: Scc, db_url: str, tmp_path: Path) -> None:
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)  # entered twice
    sign_in(page, LEAD)
    page.goto(f"/cases/{case}")
    page.get_by_role("link", name="Correct priority 1").click()
    accessible(page)
    expect(page.get_by_label("Who leads it")).to_have_value("Deputy haed")
    page.get_by_label("Who leads it").fill("Deputy head")
    before = dump(db_url)
    page.get_by_role("button", name="Save the correction").click()  # no reason given
    expect(page.locator("#reason-error")).to_contain_text("needs a reason")
    expect(page.get_by_label("Who leads it")).to_have_value("Deputy head")
    assert dump(db_url) == before
    accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "priority-correction.png"), full_page=True)
    page.get_by_label("Why is it being corrected?").fill("the lead's title was mistyped")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Recorded: priority corrected.")).to_be_visible()

    page.get_by_role("link", name="Correct priority 2").click()
    page.get_by_label("Why is it being corrected?").fill("entered twice")
    page.get_by_role("button", name="Withdraw this priority").click()
    expect(page.get_by_test_id("withdrawn-priorities")).to_contain_text("2. Reading: withdrawn on")
    accessible(page)

    page.get_by_role("link", name=re.compile("statement of action", re.I)).first.click()
    page.get_by_label("Target removal on").fill("2027-07-16")
    page.get_by_label("Summary").fill("Reading first")
    page.get_by_label("Parents arrangements").fill("A letter to every family")
    page.get_by_label("Date it took effect").fill("2026-09-21")
    page.get_by_role("button", name=re.compile("statement of action", re.I)).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Intervention")
    page.get_by_role("link", name=re.compile("Statement of action, version 1")).click()  # the draft's page
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the Word document").click()
    saved = tmp_path / downloaded.value.suggested_filename
    downloaded.value.save_as(saved)
    rows = [[c.text for c in row.cells] for row in docx.Document(str(saved)).tables[0].rows[1:]]
    assert [(r[0], r[3]) for r in rows] == [("1", "Deputy head")]  # the corrected lead; the withdrawn priority gone


def _live(la: Scc, case: int) -> list[tuple[str, str]]:
    return sorted((d["kind"], d["due"]) for d in la.json("case", "show", str(case))["deadlines"] if d["status"] in ("open", "overdue"))


def test_a_senior_officer_undoes_the_latest_action_from_the_case_page(page: Page, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    before = _live(la, case)
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Attendance")  # in error
    sign_in(page, SENIOR)
    page.goto(f"/cases/{case}")
    page.get_by_text("Undo the latest action, taken in error").click()
    written = dump(db_url)
    page.get_by_role("button", name="Undo the latest action").click()
    expect(page.locator("#undo-reason-error")).to_contain_text("needs a reason")
    assert dump(db_url) == written
    accessible(page)
    page.get_by_label("Why was it taken in error?").fill("recorded on the wrong case")
    page.get_by_role("button", name="Undo the latest action").click()
    expect(page.get_by_text("Recorded: latest action undone.")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_contain_text("Diagnosis")
    expect(page.get_by_text("made before a correction")).to_be_visible()
    assert _live(la, case) == before
    accessible(page)


def test_an_ip_withdraws_a_review_recorded_on_the_wrong_case(page: Page, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)
    advance(la, case, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=Keep going", actor=IP)
    sign_in(page, IP)
    page.goto(f"/cases/{case}")
    expect(page.get_by_test_id("meetings")).to_contain_text("Progress review")
    page.get_by_role("link", name="Withdraw the progress review of 20 October 2026").click()
    accessible(page)
    written = dump(db_url)
    page.get_by_role("button", name="Withdraw it").click()
    expect(page.locator("#reason-error")).to_contain_text("needs a reason")
    assert dump(db_url) == written
    page.get_by_label("Why was it recorded in error?").fill("this was the review of Elm Primary")
    page.get_by_role("button", name="Withdraw it").click()
    expect(page.get_by_text("Recorded: meeting withdrawn.")).to_be_visible()
    expect(page.get_by_test_id("meetings")).to_contain_text("withdrawn this was the review of Elm Primary")
    accessible(page)


def test_an_ip_corrects_a_review_s_rag_from_the_timeline(page: Page, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Attendance")
    advance(la, case, "add_priority", "2026-09-25", *PRIORITY)
    advance(la, case, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=Keep going", actor=IP)
    sign_in(page, IP)
    page.goto(f"/cases/{case}")
    page.get_by_role("link", name="Correct record progress review of 20 October 2026").click()
    expect(page.locator("#rag\\.1-amber")).to_be_checked()  # the form as it was recorded
    expect(page.get_by_label("Date it took effect")).to_have_value("2026-10-20")
    accessible(page)
    page.locator("#rag\\.1-red").check()
    page.get_by_label("Why is it being corrected?").fill("amber was typed for red")
    before = dump(db_url)
    page.get_by_role("button", name="Save the correction").click()  # red with no explanation
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain the red judgement or give the evidence of the green one for priority 1")
    expect(page.locator("#reason-error")).to_contain_text("Explain the red judgement")  # beside the explanations
    expect(page.locator("#rag\\.1-red")).to_be_checked()  # what was entered is kept
    assert dump(db_url) == before
    page.locator("#reason\\.1").fill("reading fell to 40%")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Recorded: the correction.")).to_be_visible()
    expect(page.locator(".scc-rag").first).to_have_text("red")
    expect(page.locator(".moj-timeline")).to_contain_text("Corrected record progress review: amber was typed for red")
    accessible(page)
