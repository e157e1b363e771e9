"""The half-term plan: the recurring duties of every case under intervention, as deadlines.

At the start of each half-term the product plans, for every open case at a stage its
playbook's ``[cadence]`` covers, the progress review (at the end of the half-term), the
IP's progress report (due a few working days before the review, 002:L492–511), the IP's
monitoring visits (at least twice a half-term, 002:L496) and the TIG meetings (at least
twice a term, 001:L757–769). Duties are spread evenly over the school days of the
half-term or term, each falling on the last school day of its share, so a lead can defend
the date. ``half_term_duties`` is pure; ``plan_half_term`` writes the deadlines.

Each planned deadline carries a ``plan_key`` unique per case, so planning twice (a retried
flow, the scheduler firing every morning) adds nothing; duties already past on the day a
case is planned (a case that joins mid half-term) are not planned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from models.db import audit
from models.db.cases import Case, Deadline
from models.db.queries import case_is_open
from models.errors import CaseworkError
from models.rules.calendar import HalfTerm, TermCalendar, long_date
from models.rules.playbook import Cadence
from models.settings.files import calendar_named, pinned_playbook
from models.vocab import Basis, DeadlineStatus

__all__ = ["Duty", "PlanReport", "half_term_duties", "plan_half_term"]

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass(frozen=True)
class Duty:
    """One recurring duty: a deadline of ``kind`` due by ``due``."""

    kind: str
    due: date
    key: str
    number: int
    explanation: str


def _ordinal(n: int) -> str:
    return ORDINALS.get(n, f"{n}th")


def _shares(days: Sequence[date], n: int) -> list[date]:
    """The last day of each of n even shares of the days: when each of n duties is due."""
    if n <= 0 or not days:
        return []
    return [days[max(0, (len(days) * i) // n - 1)] for i in range(1, n + 1)]


def half_term_duties(cadence: Cadence, calendar: TermCalendar, half: HalfTerm) -> list[Duty]:
    """Every duty of one half-term, in date order. Raises OutsideKnownTerms only if the
    IP's report would fall before the first term on record."""
    duties: list[Duty] = []
    days = calendar.counting_days(half.start, half.end, Basis.SCHOOL)
    span = f"{half.name} ({long_date(half.start)} to {long_date(half.end)}, {len(days)} school days)"
    reviews = _shares(days, cadence.reviews_per_half_term)
    for number, due in enumerate(reviews, start=1):
        key = f"{half.start.isoformat()}:progress_review:{number}"
        duties.append(Duty("progress_review_due", due, key, number,
                           f"{_ordinal(number)} of {len(reviews)} progress reviews in {span}: due by {long_date(due)}"))
        report = calendar.days_before(due, cadence.ip_report_days_before_review, Basis.WORKING)
        duties.append(Duty("ip_progress_report_due", report, key.replace("progress_review", "ip_progress_report"), number,
                           f"the IP's progress report is due {cadence.ip_report_days_before_review} working days "
                           f"before the review of {long_date(due)}: {long_date(report)}"))
    visits = _shares(days, cadence.visits_per_half_term)
    for number, due in enumerate(visits, start=1):
        duties.append(Duty("monitoring_visit_due", due, f"{half.start.isoformat()}:monitoring_visit:{number}", number,
                           f"{_ordinal(number)} of {len(visits)} IP monitoring visits in {span}: due by {long_date(due)}"))
    term = calendar.term_of(half.start)
    if term is not None:
        term_days = calendar.counting_days(term.start, term.end, Basis.SCHOOL)
        meetings = _shares(term_days, cadence.tig_meetings_per_term)
        for number, due in enumerate(meetings, start=1):
            if half.start <= due <= half.end:
                duties.append(Duty(
                    "tig_meeting_due", due, f"{term.start.isoformat()}:tig:{number}", number,
                    f"{_ordinal(number)} of {len(meetings)} TIG meetings in the {term.name} term "
                    f"({len(term_days)} school days): due by {long_date(due)}",
                ))
    return sorted(duties, key=lambda d: (d.due, d.kind, d.number))


@dataclass
class PlanReport:
    """What one run of the plan did, per case: printed by ``scc flows run plan_half_term``."""

    on: date
    planned: dict[int, list[str]] = field(default_factory=dict)  # case id -> deadline kinds added
    refused: dict[int, str] = field(default_factory=dict)  # case id -> why (e.g. no terms on record)

    @property
    def deadlines_added(self) -> int:
        return sum(len(kinds) for kinds in self.planned.values())

    def as_dict(self) -> dict[str, object]:
        return {"on": self.on.isoformat(), "deadlines_added": self.deadlines_added,
                "planned": {str(k): v for k, v in self.planned.items()},
                "refused": {str(k): v for k, v in self.refused.items()}}


def plan_half_term(session: Session, on: date, actor: str = "scheduler") -> PlanReport:
    """Plan the half-term containing ``on`` (or the next to start) for every case under
    intervention, in the caller's transaction: one query for the cases, one for the plan
    already made, one bulk insert."""
    report = PlanReport(on)
    cases = session.execute(
        select(Case).where(case_is_open()).options(selectinload(Case.school)).order_by(Case.id)
    ).scalars().all()
    existing: dict[int, set[str]] = defaultdict(set)
    for case_id, key in session.execute(
        select(Deadline.case_id, Deadline.plan_key).where(Deadline.plan_key.is_not(None), Deadline.due >= on)
    ):
        existing[case_id].add(key)
    rows: list[dict[str, object]] = []
    for case in cases:
        cadence = pinned_playbook(session, case.playbook, case.playbook_version).cadence
        if cadence is None or case.stage not in cadence.stages:
            continue
        try:
            calendar = calendar_named(case.calendar)
            half = calendar.half_term_on(on)
            if half is None:
                report.refused[case.id] = (
                    f"no half-term on or after {on.isoformat()} in calendar '{case.calendar}': add the next year's terms"
                )
                continue
            duties = [d for d in half_term_duties(cadence, calendar, half) if d.due >= on and d.key not in existing[case.id]]
        except CaseworkError as exc:
            report.refused[case.id] = str(exc)
            continue
        if not duties:
            continue
        report.planned[case.id] = [d.kind for d in duties]
        rows += [
            {"case_id": case.id, "kind": d.kind, "counted_from": max(half.start - timedelta(days=1), on), "amount": d.number,
             "unit": "cadence", "basis": Basis.SCHOOL.value, "due": d.due, "calendar": calendar.name,
             "calendar_version": calendar.version, "explanation": d.explanation, "status": DeadlineStatus.OPEN,
             "set_by_action": "plan_half_term", "plan_key": d.key}
            for d in duties
        ]
        audit.record(session, actor, "half_term_planned", case_id=case.id, effective_on=on,
                     after={"half_term": half.name, "deadlines": [{"kind": d.kind, "due": d.due.isoformat()} for d in duties]})
    if rows:
        session.execute(insert(Deadline), rows)
    return report
