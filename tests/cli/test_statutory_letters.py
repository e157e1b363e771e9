"""The statutory letters read as an LA would send them: dated by their action, copied as the
statute lists for the school and the date, in the regime in force, naming the powers the
route allows — and no internal line, code or source reference in any of them."""

from __future__ import annotations

import re

import docx
import pytest
from sqlalchemy import text

from models.db.session import engine
from tests.cli.support import IP, NOTICE, advance, open_case
from tests.cli.support import made as _made
from tests.cli.test_documents import text_of
from tests.conftest import Scc

SEED_OR_CODE = re.compile(r"\d{3}:L\d|Regime:|_[a-z]+_|\bs6[0-6]A?\b|\{\{|\}\}")


def _school(la: Scc, urn: str, religious_character: str, **options: str) -> None:
    extra = sum(([f"--{k.replace('_', '-')}", v] for k, v in options.items()), [])
    la("school", "add", "--urn", urn, "--name", f"School {urn}", "--type", "voluntary_aided", "--phase", "Primary",
       "--la", "Riverford", "--religious-character", religious_character, *extra)


def test_a_letter_is_dated_by_its_action_and_keeps_that_date_when_made_again(la: Scc) -> None:
    case = open_case(la)
    shown = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    first = text_of(_made(shown, "warning_notice"))
    assert "Thursday 10 December 2026" in first
    assert "The Head Teacher" not in first and "Hana Head, Head Teacher: to be sent when this notice is issued" in first
    again = la.json("doc", "render", str(case), "warning_notice")  # made later: the same date
    text = text_of(again["path"])
    assert "Thursday 10 December 2026" in text and "Our reference: SCC/1/WN/2" in text
    properties = docx.Document(again["path"]).core_properties
    assert properties.author == "Riverford Council" and properties.created.date().isoformat() == "2026-12-10"


def test_a_roman_catholic_school_copies_its_diocese_once(la: Scc) -> None:
    _school(la, "100005", "Roman Catholic", diocese="Diocese of Riverford (Roman Catholic)",
            foundation_appointer="Diocese of Riverford (Roman Catholic)")
    case = open_case(la, "100005")
    shown = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    text = text_of(_made(shown, "warning_notice"))
    assert text.count("Diocese of Riverford (Roman Catholic)") == 1
    assert "The Bishop of the Diocese of Riverford (Roman Catholic): to be sent" in text  # the body, not the diocese
    recipients = [r["role"] for r in la.json("doc", "list", str(case))[0]["recipients"]]
    assert recipients == ["chair", "head", "diocese", "chief_inspector", "secretary_of_state"]


def test_a_jewish_school_copies_the_appointer_and_no_diocese(la: Scc) -> None:
    _school(la, "100006", "Jewish", foundation_appointer="The Riverford Jewish Schools Trust")
    case = open_case(la, "100006")
    text = text_of(_made(advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE), "warning_notice"))
    assert "The Riverford Jewish Schools Trust" in text
    assert "diocesan" not in text.lower() and "Diocese" not in text


def test_a_2015_notice_has_the_initial_period_and_goes_to_the_chief_inspector(la: Scc) -> None:
    case = open_case(la, on="2015-02-02")
    base = [n for n in NOTICE if not n.startswith("compliance_days")]
    message = la("case", "advance", str(case), "issue_warning_notice", "--on", "2015-03-02", "--as",
                 "lead@riverford.example.gov.uk", *sum((["--set", s] for s in [*base, "compliance_days=20"]), []), ok=False)
    assert "fixed at 15 working days" in message.output
    shown = advance(la, case, "issue_warning_notice", "2015-03-02", *base, "compliance_days=15")
    text = text_of(_made(shown, "warning_notice"))
    assert "within 15 working days" in text and "Monday 23 March 2015" in text
    assert "make representations against this notice to Her Majesty's Chief Inspector" in text
    assert "Her Majesty's Chief Inspector of Education, Children's Services and Skills: to be sent when this notice is issued" in text
    assert "Secretary of State" not in text and "Regime" not in text


