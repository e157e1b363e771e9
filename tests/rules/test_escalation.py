"""Escalation rules: which fire on a given day, and the cause each keys its alert by."""

from __future__ import annotations

from datetime import date

from models.rules.escalation import CaseProgress, LiveDeadline, escalations_due
from models.rules.playbook import EscalationRule, Trigger
from models.settings.files import calendar_named
from models.vocab import Role

OVERDUE = EscalationRule("outcome_missing", Trigger.DEADLINE_OVERDUE, (Role.LEAD,), "Record the outcome",
                         deadline="compliance_period_end")
CLOSING = EscalationRule("window_closing", Trigger.DEADLINE_WITHIN, (Role.LEAD,), "Decide now",
                         deadline="powers_window_end", working_days=10)
STALLED = EscalationRule("two_terms", Trigger.TERMS_WITHOUT_IMPROVEMENT, (Role.SENIOR,), "Decide whether to continue",
                         terms=2, stages=frozenset({"intervention"}))


def fired(progress: CaseProgress, on: date) -> list[tuple[str, str]]:
    return [(f.rule.name, f.key) for f in escalations_due((OVERDUE, CLOSING, STALLED), progress, on, calendar_named("riverford"))]


def case(deadlines: list[LiveDeadline], reviews: list[tuple[date, float]] | None = None, stage: str = "intervention") -> CaseProgress:
    return CaseProgress(1, stage, date(2026, 9, 7), deadlines, reviews or [])


def test_an_overdue_deadline_fires_the_day_after_it_falls() -> None:
    progress = case([LiveDeadline(5, "compliance_period_end", date(2026, 10, 26))])
    assert fired(progress, date(2026, 10, 26)) == []
    assert fired(progress, date(2026, 10, 27)) == [("outcome_missing", "deadline:5")]


def test_a_closing_window_fires_within_its_working_days() -> None:
    progress = case([LiveDeadline(6, "powers_window_end", date(2026, 12, 18))])
    assert fired(progress, date(2026, 11, 30)) == []  # 14 working days away
    assert fired(progress, date(2026, 12, 4)) == [("window_closing", "deadline:6")]  # 10 working days away
    assert fired(progress, date(2026, 12, 19)) == []  # past: the window has closed, nothing left to decide


def test_terms_without_improvement_count_from_the_last_improving_review() -> None:
    flat = case([], reviews=[(date(2026, 10, 20), 1.0), (date(2026, 12, 10), 1.0)])
    assert fired(flat, date(2027, 3, 26)) == [("two_terms", "since:2026-09-07")]  # autumn and spring ended
    improving = case([], reviews=[(date(2026, 10, 20), 1.0), (date(2027, 1, 14), 2.0)])
    assert fired(improving, date(2027, 3, 26)) == []  # only the spring term has ended since 14 January
    assert fired(case([], stage="diagnosis"), date(2027, 7, 30)) == []  # the rule names its stages
