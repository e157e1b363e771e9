"""A warning notice through the pages: read as a draft whose copies are still to be sent, its
reasons reworded, a refusal said beside the field it is about (nothing written), then issued
— one copy emailed through a real mail server with the letter attached, one posted a day
later — and the letter's copy lines reading those days."""

from __future__ import annotations

import io

import docx
from playwright.sync_api import Page, expect

from tests.cli.support import LEAD, NOTICE, advance, open_case
from tests.conftest import Mailbox, Scc, dump
from tests.web.conftest import SCREENSHOTS, accessible, sign_in


def test_a_lead_drafts_edits_and_issues_a_warning_notice(page: Page, staff: dict[str, str], la: Scc, db_url: str,
                                                         smtp: Mailbox) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    sign_in(page, LEAD)
    page.goto(f"/cases/{case}")
    expect(page.get_by_test_id("documents")).to_contain_text("draft: read and issue")
    page.get_by_role("link", name="Warning notice, version 1").click()
    letter = page.get_by_test_id("letter-text")
    expect(letter).to_contain_text("Hana Head, Head Teacher: to be sent when this notice is issued")
    expect(page.get_by_test_id("letter-status")).to_contain_text("Draft")
    accessible(page)

    page.get_by_label("Reasons").fill("Standards in reading have fallen for three years")
    page.get_by_role("button", name="Save the wording").click()
    expect(letter).to_contain_text("Standards in reading have fallen for three years")

    page.get_by_label("Date of issue").fill("2026-12-14")
    page.locator("#how\\.chair-post").check()
    before = dump(db_url)
    page.get_by_role("button", name="Issue the letter").click()  # the head's copy not said
    expect(page.locator("#how\\.head-error")).to_contain_text("say how Hana Head is sent the letter")
    assert dump(db_url) == before
    accessible(page)

    page.get_by_label("Email to head@oak.example.sch.uk").check()
    for role in ("chief_inspector", "secretary_of_state"):
        page.locator(f"#how\\.{role}-post").check()
    page.locator("#on\\.secretary_of_state").fill("2026-12-15")
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_test_id("letter-status")).to_contain_text("Issued on 14 December 2026")
    expect(letter).to_contain_text("Hana Head, Head Teacher: sent by email on Monday 14 December 2026")
    expect(letter).to_contain_text("(Regional Director, South West): sent by post on Tuesday 15 December 2026")
    expect(page.get_by_test_id("deliveries")).to_contain_text("by email to head@oak.example.sch.uk (waiting to be sent)")
    expect(page.get_by_role("button", name="Issue the letter")).to_have_count(0)  # fixed once issued
    accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "letter-issued.png"), full_page=True)

    la("flows", "run", "deadline_sweep", "--on", "2026-12-14")  # the sweep sends what the outbox holds
    (email,) = [m for m in smtp.to("head@oak.example.sch.uk") if "Warning notice" in str(m["Subject"])]
    (attached,) = [part for part in email.walk() if part.get_filename()]
    assert attached.get_filename() == f"SCC-{case}-WN-1.docx"
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(attached.get_payload(decode=True))).paragraphs)
    assert "Hana Head, Head Teacher: sent by email on Monday 14 December 2026" in words
    page.reload()
    expect(page.get_by_test_id("deliveries")).to_contain_text("by email to head@oak.example.sch.uk (sent)")