def test_an_s60a_notice_before_2010_is_refused_and_after_it_s63_is_not_offered(la: Scc, refused) -> None:
    case = open_case(la, on="2008-01-07")
    pay = ["grounds=pay_order_not_complied", "reasons=Teachers underpaid", "required_action=Pay the arrears",
           "compliance_days=15", "minded_to=appoint additional governors", "section=s60A"]
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2008-03-03", "--as",
                      "lead@riverford.example.gov.uk", *sum((["--set", s] for s in pay), []))
    assert "section 60A" in message and "12 Jan 2010" in message

    later = open_case(la, "100004", on="2026-09-14")
    advance(la, later, "issue_warning_notice", "2026-10-01", *[p for p in pay if not p.startswith("compliance")], "compliance_days=5")
    advance(la, later, "record_non_compliance", "2026-10-12", "evidence=Still unpaid")
    message = refused("case", "advance", str(later), "give_notice_of_intention", "--on", "2026-10-13", "--as",
                      "lead@riverford.example.gov.uk", "--set", "powers=s63,s64", "--set", "reasons=r")
    assert "section 63" in message and "not available" in message
    shown = advance(la, later, "give_notice_of_intention", "2026-10-13", "powers=s64,s65", "reasons=Arrears unpaid")
    text = text_of(_made(shown, "notice_of_intention"))
    assert "sections 64 to 66" in text and "section 63" not in text


def test_a_welsh_notice_copies_the_religious_body_and_the_welsh_ministers_with_no_window(la: Scc) -> None:
    _school(la, "100007", "Church in Wales", diocese="Diocese of Llandaff", foundation_appointer="Llandaff Diocesan Board")
    case = la.json("case", "open", "100007", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor", "--as", "lead@riverford.example.gov.uk")["id"]
    shown = advance(la, case, "issue_warning_notice", "2026-10-01", "grounds=ground_1", "reasons=Low standards",
                    "required_action=Act", "compliance_days=15", "minded_to=appoint additional governors")
    assert [d["kind"] for d in shown["applied"]["deadlines"]] == ["compliance_period_end"]  # no powers window in Wales
    text = text_of(_made(shown, "warning_notice"))
    for body in ("Llandaff Diocesan Board", "Diocese of Llandaff", "Welsh Ministers"):
        assert body in text
    assert "two months" not in text and "Secretary of State" not in text


def test_every_letter_kind_has_a_reference_a_salutation_and_no_internal_text(monitored: tuple[Scc, int, dict[str, str]]) -> None:
    la, case, paths = monitored
    shown = advance(la, case, "issue_warning_notice", "2026-11-02", *NOTICE)
    paths["warning_notice"] = _made(shown, "warning_notice")
    letters = {"causing_concern_notification", "category_letter", "warning_notice"}
    for kind, path in paths.items():
        text = text_of(path)
        assert not SEED_OR_CODE.search(text.replace("St Mary & St John's", "")), (kind, SEED_OR_CODE.search(text))
        assert "Our reference: SCC/" in text or kind in {"tig_minutes", "note_of_visit", "progress_review_report"}, kind
        if kind in letters:
            assert re.search(r"^Dear .+,$", text, re.M) and ("Yours sincerely" in text or "Yours faithfully" in text), kind
        section = docx.Document(path).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), kind  # A4, not US Letter
        assert "carries its explanation" not in text, kind  # no internal rule in a document
    references = [re.search(r"Our reference: (\S+)", text_of(paths[k]))[1] for k in sorted(letters)]
    assert references == [f"SCC/{case}/CAT/1", f"SCC/{case}/CCN/1", f"SCC/{case}/WN/1"]
    # The TIG of 6 October lists as next only what falls after it, not the diagnosis due before.
    minutes = text_of(paths["tig_minutes"]).split("Next deadlines", 1)[1]
    assert all(date >= "2026-10-06" for date in _iso_days(minutes)), minutes


