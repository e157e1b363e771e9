"""The daily sweep over history: an alert whose cause goes and comes back is reopened and sent
again, never a database error; one case's fault does not stop the others."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from models.db.cases import Deadline
from models.db.messages import Alert, Notification
from models.db.session import transaction
from models.services.cases import Actor, open_case, take_action
from models.services.directory import SchoolDetails, add_person, add_school
from models.services.sweep import deadline_sweep
from models.vocab import DeadlineStatus, Role, SchoolType

LEAD = "lead@riverford.example.gov.uk"
NOTICE = {"grounds": "low_standards", "reasons": "r", "required_action": "a", "compliance_days": "5", "minded_to": "m"}


def _case_with_an_overdue_notice() -> int:
    with transaction() as session:
        add_person(session, "Lena Lead", LEAD, "lead", "test")
        add_person(session, "Sam Senior", "senior@riverford.example.gov.uk", "senior", "test")
        add_school(session, SchoolDetails("100001", "Brook Primary", SchoolType.COMMUNITY, "Primary", "Riverford"), "test")
        case = open_case(session, "100001", "Outcomes", on=date(2026, 9, 14), actor=Actor(LEAD, Role.LEAD), lead=LEAD)
        take_action(session, case.id, "issue_warning_notice", NOTICE, on=date(2026, 10, 1), actor_email=LEAD)
        return case.id


def _set_compliance_deadline(status: DeadlineStatus) -> None:
    with transaction() as session:
        session.execute(update(Deadline).where(Deadline.kind == "compliance_period_end").values(status=status))


def test_an_alert_that_comes_back_is_reopened_and_sent_again(db_url: str) -> None:
    _case_with_an_overdue_notice()
    with transaction() as session:
        assert [a["alert"] for a in deadline_sweep(session, date(2026, 10, 12)).alerts_raised] == ["compliance_outcome_missing"]
    _set_compliance_deadline(DeadlineStatus.MET)  # the cause goes…
    with transaction() as session:
        assert deadline_sweep(session, date(2026, 10, 13)).alerts_resolved == 1
    _set_compliance_deadline(DeadlineStatus.OVERDUE)  # …and comes back
    with transaction() as session:
        report = deadline_sweep(session, date(2026, 10, 14))
        assert [a["alert"] for a in report.alerts_raised] == ["compliance_outcome_missing"] and not report.problems
    with transaction() as session:
        (alert,) = session.execute(select(Alert)).scalars().all()
        assert (alert.raised_on, alert.resolved_on) == (date(2026, 10, 14), None)
        keys = session.execute(select(Notification.key).where(Notification.kind == "alert")).scalars().all()
    assert sorted(k.split(":")[-2] for k in keys) == ["2026-10-12", "2026-10-12", "2026-10-14", "2026-10-14"]  # lead and senior, twice
    with transaction() as session:  # a second sweep the same day adds nothing
        assert deadline_sweep(session, date(2026, 10, 14)).alerts_raised == []
