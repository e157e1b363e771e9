"""Queries several use cases share, each defined once.

"Open" is one rule: a case is open until an action moves it to a closed stage, which
sets ``closed_on`` (``models.services.cases``); every query for open cases asks that.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, Result, Select, or_, select
from sqlalchemy.orm import Session

from models.db.cases import Case, Classification, Deadline, Meeting, Priority
from models.db.schools import Person
from models.vocab import DeadlineStatus, MeetingKind

T = TypeVar("T")

__all__ = [
    "anyone_on_record", "by_id", "case_has_duties", "classification_is_live", "case_is_open", "deadline_is_live",
    "latest_classifications", "latest_held_meeting", "live_deadlines_set_by", "meeting_is_live", "priority_is_live", "rows_changed",
]


def case_is_open() -> ColumnElement[bool]:
    """Cases not yet closed (exit, referral, or any stage the playbook marks closed)."""
    return Case.closed_on.is_(None)


def case_has_duties() -> ColumnElement[bool]:
    """Cases someone still has deadlines on: open, or closed with the school watched in the
    year after exit (its reviews are due, reminded and shown like any other deadline)."""
    return or_(Case.closed_on.is_(None), Case.watch_until.is_not(None))


def by_id(session: Session, model: type[T], row_id: int) -> T | None:
    """A row by an id a user gave, or None: an id beyond any either database gives is not
    looked up (PostgreSQL would refuse it as out of range)."""
    return session.get(model, row_id) if 0 < row_id < 2**31 else None


def classification_is_live() -> ColumnElement[bool]:
    """Classifications not withdrawn: a category recorded in error places the school in nothing."""
    return Classification.withdrawn_on.is_(None)


def meeting_is_live() -> ColumnElement[bool]:
    """Meetings not withdrawn: a withdrawn review judges nothing any more."""
    return Meeting.withdrawn_on.is_(None)


def priority_is_live() -> ColumnElement[bool]:
    """Priorities still pursued: a withdrawn one leaves reviews, guards and reports."""
    return Priority.withdrawn_on.is_(None)


def deadline_is_live() -> ColumnElement[bool]:
    """Deadlines not yet met or cancelled: open, or open and past due."""
    return Deadline.status.in_(DeadlineStatus.LIVE)


def live_deadlines_set_by(session: Session, case_id: int, action: str, dues: Collection[tuple[str, date]]) -> list[Deadline]:
    """The deadlines an action set that are still live, found by what its audit event lists:
    each one's kind and due day (an action sets at most one deadline of a kind)."""
    found = []
    for kind, due in dues:
        live = session.execute(select(Deadline).where(
            Deadline.case_id == case_id, Deadline.set_by_action == action, Deadline.kind == kind, Deadline.due == due,
            deadline_is_live()).order_by(Deadline.id.desc())).scalars().first()
        if live is not None:
            found.append(live)
    return found


def latest_classifications(session: Session, schemes: Collection[str], school_ids: Collection[int] | None = None,
                           by: date | None = None) -> dict[tuple[int, str], str]:
    """Each school's latest value under each of ``schemes`` (on or before ``by``, if given),
    keyed by (school id, scheme), in one query: for the schools named, else every school."""
    if not schemes or (school_ids is not None and not school_ids):
        return {}
    query = (select(Classification.school_id, Classification.scheme, Classification.value)
             .where(Classification.scheme.in_(list(schemes)), classification_is_live()).order_by(Classification.effective_on, Classification.id))
    if school_ids is not None:
        query = query.where(Classification.school_id.in_(list(school_ids)))
    if by is not None:
        query = query.where(Classification.effective_on <= by)
    return {(school_id, scheme): value for school_id, scheme, value in session.execute(query)}


def latest_held_meeting(case_id: int, kind: MeetingKind) -> Select[tuple[Meeting]]:
    """The most recent meeting of a kind that has been held (not merely planned)."""
    return (
        select(Meeting)
        .where(Meeting.case_id == case_id, Meeting.kind == kind, Meeting.held_on.is_not(None), meeting_is_live())
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (a claim taken, deadlines marked)."""
    return cast(CursorResult[Any], result).rowcount or 0


def anyone_on_record(session: Session) -> bool:
    """Whether anyone at all is in the directory (until then the terminal is setting up)."""
    return session.execute(select(Person.id).limit(1)).first() is not None
