"""Warning-notice letters, opened and read back as a recipient would read them."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.cli.support import NOTICE, advance, open_case
from tests.conftest import Scc


def text_of(path: str) -> str:
    document = docx.Document(path)
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    return header + "\n" + "\n".join(p.text for p in document.paragraphs)


def test_england_warning_notice_has_its_statutory_contents(la: Scc) -> None:
    case = open_case(la, "100002")  # voluntary aided, with a diocese: copies go to both
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    made = la.json("doc", "render", str(case), "warning_notice")
    text = text_of(made["path"])
    assert "Riverford Council" in text  # the letterhead
    assert "section 60 of the Education and Inspections Act 2006" in text
    assert "standards of performance of pupils at the school are unacceptably low" in text
    assert "safety of pupils or staff of the school is threatened" in text
    assert "Standards fell" in text and "Implement the plan" in text
    assert "Tuesday 5 January 2027" in text  # the compliance end, in words
    assert "minded to appoint additional governors" in text
    assert "St Mary & St John's <Federation>" in text  # escaped, intact
    # s60(6)(b), (6A): a Church of England school's copy goes to its diocesan authority, not to the
    # appointer of its foundation governors; the Chief Inspector (s60(6)) and, from 18 April 2016,
    # the Secretary of State
    for copy in ("The Head Teacher", "Diocese of Riverford", "His Majesty's Chief Inspector", "The Secretary of State for Education"):
        assert copy in text
    assert "Riverford Diocesan Board" not in text
    assert [r["role"] for r in made["recipients"]] == ["chair", "head", "diocese", "chief_inspector", "secretary_of_state"]


def test_issuing_a_notice_produces_the_letter(la: Scc) -> None:
    case = open_case(la)
    applied = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)["applied"]
    (letter,) = applied["documents"]
    assert letter["kind"] == "warning_notice" and letter["version"] == 1
    assert "Tuesday 5 January 2027" in text_of(letter["path"])
    assert la.json("doc", "list", str(case))[0]["sha256"]


def test_wales_notice_differs_where_the_statute_differs(la: Scc) -> None:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor")["id"]
    advance(la, case, "issue_warning_notice", "2026-12-10", "grounds=ground_1,ground_4", "reasons=Low standards",
            "required_action=Act", "compliance_days=15", "minded_to=appoint an interim executive board (s7)")
    text = text_of(la.json("doc", "render", str(case), "warning_notice")["path"])
    assert "School Standards and Organisation (Wales) Act 2013" in text and "section 3" in text
    assert "Ground 1" in text and "Ground 4" in text and "Welsh Ministers" in text
    assert "Education and Inspections Act 2006" not in text and "Secretary of State" not in text
    assert "two months" not in text  # England's s64(2) window has no Welsh equivalent
    assert "Carl Chair" in text and "Dear Carl Chair," in text  # addressed to the chair by name


def test_regenerating_keeps_both_versions_and_audits_both(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    first = la.json("doc", "render", str(case), "warning_notice")
    second = la.json("doc", "render", str(case), "warning_notice")
    assert (first["version"], second["version"]) == (2, 3)  # version 1 came with the action
    assert Path(first["path"]).exists() and Path(second["path"]).exists()
    assert [d["version"] for d in la.json("doc", "list", str(case))] == [1, 2, 3]
    events = [e for e in la.json("case", "show", str(case))["events"] if e["action"] == "document_generated"]
    assert [e["after"]["version"] for e in events] == [1, 2, 3]


def test_no_notice_and_unknown_kind_are_refused(la: Scc, refused) -> None:
    case = open_case(la)
    assert "has no warning notice" in refused("doc", "render", str(case), "warning_notice")
    message = refused("doc", "render", str(case), "memo")
    assert "available:" in message and "warning_notice" in message and "concern_letter" in message


@pytest.fixture
def override(config: Path) -> Path:
    return config / "templates" / "warning_notice.xml.j2"


def test_undefined_variable_names_variable_and_template(la: Scc, refused, override: Path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    override.write_text('{% import "_word.xml.j2" as w %}{{ w.para(school.headteacher_salary) }}')
    message = refused("doc", "render", str(case), "warning_notice")
    assert "warning_notice.xml.j2" in message and "headteacher_salary" in message


def test_la_template_cannot_execute_code(la: Scc, refused, override: Path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    override.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    assert "unsafe" in refused("doc", "render", str(case), "warning_notice")


def test_concern_letter_and_exit_letter_carry_what_the_lead_entered(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=standards")
    applied = advance(la, case, "send_concern_letter", "2026-09-28", "concerns=Reading & maths <below floor>",
                      "required_action=Adopt the plan", "timescale_days=20", "support=Fortnightly IP visits")["applied"]
    (letter,) = applied["documents"]
    text = text_of(letter["path"])
    assert "Reading & maths <below floor>" in text and "within 20 school days" in text
    assert "Fortnightly IP visits" in text and "warning notice" in text and "Hana Head" in text
    advance(la, case, "add_priority", "2026-09-29", "title=Reading", "success_criteria=70%",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    advance(la, case, "escalate", "2026-09-29", "reasons=slow")
    advance(la, case, "resume_intervention", "2026-09-30", "reasons=better")
    advance(la, case, "record_progress_review", "2026-10-06", "rag.1=green", "reason.1=95% at standard",
            "next_steps=exit", actor="ip@riverford.example.gov.uk")
    advance(la, case, "begin_exit", "2026-10-07", "reasons=secured")
    advance(la, case, "record_summative_meeting", "2026-10-08", "attendees=head, chair", "notes=tapered")
    closed = advance(la, case, "close_case", "2026-10-09", "exit_conditions=Reading at 95% for two half-terms")
    exit_letter = next(d for d in closed["applied"]["documents"] if d["kind"] == "exit_letter")
    text = text_of(exit_letter["path"])
    assert "Reading at 95% for two half-terms" in text and "Friday 9 October 2026" in text
