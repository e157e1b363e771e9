"""Queries several use cases share, each defined once.

"Open" is one rule: a case is open until an action moves it to a closed stage, which
sets ``closed_on`` (``models.services.cases``); every query for open cases asks that.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result, Select, or_, select

from models.db.cases import Case, Deadline, Meeting
from models.vocab import DeadlineStatus, MeetingKind

__all__ = ["case_has_duties", "case_is_open", "deadline_is_live", "latest_held_meeting", "rows_changed"]


def case_is_open() -> ColumnElement[bool]:
    """Cases not yet closed (exit, referral, or any stage the playbook marks closed)."""
    return Case.closed_on.is_(None)


def case_has_duties() -> ColumnElement[bool]:
    """Cases someone still has deadlines on: open, or closed with the school watched in the
    year after exit (its reviews are due, reminded and shown like any other deadline)."""
    return or_(Case.closed_on.is_(None), Case.watch_until.is_not(None))


def deadline_is_live() -> ColumnElement[bool]:
    """Deadlines not yet met or cancelled: open, or open and past due."""
    return Deadline.status.in_(DeadlineStatus.LIVE)


def latest_held_meeting(case_id: int, kind: MeetingKind) -> Select[tuple[Meeting]]:
    """The most recent meeting of a kind that has been held (not merely planned)."""
    return (
        select(Meeting)
        .where(Meeting.case_id == case_id, Meeting.kind == kind, Meeting.held_on.is_not(None))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    )


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (a claim taken, deadlines marked)."""
    return cast(CursorResult[Any], result).rowcount or 0
