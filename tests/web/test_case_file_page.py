"""Notes and files through the case page: a lead adds them (a refusal beside its field,
nothing written), the IP of the case sees them, the IP of no case at that school does not."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.cli.support import IP, LEAD, open_case
from tests.conftest import Scc, dump
from tests.web.conftest import SCREENSHOTS, accessible, sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_note_and_a_file_are_seen_by_the_case_s_ip_and_nobody_else(
        page: Page, staff: dict[str, str], la: Scc, db_url: str, tmp_path: Path) -> None:
    theirs, other = open_case(la), open_case(la, "100004")  # Oak is Ian Partner's; Brook has no IP
    sign_in(page, LEAD)
    page.goto(f"/cases/{theirs}")
    page.get_by_label("Add a note").fill("Chair rang: two governors resigned")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_test_id("notes")).to_contain_text("Chair rang: two governors resigned")
    wrong = tmp_path / "minutes.pdf"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 40)
    written = dump(db_url)
    page.get_by_label("Keep a file with the case").set_input_files(str(wrong))
    page.get_by_role("button", name="Keep the file").click()
    expect(page.locator("#file-error")).to_contain_text("is a png file by its content")
    assert dump(db_url) == written
    accessible(page)
    report = tmp_path / "inspection-report.pdf"
    report.write_bytes(PDF)
    page.get_by_label("Keep a file with the case").set_input_files(str(report))
    page.get_by_label("What it is (optional)").fill("Ofsted report, September")
    page.get_by_role("button", name="Keep the file").click()
    expect(page.get_by_test_id("evidence")).to_contain_text("inspection-report.pdf")
    accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "case-notes-evidence.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, IP)
    page.goto(f"/cases/{theirs}")
    expect(page.get_by_test_id("notes")).to_contain_text("Chair rang: two governors resigned")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="inspection-report.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    downloaded.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert page.goto(f"/cases/{other}").status == 404
