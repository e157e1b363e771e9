"""Deciding which of a playbook's escalation rules fire for a case on a day: pure.

A rule fires on a *cause*, named by its key: an overdue or closing deadline (the deadline's
id), or reviews that have not improved since a date (that date). The same cause never
raises a second alert; a new cause (a later deadline, a fresh stall after an improvement)
does. "Clear improvement" is read from the RAG judgements of the half-termly reviews: a
review improves on the one before when its mean rating (red 0, amber 1, yellow 2,
green 3) is higher (002 Appendix 3, L977–1025).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from models.rules.calendar import TermCalendar, long_date
from models.rules.playbook import EscalationRule, Trigger
from models.rules.welsh import counted, short_date
from models.vocab import Basis, Rag

__all__ = ["CaseProgress", "Firing", "LiveDeadline", "RAG_SCORE", "escalations_due", "last_improvement", "terms_since"]

RAG_SCORE = {Rag.RED: 0, Rag.AMBER: 1, Rag.YELLOW: 2, Rag.GREEN: 3}


@dataclass(frozen=True)
class LiveDeadline:
    id: int
    kind: str
    due: date


@dataclass(frozen=True)
class CaseProgress:
    """What the rules look at for one case."""

    case_id: int
    stage: str
    opened_on: date
    deadlines: Sequence[LiveDeadline]
    reviews: Sequence[tuple[date, float]]  # (held on, mean RAG score), oldest first


@dataclass(frozen=True)
class Firing:
    """A rule that fires for a case: why (``detail``, in English), from the facts it names."""

    rule: EscalationRule
    key: str
    detail: str
    due: date | None = None  # the deadline's, for a rule about a deadline
    days_away: int | None = None  # working days until it, for a deadline still ahead
    terms: int | None = None  # terms ended without improvement …
    since: date | None = None  # … since this day

    def detail_cy(self, title: str) -> str:
        """The same detail in Welsh; ``title``: the deadline's Welsh name."""
        if self.terms is not None and self.since is not None:
            return f"Mae {counted(self.terms, 'tymor')} wedi dod i ben ers {short_date(self.since)} heb adolygiad sy'n dangos gwelliant."
        assert self.due is not None
        title = title[:1].lower() + title[1:] if title[1:2].islower() else title  # inside a sentence; "IP …" stays
        if self.days_away is None:
            return f"Roedd {title} yn ddyledus {short_date(self.due)}."
        return f"Mae {title} yn ddyledus {short_date(self.due)}, ymhen {self.days_away} diwrnod gwaith."


def last_improvement(reviews: Sequence[tuple[date, float]], opened_on: date) -> date:
    """The latest review that improved on the one before it, else the day the case opened."""
    since = opened_on
    for (_, before), (held_on, after) in zip(reviews, reviews[1:], strict=False):
        if after > before:
            since = held_on
    return since


def terms_since(calendar: TermCalendar, since: date, on: date) -> int:
    """How many whole terms have ended after ``since`` and by ``on``."""
    return sum(1 for term in calendar.terms if since < term.end <= on)


def escalations_due(
    rules: Sequence[EscalationRule], progress: CaseProgress, on: date, calendar: TermCalendar
) -> list[Firing]:
    fired: list[Firing] = []
    for rule in rules:
        if rule.stages and progress.stage not in rule.stages:
            continue
        if rule.when is Trigger.TERMS_WITHOUT_IMPROVEMENT:
            since = last_improvement(progress.reviews, progress.opened_on)
            terms = terms_since(calendar, since, on)
            if terms >= rule.terms:
                fired.append(Firing(rule, f"since:{since.isoformat()}",
                                    f"{terms} terms have ended since {long_date(since)} without a review showing improvement.",
                                    terms=terms, since=since))
            continue
        for deadline in progress.deadlines:
            if deadline.kind != rule.deadline:
                continue
            if rule.when is Trigger.DEADLINE_OVERDUE and deadline.due < on:
                fired.append(Firing(rule, f"deadline:{deadline.id}", f"The {deadline.kind.replace('_', ' ')} was {long_date(deadline.due)}.",
                                    due=deadline.due))
            elif rule.when is Trigger.DEADLINE_WITHIN and on <= deadline.due:
                away = calendar.count_days(on, deadline.due, Basis.WORKING)
                if away <= rule.working_days:
                    fired.append(Firing(rule, f"deadline:{deadline.id}",
                                        f"The {deadline.kind.replace('_', ' ')} is {long_date(deadline.due)}, {away} working days away.",
                                        due=deadline.due, days_away=away))
    return fired
