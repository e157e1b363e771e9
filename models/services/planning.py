"""The half-term plan: the recurring duties of every case under intervention, as deadlines.

At the start of each half-term the product plans, for every open case at a stage its
playbook's ``[cadence]`` covers, the progress review (at the end of the half-term), the
IP's progress report (due a few working days before the review, 002:L492–511), the IP's
monitoring visits (at least twice a half-term, 002:L496) and the TIG meetings (at least
twice a term, 001:L757–769). ``models.rules.cadence.half_term_duties`` decides the dates;
this module writes them. Where the playbook's cadence follows a classification (red support
reviewed half-termly, amber termly: 002:L592), the school's latest one under that scheme
chooses.

Each planned deadline carries a ``plan_key`` unique per case, so planning twice (a retried
flow, the scheduler firing every morning) adds nothing; duties already past on the day a
case is planned (a case that joins mid half-term) are not planned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from models.db import audit
from models.db.cases import Case, Deadline
from models.db.playbooks import pinned_playbook
from models.db.queries import case_is_open, latest_classifications
from models.errors import CaseworkError, GuardFailed
from models.messages import N_
from models.rules.cadence import half_term_duties
from models.settings.files import calendar_named
from models.vocab import Basis, DeadlineStatus

__all__ = ["PLANNED_BY", "PlanReport", "plan_case", "plan_half_term"]

PLANNED_BY = "plan_half_term"  # what a planned deadline names as the action that set it

@dataclass
class PlanReport:
    """What one run of the plan did, per case: printed by ``scc flows run plan_half_term``."""

    on: date
    planned: dict[int, list[str]] = field(default_factory=dict)  # case id -> deadline kinds added
    dues: dict[int, list[tuple[str, date]]] = field(default_factory=dict)  # case id -> (kind, due) of each added
    refused: dict[int, str] = field(default_factory=dict)  # case id -> why (e.g. no terms on record)

    @property
    def deadlines_added(self) -> int:
        return sum(len(kinds) for kinds in self.planned.values())

    def as_dict(self) -> dict[str, object]:
        return {"on": self.on.isoformat(), "deadlines_added": self.deadlines_added,
                "planned": {str(k): v for k, v in self.planned.items()},
                "refused": {str(k): v for k, v in self.refused.items()}}


def plan_case(session: Session, case: Case, on: date, actor: str) -> list[str]:
    """This half-term's reviews, visits and TIG meetings for one case, now (the lead asks on
    the case page); refused, saying why, when there is nothing to plan."""
    cadence = pinned_playbook(session, case.playbook, case.playbook_version).cadence
    if cadence is None or case.stage not in cadence.stages or case.closed_on is not None:
        raise GuardFailed(N_("case %(case)s is at a stage its playbook plans no reviews or visits for"), case=case.id)
    report = plan_half_term(session, on, actor, case_ids=[case.id])
    if case.id in report.refused:
        raise GuardFailed(report.refused[case.id])
    if case.id not in report.planned:
        raise GuardFailed(N_("case %(case)s: its reviews, visits and TIG meetings for this half-term are already planned"),
                          case=case.id)
    return report.planned[case.id]


def plan_half_term(session: Session, on: date, actor: str = "scheduler", case_ids: Collection[int] | None = None) -> PlanReport:
    """Plan the half-term containing ``on`` (or the next to start) for every case under
    intervention (or those of ``case_ids``), in the caller's transaction: one query for the
    cases, one for the plan already made, one bulk insert (long: the three steps share their lookups)."""
    report = PlanReport(on)
    chosen = [Case.id.in_(case_ids)] if case_ids is not None else []
    cases = session.execute(
        select(Case).where(case_is_open(), *chosen).options(selectinload(Case.school)).order_by(Case.id)
    ).scalars().all()
    existing: dict[int, set[str]] = defaultdict(set)
    made = [Deadline.case_id.in_(case_ids)] if case_ids is not None else []
    for case_id, key in session.execute(
        select(Deadline.case_id, Deadline.plan_key).where(Deadline.plan_key.is_not(None), Deadline.due >= on, *made)
    ):
        existing[case_id].add(key)
    cadences = {case.id: pinned_playbook(session, case.playbook, case.playbook_version).cadence for case in cases}
    classified = latest_classifications(session, {c.scheme for c in cadences.values() if c is not None and c.scheme})
    rows: list[dict[str, object]] = []
    for case in cases:
        cadence = cadences[case.id]
        if cadence is None or case.stage not in cadence.stages:
            continue
        if cadence.scheme:
            cadence = cadence.for_classification(classified.get((case.school_id, cadence.scheme)))
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
        report.dues[case.id] = [(d.kind, d.due) for d in duties]
        rows += [
            {"case_id": case.id, "kind": d.kind, "counted_from": max(half.start - timedelta(days=1), on), "amount": d.number,
             "unit": "cadence", "basis": Basis.SCHOOL.value, "due": d.due, "calendar": calendar.name,
             "calendar_version": calendar.version, "explanation": d.explanation, "explanation_cy": d.explanation_cy, "status": DeadlineStatus.OPEN,
             "set_by_action": PLANNED_BY, "plan_key": d.key}
            for d in duties
        ]
        audit.record(session, actor, "half_term_planned", case_id=case.id, effective_on=on,
                     after={"half_term": half.name, "deadlines": [{"kind": d.kind, "due": d.due.isoformat()} for d in duties]})
    if rows:
        session.execute(insert(Deadline), rows)
    return report

