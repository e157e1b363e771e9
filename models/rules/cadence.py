"""The recurring duties of one half-term under intervention, counted from a playbook's ``[cadence]``.

Pure: given the cadence and the term calendar, ``half_term_duties`` returns the progress
review(s), the IP's report before each, the IP's monitoring visits and the term's TIG
meetings that fall in the half-term. Duties are spread evenly over the school days of the
half-term (or term, for TIG meetings), each falling on the last school day of its share, so
a lead can defend the date; each says how it was placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from models.rules.calendar import HalfTerm, TermCalendar, long_date
from models.rules.playbook import Cadence
from models.rules.welsh import DUTY_WORDS, counted, in_the_term, ordinal, short_date, term_name
from models.vocab import Basis, Jurisdiction

__all__ = ["MEETING_KINDS", "Duty", "half_term_duties"]

# The planned duties that are a meeting or a visit someone attends (the rest are reports).
MEETING_KINDS = frozenset({"progress_review_due", "monitoring_visit_due", "tig_meeting_due"})

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass(frozen=True)
class Duty:
    """One recurring duty: a deadline of ``kind`` due by ``due``."""

    kind: str
    due: date
    key: str
    number: int
    explanation: str
    explanation_cy: str | None  # the same placing said in Welsh, on the term dates of a school in Wales


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
    term = calendar.term_of(half.start)
    term_days = calendar.counting_days(term.start, term.end, Basis.SCHOOL) if term is not None else []
    term_span = f"the {term.name} term ({len(term_days)} school days)" if term is not None else ""
    welsh = calendar.jurisdiction is Jurisdiction.WALES  # only there does anyone read it (Babel's cost elsewhere)
    span_cy = f"yn {term_name(half.name)} ({short_date(half.start)} i {short_date(half.end)}, {len(days)} diwrnod ysgol)" if welsh else ""
    term_span_cy = f"{in_the_term(term.name)} ({len(term_days)} diwrnod ysgol)" if welsh and term is not None else ""

    def placed(number: int, of: int, label: str, within: str, within_cy: str, due: date) -> tuple[str, str | None]:
        """How a duty was placed, in English and (on Welsh term dates) in Welsh."""
        return (f"{_ordinal(number)} of {of} {label} in {within}: due by {long_date(due)}",
                f"Y {ordinal(number)} o {counted(of, DUTY_WORDS[label])} {within_cy}: yn ddyledus erbyn {short_date(due)}" if welsh else None)

    def in_term(count: int, label: str, key: str) -> list[tuple[int, date, str, tuple[str, str | None]]]:
        """The term's ``count`` duties that fall in this half-term: number, due, key, explanations."""
        if term is None:
            return []
        shares = _shares(term_days, count)
        return [(number, due, f"{term.start.isoformat()}:{key}:{number}", placed(number, len(shares), label, term_span, term_span_cy, due))
                for number, due in enumerate(shares, start=1) if half.start <= due <= half.end]

    def in_half(count: int, label: str, key: str) -> list[tuple[int, date, str, tuple[str, str | None]]]:
        """``count`` duties spread over this half-term, in the same shape as ``in_term``'s."""
        shares = _shares(days, count)
        return [(number, due, f"{half.start.isoformat()}:{key}:{number}", placed(number, len(shares), label, span, span_cy, due))
                for number, due in enumerate(shares, start=1)]

    if cadence.reviews_per_term:  # termly RAG judgements (002:L592)
        reviews = in_term(cadence.reviews_per_term, "progress reviews", "termly_review")
    else:
        reviews = in_half(cadence.reviews_per_half_term, "progress reviews", "progress_review")
    for number, due, key, explanations in reviews:
        duties.append(Duty("progress_review_due", due, key, number, *explanations))
        before = cadence.ip_report_days_before_review
        report = calendar.days_before(due, before, Basis.WORKING)
        report_key = key.replace("progress_review", "ip_progress_report").replace("termly_review", "termly_ip_report")
        duties.append(Duty("ip_progress_report_due", report, report_key, number,
                           f"the IP's progress report is due {before} working days before the review of {long_date(due)}: "
                           f"{long_date(report)}",
                           f"mae adroddiad cynnydd yr IP yn ddyledus {before} diwrnod gwaith cyn yr adolygiad ar "
                           f"{short_date(due)}: {short_date(report)}" if welsh else None))
    if cadence.visits_per_term:  # a watching brief: visits spread over the term
        visits = in_term(cadence.visits_per_term, "IP monitoring visits", "termly_visit")
    else:
        visits = in_half(cadence.visits_per_half_term, "IP monitoring visits", "monitoring_visit")
    for number, due, key, explanations in visits:
        duties.append(Duty("monitoring_visit_due", due, key, number, *explanations))
    for number, due, key, explanations in in_term(cadence.tig_meetings_per_term, "TIG meetings", "tig"):
        duties.append(Duty("tig_meeting_due", due, key, number, *explanations))
    return sorted(duties, key=lambda d: (d.due, d.kind, d.number))
