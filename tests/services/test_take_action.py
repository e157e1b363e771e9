"""One action through the service layer, without Prefect: recorded, its letter made and the
case team's email queued in one transaction — or, refused, nothing written at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from models.db.cases import Deadline, WarningNotice
from models.db.messages import Notification
from models.db.session import transaction
from models.errors import GuardFailed
from models.services.cases import Actor, open_case, take_action
from models.services.directory import SchoolDetails, add_person, add_school
from models.vocab import Role, SchoolType
from tests.conftest import dump

LEAD, IP = "lead@riverford.example.gov.uk", "ip@riverford.example.gov.uk"
NOTICE = {"grounds": "low_standards", "reasons": "Standards fell for three years", "required_action": "Implement the plan",
          "compliance_days": "15", "minded_to": "appoint additional governors"}


@pytest.fixture
def case_id(db_url: str) -> int:
    with transaction() as session:
        add_person(session, "Lena Lead", LEAD, "lead", "test")
        add_person(session, "Ivan Partner", IP, "ip", "test")
        add_person(session, "Hana Head", "head@brook.example.sch.uk", "head", "test")
        add_school(session, SchoolDetails("100001", "Brook Primary", SchoolType.COMMUNITY, "Primary", "Riverford"), "test",
                   head="head@brook.example.sch.uk")
        case = open_case(session, "100001", "Outcomes below floor", on=date(2026, 9, 14), actor=Actor(LEAD, Role.LEAD),
                         lead=LEAD, ip=IP)
        return case.id


def test_a_notice_is_recorded_with_its_letter_and_the_teams_email(db_url: str, case_id: int) -> None:
    with transaction() as session:
        applied = take_action(session, case_id, "issue_warning_notice", NOTICE, on=date(2026, 10, 5), actor_email=LEAD)
    assert applied.stage == "warning_notice"
    assert [d.kind for d in applied.deadlines] == ["compliance_period_end", "powers_window_end"]
    (letter,) = applied.documents
    text = "\n".join(p.text for p in docx.Document(str(Path(letter.path))).paragraphs)
    assert "Brook Primary" in text and "Standards fell for three years" in text
    with transaction() as session:
        notice = session.execute(select(WarningNotice)).scalar_one()
        assert notice.compliance_end == date(2026, 10, 26)
        emails = sorted(n.recipient_email for n in session.execute(select(Notification)).scalars())
    assert emails == sorted([IP, LEAD]) and applied.notified == 2  # the case team: its lead and its IP


def test_a_refused_action_writes_nothing(db_url: str, case_id: int) -> None:
    with transaction() as session:
        take_action(session, case_id, "issue_warning_notice", NOTICE, on=date(2026, 10, 5), actor_email=LEAD)
    before = dump(db_url)
    with pytest.raises(GuardFailed, match="without an outcome"), transaction() as session:
        take_action(session, case_id, "issue_warning_notice", NOTICE, on=date(2026, 10, 6), actor_email=LEAD)
    assert dump(db_url) == before
    with transaction() as session:
        assert session.execute(select(Deadline.kind).where(Deadline.kind == "compliance_period_end")).scalars().all() == [
            "compliance_period_end"]


def test_deadlines_follow_the_case_and_a_closed_case_has_none_live(db_url: str, case_id: int) -> None:
    with transaction() as session:
        take_action(session, case_id, "start_diagnosis", {"method": "review day"}, on=date(2026, 9, 15), actor_email=LEAD)
        take_action(session, case_id, "close_without_intervention", {"reasons": "Concern resolved"}, on=date(2026, 9, 25),
                    actor_email=LEAD)
    with transaction() as session:
        rows = session.execute(select(Deadline.kind, Deadline.status, Deadline.closed_reason)).all()
    assert [tuple(r) for r in rows] == [("diagnosis_due", "cancelled", "cancelled by close_without_intervention")]


def test_moving_past_diagnosis_meets_its_deadline(db_url: str, case_id: int) -> None:
    with transaction() as session:
        take_action(session, case_id, "start_diagnosis", {"method": "review day"}, on=date(2026, 9, 15), actor_email=LEAD)
        take_action(session, case_id, "issue_warning_notice", NOTICE, on=date(2026, 10, 5), actor_email=LEAD)
    with transaction() as session:
        status = dict(session.execute(select(Deadline.kind, Deadline.closed_reason).where(Deadline.kind == "diagnosis_due")).tuples().all())
    assert status == {"diagnosis_due": "met by issue_warning_notice"}


def test_the_actions_a_case_offers_say_which_are_blocked_and_why(db_url: str, case_id: int) -> None:
    from models.services.views import allowed_action_choices

    with transaction() as session:
        take_action(session, case_id, "issue_warning_notice", NOTICE, on=date(2026, 10, 5), actor_email=LEAD)
        _, choices = allowed_action_choices(session, case_id, on=date(2026, 10, 6))
    by_name = {c.action: c for c in choices}
    assert by_name["record_compliance"].blocked is None
    assert "runs to 2026-10-26" in (by_name["record_non_compliance"].blocked or "")
    assert "without an outcome" in (by_name["issue_warning_notice"].blocked or "")  # one live notice at a time
    assert next(f for f in by_name["record_inspection_category"].fields if f.name == "category").options == [
        "special_measures", "serious_weaknesses"]
