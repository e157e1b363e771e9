"""Counting a playbook's deadlines from an action's date: pure, explained, refusable.

Each planned deadline keeps how it was counted (from which date, how many of which days,
on which calendar version) and a sentence saying why it falls where it does, because a
lead must be able to defend a statutory date to a governing body or a tribunal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from models.rules.calendar import TermCalendar, long_date
from models.rules.playbook import DeadlineSpec
from models.vocab import Basis, SchoolType

__all__ = ["PlannedDeadline", "plan_deadlines"]


@dataclass(frozen=True)
class PlannedDeadline:
    kind: str
    counted_from: date
    amount: int
    unit: str  # "days" or "months"
    basis: Basis
    due: date
    calendar: str
    calendar_version: str
    explanation: str


def plan_deadlines(
    specs: Sequence[DeadlineSpec],
    fields: Mapping[str, Any],
    on: date,
    calendar: TermCalendar,
    school_type: SchoolType,
) -> list[PlannedDeadline]:
    """The deadlines an action sets; raises OutsideKnownTerms rather than guess a date."""
    planned: dict[str, PlannedDeadline] = {}
    for spec in specs:
        if not spec.applies(school_type, fields):
            continue
        start = planned[spec.after].due if spec.after else fields[spec.from_field] if spec.from_field else on
        if not spec.in_force(start):
            continue
        source = spec.after or spec.from_field
        words = source.replace("_", " ") if source else ""
        origin = f" (the {words})" if source else ""
        if spec.months is not None:
            due = start + relativedelta(months=spec.months)
            explanation = f"{spec.months} calendar months after {long_date(start)}{origin} is {long_date(due)}"
            planned[spec.kind] = PlannedDeadline(
                spec.kind, start, spec.months, "months", Basis.CALENDAR, due,
                calendar.name, calendar.version, explanation,
            )
            continue
        amount = int(fields[spec.amount_field]) if spec.amount_field else int(spec.amount or 0)
        counted = calendar.add_days(start, amount, spec.basis)
        explanation = counted.explanation + (f" — counted from the {words}" if source else "")
        planned[spec.kind] = PlannedDeadline(
            spec.kind, start, amount, "days", spec.basis, counted.date,
            calendar.name, calendar.version, explanation,
        )
    return list(planned.values())
