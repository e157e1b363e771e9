"""Pages speak to people: no command syntax on any form of any shipped playbook, nor on any
page a lead, a senior officer or an IP opens, and a refusal is said beside its field."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from models.errors import MissingField
from models.rules.fields import parse_fields
from models.rules.guards import Guard, check_guard
from models.schemas import PriorityView
from models.services.access import Task
from models.services.views import _choice  # the one way an action's form is described
from models.settings.files import names_in, playbook_named
from tests.cli.support import IP, LEAD, NOTICE, SENIOR, advance, open_case
from tests.cli.test_concerns import FIXTURE
from tests.conftest import Scc
from tests.web.conftest import accessible, sign_in, violations
from tests.web.words import command_syntax, visible_text
from web import forms
from web.pages import templates

SHIPPED = names_in("playbooks")
PRIORITIES = [PriorityView(number=n, title=f"Priority {n}", success_criteria="met", lead="Head", target_on=date(2027, 3, 26),
                           resources="time", latest_rag=None) for n in (1, 2)]


def _form_text(playbook: str, action: str, entered: dict[str, list[str]], errors: dict[str, str], summary: str | None) -> str:
    spec = playbook_named(playbook).actions[action]
    choice = _choice(spec, None)
    case = SimpleNamespace(id=7, school=SimpleNamespace(name="Oak Primary"), priorities=PRIORITIES)
    html = templates.env.get_template("action.html").render(
        case=case, choice=choice, fields=forms.form_fields(choice, PRIORITIES, entered, errors), summary=summary,
        field_errors=errors, on_field=forms.ON_FIELD, on_value="", on_error=None, viewer=None, target=None,
        letterhead=SimpleNamespace(authority="Riverford", department="Education", logo=None), tasks=Task, csrftoken="",
        today=date(2027, 9, 30), path="/", glossary=playbook_named(playbook).glossary)
    return visible_text(html)


@pytest.mark.parametrize("playbook", SHIPPED)
def test_every_form_of_every_shipped_playbook_speaks_to_people(playbook: str) -> None:
    book = playbook_named(playbook)
    for action, spec in book.actions.items():
        blank = _form_text(playbook, action, {}, {}, None)
        assert not command_syntax(blank), f"{playbook} {action}: {command_syntax(blank)}"
        choice = _choice(spec, None)
        if not any(f.required and f.default is None for f in spec.fields):
            continue
        with pytest.raises(MissingField) as missing:
            parse_fields(action, spec.fields, {})
        errors = forms.errors_by_field(missing.value, choice)
        assert errors, f"{playbook} {action}: the missing fields are named beside them"
        refused = _form_text(playbook, action, {}, errors, str(missing.value))
        assert not command_syntax(refused), f"{playbook} {action} refused: {command_syntax(refused)}"


def test_a_review_missing_a_judgement_is_refused_beside_the_judgements_in_words() -> None:
    choice = _choice(playbook_named("england").actions["record_progress_review"], None)
    facts = SimpleNamespace(case_id=7, priority_numbers={1, 2, 3})
    with pytest.raises(Exception) as refused:
        check_guard(Guard.RAG_COVERS_PRIORITIES, facts, {"rag": {2: "green"}})
    errors = forms.errors_by_field(refused.value, choice)
    assert {name: str(said) for name, said in errors.items()} == {"rag": "Give a RAG judgement for priorities 1 and 3"}
    assert "rag.1" in str(refused.value)  # the command line still names its syntax


WIDTHS = (1280, 640, 390)  # a desktop; 1,280 px at 200 % zoom (WCAG 2.2 reflow); a phone


def _fits(page: Page) -> bool:
    """The page does not scroll sideways: nothing is wider than the window."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"))


def test_every_page_speaks_to_people_passes_axe_and_fits_each_width(page: Page, staff: dict[str, str], la: Scc) -> None:
    """Every page of the menu and of a case in intervention, as a senior officer and as an IP,
    at 1,280, 640 (200 % zoom) and 390 px: no command syntax, no axe violation of any impact,
    no sideways scrolling. A review refused for a missing judgement says so beside it."""
    la("concerns", "import", str(FIXTURE), "--on", "2027-07-01", "--as", LEAD)  # schools flagged, their evidence
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "issue_warning_notice", "2026-09-16", *NOTICE)
    for title in ("Reading", "Attendance"):
        advance(la, case, "add_priority", "2026-09-17", f"title={title}", "success_criteria=80% at expected", "lead=Deputy head",
                "target_on=2027-03-26", "resources=English hub")
    shown = la.json("case", "show", str(case))
    letter = next(d["id"] for d in la.json("doc", "list", str(case)) if d["kind"] == "warning_notice")
    pages = ["/", "/cases", "/cases/new", "/cases/import", f"/cases/{case}", f"/cases/{case}/priorities/1", f"/letters/{letter}",
             "/schools", "/schools/100001", "/people", "/me", "/dashboard", "/concerns", "/term-dates", "/playbooks", "/system",
             "/forgotten-password"]
    pages += [f"/cases/{case}/actions/{a['action']}" for a in la.json("case", "actions", str(case))["actions"] if not a.get("blocked")]
    pages += [f"/cases/{case}/events/{e['seq']}" for e in shown["events"] if e["action"] == "add_priority"][:1]
    problems: list[str] = []
    for who in (SENIOR, IP):
        sign_in(page, who)
        for path in pages:
            answer = page.goto(path)
            assert answer is not None and answer.status in (200, 403), f"{who} {path}: {answer and answer.status}"
            problems += [f"{who} {path}: {found}" for found in command_syntax(visible_text(page.content()))]
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                problems += [f"{who} {path} at {width} px: {v}" for v in violations(page)]
                if not _fits(page):
                    problems.append(f"{who} {path} at {width} px scrolls sideways")
            page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="Sign out").click()
    assert not problems, "\n".join(problems)

    sign_in(page, IP)
    page.goto(f"/cases/{case}/actions/record_progress_review")
    page.get_by_label("Next steps").fill("Keep going")
    page.get_by_role("button", name=re.compile("progress review")).click()
    expect(page.locator("#rag-error")).to_contain_text("Select a RAG judgement for each priority")
    page.locator("#rag\\.1-amber").check()
    page.get_by_role("button", name=re.compile("progress review")).click()
    expect(page.locator("#rag-error")).to_contain_text("Give a RAG judgement for priority 2")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give a RAG judgement for priority 2")
    accessible(page)


def test_the_scan_finds_the_syntax_pages_once_showed() -> None:
    """What a page said before: each is caught, so a page that says it again fails."""
    for shown in ('per priority: --set rag.1=green --set rag.2=red', "(imported with scc concerns import)",
                  "a section 60A notice rests on pay_order_not_complied or head_not_secured", "Role: principal_ip"):
        assert command_syntax(shown), shown
    assert not command_syntax("Record a TIG meeting — Oak Primary, 14 December 2026 (Section 60A)")
