"""The demo consortium in the browser: the IP shared by both authorities sees both; each
authority's lead sees their own part only; the consortium's senior officer sees the region,
and each authority apart, on the dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from models.services.demo import DEMO_PASSWORD, IP, LEAD, SENIOR, WELSH_LEAD
from tests.conftest import Scc
from tests.web.conftest import SCREENSHOTS, accessible, violations


def _sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()


def _cases(page: Page) -> str:
    page.goto("/cases")
    return page.locator("main").inner_text()


def _open_cases(page: Page) -> int:
    found = re.search(r"(\d+) cases? open during", page.get_by_test_id("summary").inner_text())
    assert found
    return int(found.group(1))


def test_each_person_sees_exactly_their_part_of_the_consortium(page: Page, scc: Scc) -> None:
    loaded = scc.json("demo", "--consortium")
    english, welsh = loaded["cases"][0], loaded["cases"][-1]

    _sign_in(page, IP)
    listed = _cases(page)
    assert "Ysgol Gynradd Cwm Glas" in listed and "Glanmor County Council" in listed and "Oakfield" in listed
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "consortium-ip-cases.png"), full_page=True)
    page.goto("/")
    accessible(page)

    _sign_in(page, WELSH_LEAD)
    expect(page.locator(".govuk-header__logotype-text")).to_have_text("Glanmor County Council")
    listed = _cases(page)
    assert "Ysgol Gynradd Cwm Glas" in listed and "Oakfield" not in listed and "Riverford" not in listed
    answer = page.goto(f"/cases/{english}")
    assert answer is not None and answer.status == 404
    page.goto("/schools")
    schools = page.locator("main").inner_text()
    assert "Ysgol Uwchradd Glanmor" in schools and "Oakfield" not in schools
    page.goto("/dashboard")
    assert _open_cases(page) == 1
    expect(page.get_by_role("link", name="Authorities")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "consortium-welsh-lead-dashboard.png"), full_page=True)

    _sign_in(page, LEAD)
    listed = _cases(page)
    assert "Oakfield" in listed and "Ysgol" not in listed and "Glanmor" not in listed
    answer = page.goto(f"/cases/{welsh}")
    assert answer is not None and answer.status == 404

    _sign_in(page, SENIOR)
    page.get_by_role("link", name="Authorities").click()
    table = page.locator("table").inner_text()
    assert "Glanmor County Council" in table and "Riverford Council" in table and "Wales" in table
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "consortium-authorities.png"), full_page=True)
    page.goto("/dashboard")
    region = _open_cases(page)
    counts = {}
    for name in ("Glanmor County Council", "Riverford Council"):
        page.get_by_label("Authority").select_option(label=name)
        page.get_by_role("button", name="Show").click()
        counts[name] = _open_cases(page)
    assert counts["Glanmor County Council"] == 1 and region == sum(counts.values()) and counts["Riverford Council"] >= 1
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "consortium-dashboard.png"), full_page=True)


def test_a_consortium_officer_adds_an_authority_and_a_refusal_is_said_beside_its_field(page: Page, scc: Scc) -> None:
    scc.json("demo", "--consortium")
    _sign_in(page, SENIOR)
    page.goto("/authorities")
    page.get_by_text("Add an authority").click()
    page.get_by_label("Name", exact=True).fill("Bryn County Borough Council")
    page.get_by_label("Short name").fill("bryn")
    page.get_by_label("LA code").fill("69")
    page.get_by_label("Playbook").select_option("wales")
    page.get_by_role("button", name="Add the authority").click()
    expect(page.locator("#la_code-error")).to_contain_text("'69' is not an LA code")
    assert violations(page) == []
    page.get_by_label("LA code").fill("698")
    page.get_by_role("button", name="Add the authority").click()
    expect(page.get_by_text("Added Bryn County Borough Council")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Bryn County Borough Council")


def test_a_welsh_lead_sets_a_school_s_language_and_their_own(page: Page, scc: Scc) -> None:
    scc.json("demo", "--consortium")
    _sign_in(page, WELSH_LEAD)
    page.goto("/schools/991002")
    expect(page.get_by_test_id("language")).to_have_text("Welsh and English")  # as the demo recorded it
    page.get_by_text("Change the school's contacts").click()
    page.get_by_label("Language of its letters").select_option(label="Welsh (Cymraeg)")
    page.get_by_role("button", name="Save the contacts").click()
    expect(page.get_by_test_id("language")).to_have_text("Welsh (Cymraeg)")
    assert violations(page) == []
    page.goto("/me")
    page.get_by_label("Your pages, reminders and weekly digest are written to you in").select_option(label="Cymraeg (Welsh)")
    page.get_by_role("button", name="Save the language").click()
    expect(page.get_by_test_id("language-saved")).to_have_text("Wedi cadw.")  # her pages now speak Welsh too
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_label("Caiff eich tudalennau, eich nodiadau atgoffa a'ch crynodeb wythnosol eu hysgrifennu atoch yn")).to_have_value("cy")
    assert violations(page) == []
    assert next(p for p in scc.json("person", "list", "--as", WELSH_LEAD) if p["email"] == WELSH_LEAD)["language"] == "cy"
