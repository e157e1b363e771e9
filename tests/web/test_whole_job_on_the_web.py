"""The whole job on the web pages, with no terminal: a senior officer invites a new lead, who
chooses a password through the emailed link; the lead uploads the authority's figures,
records the school's contacts on its page, opens a case from it and takes it into
intervention, where its reviews, visits and TIG meetings are planned at once; the school's
IP records the review from My work; the lead takes the case out of intervention and closes it.
Screenshots at 1,280 and 390 px.

The test stands in for the scheduler of ``make run`` in one place only: it runs the deadline
sweep, which sends what the outbox holds.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.cli.support import IP, SENIOR
from tests.conftest import PASSWORD, Mailbox, Scc, dump
from tests.web.conftest import SCREENSHOTS, accessible, sign_in

FIGURES = Path(__file__).resolve().parents[1] / "fixtures" / "indicators-2027-summer.csv"
NEW_LEAD = "lena.lead@riverford.example.gov.uk"


def _both_widths(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_new_lead_and_an_ip_do_the_whole_job_on_the_web(page: Page, staff: dict[str, str], la: Scc, smtp: Mailbox,
                                                        db_url: str) -> None:
    sign_in(page, SENIOR)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_text("Add a person").click()
    page.get_by_label("Name", exact=True).fill("Lena Lead")
    page.get_by_label("Email address").fill(NEW_LEAD)
    page.get_by_label("Role", exact=True).select_option("lead")
    page.get_by_role("button", name="Add the person").click()
    expect(page.get_by_text(f"Added {NEW_LEAD} and sent a link to choose a password")).to_be_visible()
    _sign_out(page)

    la("flows", "run", "deadline_sweep", "--as", SENIOR)  # the scheduler sends what the outbox holds
    (invitation,) = smtp.to(NEW_LEAD)
    assert invitation["Subject"] == "You are invited to SCC Casework"
    link = re.search(r"https?://\S+/set-password/\S+", invitation.get_payload(decode=True).decode())
    assert link is not None
    path = urlparse(link.group(0)).path
    page.goto(path)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    before = dump(db_url)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD + "!")
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator("#confirm-error")).to_contain_text("the two passwords are not the same")
    assert dump(db_url) == before
    page.get_by_label("New password").fill("short")
    page.get_by_label("Type it again").fill("short")
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator("#password-error")).to_contain_text("12 to 200 characters")
    accessible(page)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_text("Your password is set: sign in with it.")).to_be_visible()
    answer = page.goto(path)  # a link works once
    assert answer is not None and answer.status == 410
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    sign_in(page, NEW_LEAD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Concerns").click()
    page.get_by_role("button", name="Upload the figures").click()
    expect(page.locator("#file-error")).to_contain_text("choose the CSV file")
    page.get_by_label("Upload figures (CSV)").set_input_files(str(FIGURES))
    page.get_by_role("button", name="Upload the figures").click()
    expect(page.get_by_test_id("imported")).to_contain_text("15 figures read; 4 schools flagged")
    expect(page.get_by_test_id("suggestion-100001")).to_contain_text("Attendance below average")

    page.get_by_test_id("suggestion-100001").get_by_role("link", name="Oak Primary").click()
    expect(page.get_by_test_id("address")).to_have_text("not on record")
    page.get_by_text("Change the school's contacts").click()
    page.get_by_label("Postal address").fill("Oak Lane, Riverford RF1 1AA")
    page.get_by_label("Email address (Clerk to the governors)").fill("clerk@oak.example.sch.uk")
    page.get_by_role("button", name="Save the contacts").click()
    expect(page.locator("#clerk_name-error")).to_contain_text("give the clerk's name too")
    page.get_by_label("Name (Clerk to the governors)").fill("Cleo Clerk")
    page.get_by_role("button", name="Save the contacts").click()
    expect(page.get_by_test_id("contact-clerk")).to_contain_text("Cleo Clerk")
    expect(page.get_by_test_id("address")).to_have_text("Oak Lane, Riverford RF1 1AA")
    accessible(page)
    _both_widths(page, "school")

    page.get_by_role("button", name="Open a case").click()
    expect(page.get_by_label("School", exact=True)).to_have_value("100001")
    page.get_by_label("Why the school is causing concern").fill("Attendance below average for three quarters")
    page.get_by_label("Lead", exact=True).select_option(NEW_LEAD)
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("Recorded: case opened.")).to_be_visible()
    case = int(page.url.split("/cases/")[1].split("?")[0])

    page.get_by_role("link", name=re.compile("^Start diagnosis")).click()
    page.get_by_role("button", name=re.compile("^Start diagnosis")).click()
    page.get_by_role("link", name=re.compile("^Conclude diagnosis")).click()
    page.get_by_label("Level").fill("Stage 3")
    page.get_by_label("Reasons").fill("Attendance has fallen for three quarters")
    page.get_by_role("button", name=re.compile("^Conclude diagnosis")).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Intervention")
    deadlines = page.locator("#deadlines + table tbody tr")
    for planned in ("Progress review due", "IP progress report due", "Monitoring visit due"):
        expect(deadlines.filter(has_text=planned).first).to_be_visible()  # planned on entering intervention
    page.get_by_role("link", name=re.compile("^Add a priority")).click()
    page.get_by_label("Title").fill("Attendance")
    page.get_by_label("Success criteria").fill("Above 94% each half-term")
    page.get_by_label("Lead", exact=True).fill("Deputy head")
    page.get_by_label("Target on").fill("2028-03-24")
    page.get_by_label("Resources").fill("Attendance officer, two days a week")
    page.get_by_role("button", name=re.compile("^Add a priority")).click()
    expect(page.get_by_text("Recorded: add priority.")).to_be_visible()
    accessible(page)
    _both_widths(page, "case-in-intervention")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    page.get_by_label("Lead", exact=True).select_option(label="Lena Lead")
    page.get_by_label("Stage", exact=True).select_option(label="Intervention and monitoring")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_test_id("cases").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lena Lead")  # names, not emails
    expect(rows.first).not_to_contain_text(NEW_LEAD)
    page.get_by_role("link", name="Overdue (sort by this)").click()
    expect(page.get_by_label("Lead", exact=True)).to_have_value(NEW_LEAD)  # the filters stay
    expect(rows).to_have_count(1)
    _both_widths(page, "cases")
    _sign_out(page)

    sign_in(page, IP)
    review = page.get_by_role("link", name=re.compile("Progress review due")).first
    expect(review).to_be_visible()
    _both_widths(page, "my-work-ip")
    review.click()
    expect(page.get_by_role("heading", name=re.compile("progress review"))).to_be_visible()
    page.locator("#rag\\.1-green").check()
    page.get_by_label("Priority 1: Attendance").fill("Attendance 95.1% this half-term")
    page.get_by_label("Next steps").fill("Keep the attendance officer's visits")
    page.get_by_role("button", name=re.compile("progress review")).click()
    expect(page.get_by_text("Recorded: record progress review.")).to_be_visible()
    _both_widths(page, "case-after-review")
    _sign_out(page)

    sign_in(page, NEW_LEAD)  # improvement secured: the lead takes the case out of intervention
    page.goto(f"/cases/{case}")
    for action, fields in (("Begin exit", {"Reasons": "Attendance above 94% for a half-term"}),
                           ("Record the summative meeting", {"Attendees": "Head, chair, Lena Lead", "Notes": "Support tapers"}),
                           ("Close the case", {"Exit conditions": "Attendance above 94%, checked at the review"})):
        page.get_by_role("link", name=re.compile(f"^{action}")).click()
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name=re.compile(f"^{action}")).click()
        expect(page.get_by_text("Recorded:")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_contain_text("Closed")
    assert la.json("case", "show", str(case), "--as", SENIOR)["closed_on"] is not None
