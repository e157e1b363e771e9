"""Term calendars and counting days the way statutory deadlines are counted.

Term dates are data per local authority (``config/calendars/NAME.toml``); bank holidays
come from the ``holidays`` package for England or Wales. Four bases:

- ``calendar``: every day counts;
- ``working``: Monday to Friday, less bank holidays (not bounded by the terms on record);
- ``school``: days in term, less weekends, bank holidays, the half-term and closure days;
- ``inspection``: working days less any school holiday longer than a week — the rule for
  inspection deadlines such as a statement of action (DOMAIN "Time").

"N days after D" counts from the day after D. Each result lists every day it skipped and
why, so a lead can show how a date was reached. A ``school`` or ``inspection`` count that
would pass the last term on record is refused (``OutsideKnownTerms``), never guessed.

Counting is an index lookup: per basis the calendar keeps a sorted array of counting-day
ordinals, so ``add_days`` costs one bisect however large N is.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import holidays

from models.errors import CalendarError, InvalidInput, OutsideKnownTerms
from models.messages import N_, Words
from models.rules.toml_text import line_of, parse_toml
from models.rules.welsh import explained, short_date
from models.vocab import Basis, Jurisdiction

__all__ = [
    "CountedDate",
    "HalfTerm",
    "SkippedDay",
    "Term",
    "TermCalendar",
    "calendar_from_toml_text",
    "load_calendar",
    "long_date",
]

# A holiday with more weekdays than this is "longer than a week": a one-week half-term is not.
LONG_HOLIDAY_WEEKDAYS = 5
# A basis of counting as a refusal names it ("counting 10 school days after ...").
_BASIS_WORDS = {Basis.CALENDAR: N_("calendar"), Basis.WORKING: N_("working"), Basis.SCHOOL: N_("school"),
               Basis.INSPECTION: N_("inspection")}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Term:
    name: str
    start: date
    end: date
    half_term_start: date | None = None
    half_term_end: date | None = None
    closures: frozenset[date] = frozenset()

    def in_half_term(self, day: date) -> bool:
        return bool(self.half_term_start and self.half_term_end and self.half_term_start <= day <= self.half_term_end)


@dataclass(frozen=True)
class HalfTerm:
    number: int  # 1..6 within the school year (autumn 1–2, spring 3–4, summer 5–6)
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


def long_date(day: date) -> str:
    """How explanations write a date: Tue 5 Jan 2027 (2027-01-05)."""
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')} ({day.isoformat()})"


@dataclass(frozen=True)
class CountedDate:
    start: date
    n: int
    basis: Basis
    date: date
    skipped: tuple[SkippedDay, ...]
    calendar: str

    def explanation_in(self, language: str) -> str:
        """The explanation in ``language``: the same count, said in Welsh for ``cy``."""
        if language == "cy":
            return explained(self.n, self.basis.value, self.start, self.date, self.calendar,
                             [(s.day, s.reason) for s in self.skipped])
        return self.explanation

    @property
    def explanation(self) -> str:
        unit = {Basis.CALENDAR: "calendar", Basis.WORKING: "working", Basis.SCHOOL: "school",
                Basis.INSPECTION: "working (inspection)"}[self.basis]
        if self.n == 0:
            return f"0 {unit} days after {long_date(self.start)} is the same day"
        text = (
            f"{self.n} {unit} days after {long_date(self.start)}, counting from the day after, "
            f"is {long_date(self.date)} (calendar '{self.calendar}')"
        )
        if self.skipped:
            text += "; skipped: " + ", ".join(f"{long_date(s.day)} {s.reason}" for s in self.skipped)
        else:
            text += "; no day skipped"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "basis": self.basis.value,
            "explanation": self.explanation,
            "start": self.start.isoformat(),
            "n": self.n,
            "skipped": [{"date": s.day.isoformat(), "reason": s.reason} for s in self.skipped],
        }


@dataclass(frozen=True)
class TermCalendar:
    name: str
    jurisdiction: Jurisdiction
    terms: tuple[Term, ...]
    source: str = "<memory>"
    version: str = ""
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def first_day(self) -> date:
        return self.terms[0].start

    @property
    def last_day(self) -> date:
        return self.terms[-1].end

    # ------------------------------------------------------------------ day facts

    def _bank_holidays(self, years: range) -> dict[date, str]:
        return dict(holidays.country_holidays("GB", subdiv=self.jurisdiction.subdivision, years=years).items())

    @cached_property
    def _school_reasons(self) -> dict[int, str]:
        """Ordinal -> why the day is not a school day, over the span of the terms."""
        reasons: dict[int, str] = {}
        bank = self._bank_holidays(range(self.first_day.year, self.last_day.year + 1))
        previous_end: date | None = None
        for term in self.terms:
            if previous_end is not None:
                gap = [previous_end + timedelta(days=i) for i in range(1, (term.start - previous_end).days)]
                long = sum(1 for d in gap if d.weekday() < 5) > LONG_HOLIDAY_WEEKDAYS
                for day in gap:
                    reasons[day.toordinal()] = "school holiday longer than a week" if long else "school holiday"
            day = term.start
            while day <= term.end:
                reason = None
                if day.weekday() >= 5:
                    reason = _WEEKDAYS[day.weekday()]
                elif day in bank:
                    reason = f"bank holiday: {bank[day]}"
                elif term.in_half_term(day):
                    reason = f"half-term ({term.name})"
                elif day in term.closures:
                    reason = f"closure day ({term.name})"
                if reason:
                    reasons[day.toordinal()] = reason
                day += timedelta(days=1)
            previous_end = term.end
        return reasons

    def _long_holidays(self) -> set[int]:
        """Ordinals inside a school holiday of more than a week (between terms, or a long half-term)."""
        days = {o for o, r in self._school_reasons.items() if r == "school holiday longer than a week"}
        for term in self.terms:
            if term.half_term_start and term.half_term_end:
                span = [term.half_term_start + timedelta(days=i)
                        for i in range((term.half_term_end - term.half_term_start).days + 1)]
                if sum(1 for d in span if d.weekday() < 5) > LONG_HOLIDAY_WEEKDAYS:
                    days.update(d.toordinal() for d in span)
        return days

    def _working_reason(self, day: date, bank: dict[date, str]) -> str | None:
        if day.weekday() >= 5:
            return _WEEKDAYS[day.weekday()]
        if day in bank:
            return f"bank holiday: {bank[day]}"
        return None

    def _index(self, basis: Basis, around: date) -> tuple[list[int], dict[int, str], int, int]:
        """(sorted counting ordinals, reasons for skipped ordinals, first, last ordinal covered)."""
        if basis in (Basis.SCHOOL, Basis.INSPECTION):
            key = basis.value
            if key not in self._cache:
                lo, hi = self.first_day.toordinal(), self.last_day.toordinal()
                if basis is Basis.SCHOOL:
                    reasons = {o: r for o, r in self._school_reasons.items()}
                else:
                    bank = self._bank_holidays(range(self.first_day.year, self.last_day.year + 1))
                    long = self._long_holidays()
                    reasons = {}
                    for ordinal in range(lo, hi + 1):
                        day = date.fromordinal(ordinal)
                        reason = self._working_reason(day, bank)
                        if reason is None and ordinal in long:
                            reason = "school holiday longer than a week"
                        if reason:
                            reasons[ordinal] = reason
                counting = [o for o in range(lo, hi + 1) if o not in reasons]
                self._cache[key] = (counting, reasons, lo, hi)
            found: tuple[list[int], dict[int, str], int, int] = self._cache[key]
            return found
        key = basis.value
        cached = self._cache.get(key)
        if cached is None or not (cached[2] + 400 <= around.toordinal() <= cached[3] - 400):
            years = range(min(self.first_day.year, around.year) - 2, max(self.last_day.year, around.year) + 4)
            lo, hi = date(years.start, 1, 1).toordinal(), date(years.stop - 1, 12, 31).toordinal()
            reasons = {}
            if basis is Basis.WORKING:
                bank = self._bank_holidays(years)
                for ordinal in range(lo, hi + 1):
                    reason = self._working_reason(date.fromordinal(ordinal), bank)
                    if reason:
                        reasons[ordinal] = reason
            cached = ([o for o in range(lo, hi + 1) if o not in reasons], reasons, lo, hi)
            self._cache[key] = cached
        return cached

    # ------------------------------------------------------------------ public API

    def is_counting_day(self, day: date, basis: Basis) -> bool:
        _, reasons, lo, hi = self._index(basis, day)
        ordinal = day.toordinal()
        if not lo <= ordinal <= hi:  # only school and inspection days are bounded by the terms
            return False
        return ordinal not in reasons

    def add_days(self, start: date, n: int, basis: Basis) -> CountedDate:
        """The date n counting days after start (start itself never counts)."""
        if n < 0:
            raise InvalidInput(N_("cannot count %(count)s days: the number of days must be 0 or more"), count=n)
        if n == 0:
            return CountedDate(start, 0, basis, start, (), self.name)
        counting, reasons, lo, hi = self._index(basis, start)
        if basis in (Basis.SCHOOL, Basis.INSPECTION) and start.toordinal() >= hi:
            raise self._outside(start, n, basis)
        position = bisect_right(counting, start.toordinal()) + n - 1
        if position >= len(counting):
            if basis in (Basis.SCHOOL, Basis.INSPECTION):
                raise self._outside(start, n, basis)
            counting, reasons, lo, hi = self._index(basis, start + timedelta(days=2 * n + 800))
            position = bisect_right(counting, start.toordinal()) + n - 1
        result = counting[position]
        begin = max(start.toordinal() + 1, lo)
        skipped = tuple(
            SkippedDay(date.fromordinal(o), reasons[o]) for o in range(begin, result) if o in reasons
        )
        if basis in (Basis.SCHOOL, Basis.INSPECTION) and start.toordinal() + 1 < lo:
            skipped = (SkippedDay(start + timedelta(days=1), f"before the first term on record (until {self.first_day})"),) + skipped
        return CountedDate(start, n, basis, date.fromordinal(result), skipped, self.name)

    def days_before(self, end: date, n: int, basis: Basis) -> date:
        """The counting day n counting days before end (end itself never counts).

        Reminders are set in working days before a due date; like ``add_days`` this refuses
        to count school days before the first term on record rather than guess.
        """
        if n <= 0:
            return end
        counting, _, lo, _ = self._index(basis, end)
        position = bisect_left(counting, end.toordinal()) - n
        if position < 0:
            raise OutsideKnownTerms(
                N_("counting %(count)s %(basis)s days before %(day)s passes the first term on record in '%(calendar)s' (starts "
                   "%(first)s): add the earlier terms to %(source)s"),
                count=n, basis=Words(_BASIS_WORDS[basis]), day=end, calendar=self.name, first=self.first_day, source=self.source)
        return date.fromordinal(counting[position])

    def counting_days(self, start: date, end: date, basis: Basis) -> list[date]:
        """Every counting day d with start <= d <= end, in order (the school days of a half-term)."""
        counting = self._index(basis, end)[0]
        first, last = bisect_left(counting, start.toordinal()), bisect_right(counting, end.toordinal())
        return [date.fromordinal(o) for o in counting[first:last]]

    def count_days(self, start: date, end: date, basis: Basis) -> int:
        """Counting days d with start < d <= end: the inverse of add_days."""
        counting = self._index(basis, end)[0]
        return bisect_right(counting, end.toordinal()) - bisect_right(counting, start.toordinal())

    def _outside(self, start: date, n: int, basis: Basis) -> OutsideKnownTerms:
        return OutsideKnownTerms(
            N_("counting %(count)s %(basis)s days after %(day)s passes the last term on record in '%(calendar)s' (ends %(last)s): "
               "add the next year's terms to %(source)s"),
            count=n, basis=Words(_BASIS_WORDS[basis]), day=start, calendar=self.name, last=self.last_day, source=self.source)

    def half_terms(self) -> tuple[HalfTerm, ...]:
        """Each term split at its half-term: six half-terms a school year."""
        result: list[HalfTerm] = []
        number = 0
        for term in self.terms:
            if term.name.lower().startswith("autumn"):
                number = 0
            pieces = []
            if term.half_term_start and term.half_term_end:
                pieces.append((term.start, term.half_term_start - timedelta(days=1)))
                pieces.append((term.half_term_end + timedelta(days=1), term.end))
            else:
                pieces.append((term.start, term.end))
            for index, (start, end) in enumerate(pieces, start=1):
                number += 1
                suffix = f" {index}" if len(pieces) > 1 else ""
                result.append(HalfTerm(number, f"{term.name}{suffix}", start, end))
        return tuple(result)

    def half_term_on(self, day: date) -> HalfTerm | None:
        """The half-term containing day, else the next one to start, else None."""
        for half in self.half_terms():
            if day <= half.end:
                return half
        return None

    def term_of(self, day: date) -> Term | None:
        index = bisect_left([t.end for t in self.terms], day)
        if index < len(self.terms) and self.terms[index].start <= day:
            return self.terms[index]
        return None


# ------------------------------------------------------------------ loading

_TOP_KEYS = {"name", "jurisdiction", "terms"}
_TERM_KEYS = {"name", "start", "end", "half_term", "closures"}


def welsh_explanation(calendar: TermCalendar, counted_from: date, amount: int, unit: str, basis: str, due: date,
                      kept: str | None) -> str | None:
    """How a deadline was counted, said in Welsh: a planned duty's placing as it was kept
    (``kept``), a count in days counted again on its calendar — the same days, the same
    skips — and a count in months said again; None when there is nothing to say it from
    (a duty planned before its Welsh was kept)."""
    if kept:
        return kept
    if unit == "months":
        return f"{amount} mis calendr ar ôl {short_date(counted_from)} yw {short_date(due)}"
    if unit == "days":
        return calendar.add_days(counted_from, amount, Basis(basis)).explanation_in("cy")
    return None


def calendar_from_toml_text(text: str, source: str) -> TermCalendar:
    """Validate and freeze a calendar; raises CalendarError with file, line and reason."""
    data = parse_toml(text, source, CalendarError)
    for key in data:
        if key not in _TOP_KEYS:
            raise CalendarError(source, line_of(text, key), f"unknown key '{key}'; a calendar has name, jurisdiction and [[terms]]")
    if not str(data.get("name", "")).strip():
        raise CalendarError(source, 1, 'missing name: add name = "Authority 2026-27" at the top')
    try:
        jurisdiction = Jurisdiction(str(data.get("jurisdiction")))
    except ValueError:
        raise CalendarError(source, line_of(text, "jurisdiction") or 1, "jurisdiction must be \"england\" or \"wales\"") from None
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, list) or not raw_terms:
        raise CalendarError(source, 1, "no terms: add at least one [[terms]] table with name, start and end")
    terms: list[Term] = []
    for index, raw in enumerate(raw_terms):
        line = line_of(text, "[[terms]]", occurrence=index)
        try:
            terms.append(_term(raw, f"term {index + 1} ('{raw.get('name', '?')}')", terms[-1] if terms else None))
        except ValueError as exc:
            raise CalendarError(source, line, str(exc)) from None
    return TermCalendar(
        name=str(data["name"]),
        jurisdiction=jurisdiction,
        terms=tuple(terms),
        source=source,
        version=hashlib.sha256(text.encode()).hexdigest()[:12],
    )


def _term(raw: dict[str, Any], where: str, previous: Term | None) -> Term:
    """One [[terms]] table checked on its own and against the term before it (ValueError: why not)."""
    for key in raw:
        if key not in _TERM_KEYS:
            raise ValueError(f"{where}: unknown key '{key}'; a term has {', '.join(sorted(_TERM_KEYS))}")
    for key in ("name", "start", "end"):
        if key not in raw:
            raise ValueError(f"{where}: missing '{key}'")
    start, end = raw["start"], raw["end"]
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValueError(f"{where}: start and end must be dates like 2026-09-02 (no quotes)")
    if start > end:
        raise ValueError(f"{where}: starts {start} after it ends {end}: swap or correct the dates")
    if previous and start <= previous.end:
        raise ValueError(f"{where}: starts {start}, before the previous term ends ({previous.end}): terms must be in order and not overlap")
    half_start, half_end = _half_term(raw.get("half_term"), start, end, where)
    closures = raw.get("closures", [])
    if not isinstance(closures, list) or not all(isinstance(c, date) for c in closures):
        raise ValueError(f"{where}: closures must be a list of dates like [2026-09-02]")
    outside = [c for c in closures if not start <= c <= end]
    if outside:
        raise ValueError(f"{where}: closure day {outside[0]} is outside the term {start}–{end}")
    return Term(str(raw["name"]), start, end, half_start, half_end, frozenset(closures))


def _half_term(half: Any, start: date, end: date, where: str) -> tuple[date | None, date | None]:
    if half is None:
        return None, None
    if not isinstance(half, dict) or not isinstance(half.get("start"), date) or not isinstance(half.get("end"), date):
        raise ValueError(f"{where}: half_term must be {{ start = YYYY-MM-DD, end = YYYY-MM-DD }}")
    half_start, half_end = half["start"], half["end"]
    if not start < half_start <= half_end < end:
        raise ValueError(f"{where}: half-term {half_start}–{half_end} must lie inside the term {start}–{end}")
    return half_start, half_end


def load_calendar(path: Path) -> TermCalendar:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarError(path, None, f"cannot read the calendar: {exc.strerror}") from None
    return calendar_from_toml_text(text, str(path))
