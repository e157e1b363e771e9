"""Replaying the audit log against the rows it describes, to find changes made behind its back.

The hash chain proves the events were not altered; it cannot see a row edited directly in
the database (a case moved to another stage, a deadline's date changed, a notice's words
rewritten). Every change the product makes to those rows is an event that carries what it
wrote, so reading the events back must give the rows as they are:

- a case's stage is the stage of its newest event that set one;
- each warning notice matches the action that recorded it (its grounds, reasons, required
  action, compliance days, the day it was given, and the compliance end among the
  deadlines that action set);
- each deadline was set by an event of its case with that kind and due date, and no
  closed case has a live deadline.

What it cannot see: a deadline closed, or a notice's outcome set, directly in the
database (the product records those moves but not each row's full state after them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db.audit import AuditEvent
from models.db.cases import Case, Deadline, WarningNotice
from models.db.queries import deadline_is_live

__all__ = ["unaudited_changes"]

NOTICE_FIELDS = ("reasons", "required_action", "minded_to")


def unaudited_changes(session: Session) -> list[str]:
    """One line per row that differs from what the audit log says was written."""
    events: dict[int, list[AuditEvent]] = defaultdict(list)
    for event in session.execute(select(AuditEvent).where(AuditEvent.case_id.is_not(None)).order_by(AuditEvent.seq)).scalars():
        assert event.case_id is not None
        events[event.case_id].append(event)
    problems: list[str] = []
    cases = session.execute(select(Case.id, Case.stage, Case.closed_on, Case.watch_until).order_by(Case.id)).all()
    for case in cases:
        problems += _stage_problems(case.id, case.stage, events[case.id])
    problems += _notice_problems(session, events)
    # a closed case watched after exit keeps its reviews live
    problems += _deadline_problems(session, events, {c.id for c in cases if c.closed_on is not None and c.watch_until is None})
    return problems


def _stage_problems(case_id: int, stage: str, history: list[AuditEvent]) -> list[str]:
    stages = [e.after["stage"] for e in history if isinstance(e.after, dict) and "stage" in e.after]
    if not stages:
        return [f"case {case_id} has no event recording its opening"]
    if stages[-1] != stage:
        return [f"case {case_id} is at stage '{stage}' but its audit log leaves it at '{stages[-1]}'"]
    return []


def _recorded(history: Iterable[AuditEvent], record: str) -> AuditEvent | None:
    return next((e for e in history if record in (e.after or {}).get("records", [])), None)


def _notice_problems(session: Session, events: dict[int, list[AuditEvent]]) -> list[str]:
    problems = []
    for notice in session.execute(select(WarningNotice).order_by(WarningNotice.id)).scalars():
        event = _recorded(events[notice.case_id], f"warning notice {notice.id}")
        if event is None:
            problems.append(f"warning notice {notice.id} of case {notice.case_id} has no event recording it")
            continue
        fields: dict[str, Any] = event.after.get("fields", {})
        dues = {d["due"] for d in event.after.get("deadlines", [])}
        given_on = event.effective_on
        # Issuing the notice's letter fixes its text as edited and the day it was given.
        for issued in (e.after["notice"] for e in events[notice.case_id]
                       if e.action == "letter_issued" and (e.after or {}).get("notice", {}).get("id") == notice.id):
            fields = {**fields, "reasons": issued["reasons"], "required_action": issued["required_action"]}
            given_on = date.fromisoformat(issued["given_on"])
            dues.add(issued["compliance_end"])
        changed = [name for name in NOTICE_FIELDS if fields.get(name) != getattr(notice, name)]
        if str(fields.get("compliance_days")) != str(notice.compliance_days):
            changed.append("compliance_days")
        if sorted(fields.get("grounds", [])) != sorted(notice.grounds):
            changed.append("grounds")
        if given_on != notice.given_on:
            changed.append("given_on")
        if notice.compliance_end.isoformat() not in dues:
            changed.append("compliance_end")
        if changed:
            problems.append(f"warning notice {notice.id} of case {notice.case_id} was changed outside the product: "
                            + ", ".join(changed))
    return problems


def _deadline_problems(session: Session, events: dict[int, list[AuditEvent]], closed: set[int]) -> list[str]:
    problems = []
    rows = session.execute(
        select(Deadline.id, Deadline.case_id, Deadline.kind, Deadline.due, deadline_is_live().label("live"))
        .order_by(Deadline.id)
    ).all()
    rows_by_case: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        rows_by_case[row.case_id].append(row)
    for case_id, case_rows in rows_by_case.items():
        set_by_events: Counter[tuple[str, date]] = Counter()
        for e in events[case_id]:
            for d in (e.after or {}).get("deadlines", []):
                set_by_events[(d["kind"], date.fromisoformat(d["due"]))] += 1
            if e.action == "deadline_recounted" and (e.after or {}).get("due"):  # moved by term dates or a notice's issue
                set_by_events[(e.before["deadline"], date.fromisoformat(e.before["due"]))] -= 1
                set_by_events[(e.after["deadline"], date.fromisoformat(e.after["due"]))] += 1
        for row in case_rows:
            if set_by_events[(row.kind, row.due)] > 0:
                set_by_events[(row.kind, row.due)] -= 1
            else:
                problems.append(f"deadline {row.id} of case {case_id} ({row.kind}, due {row.due.isoformat()}) "
                                "was not set by any recorded event")
            if row.live and case_id in closed:
                problems.append(f"deadline {row.id} of case {case_id} is live though the case is closed")
    return problems