def _iso_days(text: str) -> list[str]:
    """The days a document names in words ("Tuesday 20 October 2026"), as ISO dates."""
    from datetime import datetime

    return [datetime.strptime(found, "%A %d %B %Y").date().isoformat()
            for found in re.findall(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} \w+ \d{4}", text)]


def test_the_governing_body_is_addressed_in_one_line_and_a_concern_letter_gives_its_end_date(la: Scc) -> None:
    case = open_case(la, "100004")  # Brook Foundation: no chair on record
    advance(la, case, "start_diagnosis", "2026-09-15")
    shown = advance(la, case, "send_concern_letter", "2026-09-21", "concerns=Attendance", "required_action=A plan",
                    "timescale_days=30", "support=Weekly visits")
    text = text_of(_made(shown, "concern_letter"))
    due = next(d for d in shown["applied"]["deadlines"] if d["kind"] == "concern_letter_response_due")
    assert due["due"] == "2026-11-09"  # 30 school days from the day after, the half-term week skipped
    assert "within 30 school days, that is by Monday 9 November 2026." in text
    notice = text_of(_made(advance(la, case, "issue_warning_notice", "2026-11-12", *NOTICE, "foundation_body=The Brook Trust"),
                           "warning_notice"))
    opening = notice.split("Dear", 1)[0]
    assert opening.count("Chair") == 1 and "The Chair of the Governing Body\nBrook Foundation School" in opening


def test_a_statement_with_a_blank_cell_is_refused_naming_it(la: Scc, refused, db_url: str) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    advance(la, case, "record_inspection_category", "2026-10-20", "category=special_measures", "report_published_on=2026-10-16")
    advance(la, case, "add_priority", "2026-10-21", "title=Safeguarding", "success_criteria=SCR compliant",
            "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    with engine(db_url).begin() as connection:  # a priority recorded before a priority had to name them
        connection.execute(text("UPDATE priority SET lead = NULL, target_on = NULL, resources = NULL"))
    message = refused("case", "advance", str(case), "submit_statement_of_action", "--on", "2026-10-23", "--as",
                      "lead@riverford.example.gov.uk", "--set", "target_removal_on=2028-03-31", "--set", "summary=plan",
                      "--set", "parents_arrangements=Letter home")
    assert "priority 1 (Safeguarding) has no lead or target date or resources" in message
    assert la.json("case", "show", str(case))["stage"] == "concern_raised"
    assert all(d["kind"] != "statement_of_action" for d in la.json("doc", "list", str(case)))


@pytest.mark.parametrize("category", ["estyn_review"])
def test_an_estyn_review_sets_no_statement_deadline(la: Scc, category: str) -> None:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor", "--as", "lead@riverford.example.gov.uk")["id"]
    shown = advance(la, case, "record_inspection_category", "2026-10-20", f"category={category}", "report_published_on=2026-10-16")
    assert shown["applied"]["deadlines"] == []


def test_an_academy_may_be_sent_a_concern_letter_that_names_the_regional_director(la: Scc) -> None:
    case = open_case(la, "100003")
    shown = advance(la, case, "send_academy_concern_letter", "2026-09-20", "concerns=Attendance falling",
                    "required_action=An attendance plan", "timescale_days=20", "support=Attendance adviser")
    assert shown["stage"] == "concern_raised"  # the case keeps its stage: the LA has no powers to move it on
    text = text_of(_made(shown, "concern_letter"))
    assert "raise its concerns with the Regional Director" in text and "warning notice" not in text


def test_an_academy_concern_letter_gives_the_day_its_timescale_ends(la: Scc) -> None:
    case = open_case(la, "100003")  # Hill Academy, its trust on record
    shown = advance(la, case, "send_academy_concern_letter", "2026-09-21", "concerns=Attendance", "required_action=A plan",
                    "timescale_days=30", "support=Weekly visits")
    assert "within 30 school days, that is by Monday 9 November 2026." in text_of(_made(shown, "concern_letter"))
    referred = advance(la, case, "refer_to_regional_director", "2026-11-12", "reasons=No plan came")
    assert not [d for d in referred["deadlines"] if d["kind"] == "concern_letter_response_due" and d["status"] in ("open", "overdue")]


def test_each_review_has_its_own_report_and_a_report_made_again_is_its_next_version(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-20", "title=Reading", "success_criteria=80% at expected", "lead=Deputy head",
            "target_on=2027-03-26", "resources=English hub")
    for held_on, rag in (("2026-10-20", "amber"), ("2026-12-14", "green")):
        advance(la, case, "record_progress_review", held_on, f"rag.1={rag}", "reason.1=reading at 70%", "next_steps=go on",
                actor=IP)
    la("doc", "render", str(case), "progress_review_report", "--as", IP)  # the latest made again
    reports = [(d["meeting_on"], d["meeting_version"]) for d in la.json("doc", "list", str(case))
               if d["kind"] == "progress_review_report"]
    assert reports == [("2026-10-20", 1), ("2026-12-14", 1), ("2026-12-14", 2)]
