"""Counting days: each basis on hand-checked dates, refusals, malformed files, and properties."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.errors import CalendarError, InvalidInput, OutsideKnownTerms
from models.rules.calendar import TermCalendar, calendar_from_toml_text, load_calendar
from models.settings.environment import SHIPPED_CONFIG
from models.vocab import Basis

RIVERFORD = load_calendar(SHIPPED_CONFIG / "calendars" / "riverford.toml")
GLANMOR = load_calendar(SHIPPED_CONFIG / "calendars" / "glanmor.toml")


@pytest.mark.parametrize(
    ("start", "n", "basis", "expected"),
    [
        (date(2026, 12, 10), 15, Basis.CALENDAR, date(2026, 12, 25)),
        # Weekends, Christmas Day, Boxing Day observed on Mon 28 Dec, New Year's Day.
        (date(2026, 12, 10), 15, Basis.WORKING, date(2027, 1, 5)),
        # School days: the Christmas holiday and the closure day of 4 Jan 2027 are not counted.
        (date(2026, 12, 10), 15, Basis.SCHOOL, date(2027, 1, 15)),
        # Inspection: the Christmas holiday (longer than a week) is skipped, the INSET day counts.
        (date(2026, 12, 10), 15, Basis.INSPECTION, date(2027, 1, 14)),
        # The one-week half-term counts as working days for an inspection deadline ...
        (date(2026, 10, 20), 10, Basis.INSPECTION, date(2026, 11, 3)),
        # ... but not as school days.
        (date(2026, 10, 20), 10, Basis.SCHOOL, date(2026, 11, 10)),
        (date(2026, 10, 20), 0, Basis.SCHOOL, date(2026, 10, 20)),
    ],
)
def test_hand_checked_counts(start: date, n: int, basis: Basis, expected: date) -> None:
    assert RIVERFORD.add_days(start, n, basis).date == expected


def test_explanation_lists_every_skipped_day_and_why() -> None:
    counted = RIVERFORD.add_days(date(2026, 12, 10), 15, Basis.WORKING)
    reasons = {s.day: s.reason for s in counted.skipped}
    assert reasons[date(2026, 12, 25)] == "bank holiday: Christmas Day"
    assert "Boxing Day" in reasons[date(2026, 12, 28)]
    assert reasons[date(2026, 12, 12)] == "Saturday"
    assert len(counted.skipped) == 11
    assert "Christmas Day" in counted.explanation and "Tue 5 Jan 2027" in counted.explanation
    school = RIVERFORD.add_days(date(2026, 10, 20), 10, Basis.SCHOOL)
    assert any("half-term" in s.reason for s in school.skipped)
    assert RIVERFORD.add_days(date(2026, 11, 25), 3, Basis.SCHOOL).as_dict()["skipped"][0] == {
        "date": "2026-11-27", "reason": "closure day (Autumn)"}


def test_wales_uses_welsh_bank_holidays() -> None:
    # St Andrew's Day is not a bank holiday in Wales or England; both skip the August bank holiday.
    assert GLANMOR.jurisdiction.value == "wales"
    assert not GLANMOR.is_counting_day(date(2027, 8, 30), Basis.WORKING)


def test_negative_days_refused() -> None:
    with pytest.raises(InvalidInput):
        RIVERFORD.add_days(date(2026, 10, 1), -1, Basis.WORKING)


@pytest.mark.parametrize("basis", [Basis.SCHOOL, Basis.INSPECTION])
def test_counting_past_the_last_term_is_refused_not_guessed(basis: Basis) -> None:
    with pytest.raises(OutsideKnownTerms, match="last term on record.*Riverford 2026-28.*riverford.toml"):
        RIVERFORD.add_days(date(2028, 7, 10), 30, basis)
    # Working days do not depend on term dates: bank holidays are known for any year.
    far = RIVERFORD.add_days(date(2029, 12, 20), 5, Basis.WORKING)
    assert far.date == date(2029, 12, 31)
    assert {s.reason for s in far.skipped} >= {"bank holiday: Christmas Day", "bank holiday: Boxing Day"}


def test_six_half_terms_a_year() -> None:
    halves = RIVERFORD.half_terms()
    assert len(halves) == 12 and [h.number for h in halves[:6]] == [1, 2, 3, 4, 5, 6]
    assert halves[0].start == date(2026, 9, 2) and halves[0].end == date(2026, 10, 25)
    assert halves[1].start == date(2026, 10, 31) and halves[1].end == date(2026, 12, 18)
    assert RIVERFORD.half_term_on(date(2026, 12, 25)) == halves[2]
    assert RIVERFORD.half_term_on(date(2029, 1, 1)) is None
    assert RIVERFORD.term_of(date(2026, 12, 25)) is None and RIVERFORD.term_of(date(2027, 1, 6)).name == "Spring"


GOOD = 'name = "T"\njurisdiction = "england"\n[[terms]]\nname = "Autumn"\nstart = 2026-09-02\nend = 2026-12-18\n'


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('name = "T"\njurisdiction = "england"\n[[terms]\n', 3, "not valid TOML"),
        (GOOD + '[[terms]]\nname = "Spring"\nstart = 2026-12-01\nend = 2027-03-26\n', 7, "before the previous term ends"),
        (GOOD + "half_term = { start = 2027-01-01, end = 2027-01-05 }\n", 3, "must lie inside the term"),
        (GOOD.replace("england", "scotland"), 2, "england"),
        (GOOD + "holidays = []\n", 3, "unknown key 'holidays'"),
        (GOOD.replace('name = "T"\n', ""), 1, "missing name"),
        (GOOD + "closures = [2027-01-01]\n", 3, "outside the term"),
    ],
)
def test_malformed_calendar_names_file_line_and_fix(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "la.toml"
    path.write_text(text)
    with pytest.raises(CalendarError) as caught:
        load_calendar(path)
    assert caught.value.path == str(path) and caught.value.line == line and reason in caught.value.reason


def _inside(calendar: TermCalendar) -> st.SearchStrategy[date]:
    return st.dates(min_value=calendar.first_day - timedelta(days=20), max_value=calendar.last_day)


PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _count(calendar: TermCalendar, start: date, n: int, basis: Basis) -> date:
    try:
        return calendar.add_days(start, n, basis).date
    except OutsideKnownTerms:
        assume(False)
        raise


@PROPERTIES
@given(start=_inside(RIVERFORD), n=st.integers(1, 60), basis=st.sampled_from(list(Basis)))
def test_a_result_is_always_a_counting_day(start: date, n: int, basis: Basis) -> None:
    assert RIVERFORD.is_counting_day(_count(RIVERFORD, start, n, basis), basis)


@PROPERTIES
@given(start=_inside(RIVERFORD), a=st.integers(0, 60), b=st.integers(0, 60), basis=st.sampled_from(list(Basis)))
def test_results_are_monotonic_in_n(start: date, a: int, b: int, basis: Basis) -> None:
    assume(a != b)
    low, high = sorted((a, b))
    assert _count(RIVERFORD, start, low, basis) < _count(RIVERFORD, start, high, basis)


@PROPERTIES
@given(start=_inside(GLANMOR), n=st.integers(0, 60), basis=st.sampled_from(list(Basis)))
def test_counting_the_days_between_gives_n_back(start: date, n: int, basis: Basis) -> None:
    assert GLANMOR.count_days(start, _count(GLANMOR, start, n, basis), basis) == n


def test_in_memory_calendar_version_changes_with_its_text() -> None:
    assert calendar_from_toml_text(GOOD, "a").version != calendar_from_toml_text(GOOD + "\n# edited\n", "a").version
