"""The pages in Welsh: the switch at the top of every page, kept for the browser; every text of
the catalog in Welsh, dates in Welsh, and the page as accessible as in English."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from models.services.demo import DEMO_PASSWORD, IP, WELSH_LEAD
from models.settings.catalog import CATALOGS
from tests.conftest import Scc
from tests.web.conftest import SCREENSHOTS, violations


def _translated() -> dict[str, str]:
    """The catalog's words and sentences (no placeholder) whose Welsh differs from their English;
    not a single lower-case word, which may be a name in the data (the playbook "wales")."""
    with (CATALOGS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as text:
        read = read_po(text, locale="cy")
    return {m.id: m.string for m in read if isinstance(m.id, str) and m.id and "%(" not in m.id
            and m.string != m.id and len(m.id) > 3 and not re.fullmatch(r"[a-z]+", m.id)}


def _english_left(page: Page, english_text: str) -> list[str]:
    """The catalog's English that the English page showed and the Welsh page still shows."""
    welsh_text = page.locator("body").inner_text()
    welsh = _translated().values()
    return [m for m in _translated() if all(re.search(rf"\b{re.escape(m)}\b", text) for text in (english_text, welsh_text))
            and not any(m in w for w in welsh)]


def test_a_welsh_lead_reads_her_work_and_a_case_in_welsh(page: Page, scc: Scc) -> None:
    loaded = scc.json("demo", "--consortium")
    welsh_case = loaded["cases"][-1]
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(WELSH_LEAD)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    english = {}
    for path in ("/", f"/cases/{welsh_case}"):
        page.goto(path)
        english[path] = page.locator("body").inner_text()

    page.goto("/")
    page.get_by_test_id("language-switch").click()  # "Cymraeg", on every page
    expect(page.get_by_role("heading", name="Fy ngwaith")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("link", name="Achosion", exact=True)).to_be_visible()
    assert _english_left(page, english["/"]) == []
    assert violations(page) == []

    page.goto(f"/cases/{welsh_case}")  # the choice is kept for the pages that follow
    expect(page.get_by_role("heading", name="Llinell amser")).to_be_visible()
    expect(page.get_by_role("heading", name="Terfynau amser")).to_be_visible()
    main = page.locator("main").inner_text()
    assert any(month in main for month in ("Medi", "Hydref", "Tachwedd", "Rhagfyr", "Ionawr"))  # dates in Welsh
    # How each date was counted: the same count, said in Welsh.
    assert "working days after" in english[f"/cases/{welsh_case}"]
    assert "diwrnod gwaith ar ôl" in main and "working days after" not in main
    # The warning notice's recipients: the Welsh Ministers as the Welsh letter names them.
    assert "Welsh Ministers" in english[f"/cases/{welsh_case}"]
    assert "Gweinidogion Cymru" in main and "Welsh Ministers" not in main
    left = _english_left(page, english[f"/cases/{welsh_case}"])
    assert left == [], [(m, [ln for ln in main.splitlines() if m in ln][:3]) for m in left]
    assert violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "welsh-case.png"), full_page=True)

    page.get_by_test_id("language-switch").click()  # "English"
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_sign_in_page_offers_welsh_before_anyone_signs_in(page: Page, scc: Scc) -> None:
    page.goto("/sign-in?lang=cy")
    expect(page.get_by_role("heading", name="Mewngofnodi")).to_be_visible()
    page.get_by_label("Cyfeiriad e-bost").fill("nobody@example.gov.wales")
    page.get_by_label("Cyfrinair").fill("not the password")
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.get_by_role("heading", name="Mae problem wedi codi")).to_be_visible()
    assert violations(page) == []


def test_a_refusal_is_said_in_welsh_beside_its_field_and_on_the_error_page(page: Page, scc: Scc) -> None:
    scc.json("demo", "--consortium")
    page.goto("/sign-in?lang=cy")
    page.get_by_label("Cyfeiriad e-bost").fill(WELSH_LEAD)
    page.get_by_label("Cyfrinair").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.get_by_role("heading", name="Fy ngwaith")).to_be_visible()

    page.goto("/cases/new")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#urn-error")).to_contain_text("dewiswch yr ysgol")
    page.locator("#urn").select_option(index=1)
    page.locator("#reason").fill("Canlyniadau'n gostwng")
    page.locator("#on").fill("2099-01-05")
    page.locator("form button[type=submit]").last.click()
    beside = page.locator("#on-error")
    expect(beside).to_contain_text("yr achos: mae wedi'i ddyddio 5 Ionawr 2099, ar ôl heddiw")
    expect(page.locator(".govuk-error-summary")).to_contain_text("cofnodwch ef unwaith y bydd wedi digwydd")
    assert "after today" not in page.locator("main").inner_text()
    assert page.locator("#reason").input_value() == "Canlyniadau'n gostwng"  # nothing typed is lost
    assert violations(page) == []

    page.locator("#reason").fill("")
    page.locator("#on").fill("")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#reason-error")).to_contain_text("mae angen rheswm ar achos: dywedwch pam mae'r ysgol yn peri pryder")

    answer = page.goto("/cases/999999")
    assert answer is not None and answer.status == 404
    expect(page.locator("main")).to_contain_text("dim achos 999999")


def test_an_ip_of_both_authorities_reads_an_english_authority_s_case_in_welsh(page: Page, scc: Scc) -> None:
    loaded = scc.json("demo", "--consortium")
    english_case = loaded["cases"][0]  # Riverford's, on the England playbook
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(IP)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/cases/{english_case}")
    english = page.locator("body").inner_text()
    assert "Riverford" in english
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_role("heading", name="Llinell amser")).to_be_visible()
    # the England playbook's stages, actions and deadlines too; what people typed stays as typed
    typed = [text for p in scc.json("case", "show", str(english_case), "--as", IP)["priorities"] for text in (p["title"], p["success_criteria"])]
    left = [m for m in _english_left(page, english) if not any(m in text for text in typed)]
    main = page.locator("main").inner_text()
    assert left == [], [(m, [ln for ln in main.splitlines() if m in ln][:3]) for m in left]
    assert violations(page) == []
