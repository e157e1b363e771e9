"""Counting an action's deadlines: pure, each with how it was counted."""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import OutsideKnownTerms
from models.rules.deadlines import plan_deadlines
from models.rules.playbook import DeadlineSpec, SchoolScope
from models.settings.files import calendar_named
from models.vocab import Basis, SchoolType


def test_a_notice_counts_working_days_then_calendar_months_after_them() -> None:
    specs = [
        DeadlineSpec("compliance_period_end", Basis.WORKING, amount_field="compliance_days"),
        DeadlineSpec("powers_window_end", Basis.CALENDAR, months=2, after="compliance_period_end"),
    ]
    planned = plan_deadlines(specs, {"compliance_days": 15}, date(2026, 10, 5), calendar_named("riverford"), SchoolType.COMMUNITY)
    compliance, window = planned
    # 15 working days after Monday 5 October: the October half-term is not a bank holiday
    assert (compliance.due, compliance.amount, compliance.unit, compliance.basis) == (date(2026, 10, 26), 15, "days", Basis.WORKING)
    assert (window.counted_from, window.due, window.unit) == (date(2026, 10, 26), date(2026, 12, 26), "months")
    assert "2 calendar months after" in window.explanation and "(the compliance period end)" in window.explanation
    assert compliance.calendar == "Riverford 2026-28" and compliance.calendar_version


def test_school_days_skip_the_half_term_and_closures() -> None:
    specs = [DeadlineSpec("response_due", Basis.SCHOOL, amount=5)]
    (due,) = plan_deadlines(specs, {}, date(2026, 10, 21), calendar_named("riverford"), SchoolType.COMMUNITY)
    assert due.due == date(2026, 11, 4)  # 22, 23 October, then 2, 3, 4 November after the half-term


def test_a_deadline_for_other_schools_is_not_set() -> None:
    specs = [DeadlineSpec("academy_only", Basis.CALENDAR, amount=10, schools=SchoolScope.ACADEMY)]
    assert plan_deadlines(specs, {}, date(2026, 10, 5), calendar_named("riverford"), SchoolType.COMMUNITY) == []


def test_counting_past_the_last_term_is_refused() -> None:
    specs = [DeadlineSpec("far", Basis.SCHOOL, amount=2000)]
    with pytest.raises(OutsideKnownTerms):
        plan_deadlines(specs, {}, date(2026, 10, 5), calendar_named("riverford"), SchoolType.COMMUNITY)
