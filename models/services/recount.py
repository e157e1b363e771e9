"""Term dates change while cases run: recount the deadlines that depended on them.

Every deadline keeps how it was counted (from which day, how many days of which kind, on
which version of which calendar), so when an LA edits its term dates (an extra INSET day, a
snow closure, next year's terms published late) the product can say, deadline by deadline,
which dates would move and why, instead of leaving them wrong or moving them silently.

A deadline is recounted only while it is open and not yet due: one already met, cancelled
or overdue keeps its date. Dates counted in calendar months do not depend on term dates.
A deadline counted from another one (a powers window after a compliance period) follows it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from models.adapters.mail.templates import render_email
from models.db import audit
from models.db.cases import Case, Deadline
from models.db.messages import Alert
from models.db.queries import rows_changed
from models.db.schools import Person, School
from models.errors import CaseChanged, OutsideKnownTerms
from models.messages import N_, Named, Words
from models.rules.calendar import TermCalendar, welsh_explanation
from models.rules.text import in_words
from models.rules.welsh import counted
from models.services.access import Task, Viewer, require
from models.services.authorities import name_in
from models.services.outbox import queue
from models.settings.files import calendar_named, reminder_rules
from models.vocab import Basis, DeadlineStatus, Jurisdiction, Language

__all__ = ["TERM_DATES_ALERT", "DeadlineMove", "apply_term_dates", "deadline_moves", "raise_term_date_alerts"]

TERM_DATES_ALERT = "term_dates_changed"
COUNTED_FROM = " — counted from the "


@dataclass(frozen=True)
class DeadlineMove:
    """One live deadline whose date the new term dates would change (``new_due`` None:
    it can no longer be counted, e.g. the new calendar ends before it; ``problem`` says why)."""

    deadline_id: int
    case_id: int
    school: str
    kind: str
    title: str
    calendar: str  # the calendar's name as cases and settings give it
    counted_from: date
    new_counted_from: date
    old_due: date
    new_due: date | None
    old_explanation: str
    new_explanation: str
    new_version: str
    problem: str | None = None


@dataclass(frozen=True)
class _Row:
    id: int
    case_id: int
    school: str
    kind: str
    counted_from: date
    amount: int
    basis: str
    due: date
    explanation: str
    calendar: str


def deadline_moves(session: Session, today: date, calendar: str | None = None) -> tuple[list[DeadlineMove], dict[str, list[int]]]:
    """The live deadlines whose dates the calendars as they are now would move, as of
    ``today`` (one calendar, or all); and, per calendar, the ids of those counted on an
    older version whose date stays the same (to be marked as counted on the new one)."""
    live = [Deadline.status == DeadlineStatus.OPEN, Deadline.due >= today, Deadline.unit == "days",
            Deadline.basis != Basis.CALENDAR]
    names = [calendar] if calendar is not None else session.execute(
        select(Case.calendar).join(Deadline, Deadline.case_id == Case.id).where(*live).distinct()).scalars().all()
    calendars = {name: calendar_named(name) for name in names}
    if not calendars:
        return [], {}
    # Only what was counted on another version of its calendar: on an ordinary day, nothing.
    stale_version = or_(*(and_(Case.calendar == name, Deadline.calendar_version != book.version)
                          for name, book in calendars.items()))
    query = (select(Deadline.id, Deadline.case_id, School.name, Deadline.kind, Deadline.counted_from, Deadline.amount,
                    Deadline.basis, Deadline.due, Deadline.explanation, Case.calendar)
             .join(Case, Case.id == Deadline.case_id).join(School, School.id == Case.school_id)
             .where(*live, stale_version).order_by(Case.calendar, Deadline.case_id, Deadline.id))
    stale: dict[str, list[_Row]] = defaultdict(list)
    for found in session.execute(query):
        stale[found.calendar].append(_Row(*found))
    titles = reminder_rules()
    moves: list[DeadlineMove] = []
    unchanged: dict[str, list[int]] = defaultdict(list)
    for name, rows in stale.items():
        book = calendars[name]
        moved: dict[tuple[int, date], date] = {}  # (case, old due) -> new due, for deadlines counted from another
        for row in rows:
            start = moved.get((row.case_id, row.counted_from), row.counted_from)
            try:
                counted = book.add_days(start, row.amount, Basis(row.basis))
            except OutsideKnownTerms as exc:
                moves.append(_move(row, book, titles.for_kind(row.kind).title, start, None, "", str(exc)))
                continue
            if counted.date == row.due and start == row.counted_from:
                unchanged[name].append(row.id)
                continue
            moved[(row.case_id, row.due)] = counted.date
            suffix = row.explanation[row.explanation.index(COUNTED_FROM):] if COUNTED_FROM in row.explanation else ""
            moves.append(_move(row, book, titles.for_kind(row.kind).title, start, counted.date,
                               counted.explanation + suffix, None))
    return moves, dict(unchanged)


def _move(row: _Row, book: TermCalendar, title: str, start: date, due: date | None, explanation: str,
          problem: str | None) -> DeadlineMove:
    return DeadlineMove(deadline_id=row.id, case_id=row.case_id, school=row.school, kind=row.kind, title=title,
                        calendar=row.calendar, counted_from=row.counted_from, new_counted_from=start, old_due=row.due,
                        new_due=due, old_explanation=row.explanation, new_explanation=explanation,
                        new_version=book.version, problem=problem)


def apply_term_dates(session: Session, calendar: str, actor: Viewer, today: date) -> list[DeadlineMove]:
    """Move the deadlines of cases on ``calendar`` to the dates its term dates now give, in
    the caller's transaction: each move an audit event on its case, each case's lead and IP
    told once by email, the "term dates changed" alerts resolved. A senior officer's task;
    refused, with nothing moved, when a deadline can no longer be counted (the calendar
    must cover it first)."""
    require(actor, Task.APPLY_TERM_DATES)
    by = actor.email
    moves, unchanged = deadline_moves(session, today, calendar)
    problems = [m for m in moves if m.problem]
    if problems:
        first = problems[0]
        raise OutsideKnownTerms(N_("%(count)s deadline(s) cannot be counted on the new term dates — case %(case)s, %(title)s: "
                                   "%(problem)s"), count=len(problems), case=first.case_id, title=Words(first.title),
                                problem=first.problem)
    version = calendar_named(calendar).version
    events: list[audit.Entry] = []
    for move in moves:
        changed = session.execute(
            update(Deadline).where(Deadline.id == move.deadline_id, Deadline.due == move.old_due,
                                   Deadline.status == DeadlineStatus.OPEN)
            .values(due=move.new_due, counted_from=move.new_counted_from, explanation=move.new_explanation,
                    calendar_version=version)
        )
        if rows_changed(changed) != 1:
            raise CaseChanged(N_("case %(case)s: its %(title)s changed while the term dates were being applied: check again and apply"),
                              case=move.case_id, title=Named(move.title))
        events.append(audit.Entry(by, "deadline_recounted", move.case_id, today,
                                  before={"deadline": move.kind, "due": move.old_due.isoformat(),
                                          "explanation": move.old_explanation},
                                  after={"deadline": move.kind, "due": move.new_due.isoformat() if move.new_due else None,
                                         "explanation": move.new_explanation, "calendar_version": version}))
    ids = unchanged.get(calendar, [])
    if ids:
        session.execute(update(Deadline).where(Deadline.id.in_(ids)).values(calendar_version=version))
    if events:
        audit.record_many(session, events)
    _tell_case_teams(session, moves, events_key=f"{calendar}:{version}")
    session.execute(update(Alert).where(Alert.kind == TERM_DATES_ALERT, Alert.resolved_on.is_(None),
                                        Alert.case_id.in_(select(Case.id).where(Case.calendar == calendar)))
                    .values(resolved_on=today))
    return moves


def _term_dates_alert_cy(found: list[DeadlineMove]) -> str:
    """The term-dates alert of a case on Welsh term dates, in Welsh."""
    first = found[0]
    title = reminder_rules().for_kind(first.kind).title_in(Language.WELSH)
    change = (f"{in_words(first.old_due, 'cy')} → {in_words(first.new_due, 'cy')}" if first.new_due
              else "ni ellir ei gyfrif mwyach")
    return (f"Newidiodd dyddiadau tymor y calendr '{first.calendar}': byddai {counted(len(found), 'terfyn amser')} yr achos hwn "
            f"yn symud ({title}: {change}). Mae uwch swyddog yn cymhwyso'r newid ar y dudalen Dyddiadau tymor")


def _by_case(moves: list[DeadlineMove]) -> dict[int, list[DeadlineMove]]:
    by_case: dict[int, list[DeadlineMove]] = defaultdict(list)
    for move in moves:
        by_case[move.case_id].append(move)
    return by_case


def _tell_case_teams(session: Session, moves: list[DeadlineMove], events_key: str) -> int:
    """One email per case to its lead and IP listing what moved, each in their own language,
    keyed so that applying the same change twice sends nothing twice."""
    by_case = _by_case(moves)
    if not by_case:
        return 0
    rows: list[dict[str, Any]] = []
    for case in session.execute(select(Case).where(Case.id.in_(by_case))).scalars():
        people: dict[str, Person] = {p.email: p for p in (case.lead, case.ip) if p is not None}
        for email, person in people.items():
            language = Language.written_to(person.language)
            welsh = language == Language.WELSH
            rows.append({"key": f"term-dates:{events_key}:{case.id}:{email}", "kind": "case_update", "case_id": case.id,
                         "deadline_id": None, "recipient_email": email, "recipient_name": person.name,
                         "subject": (f"{case.school.name}: symudwyd terfynau amser gyda'r dyddiadau tymor newydd" if welsh
                                     else f"{case.school.name}: deadlines moved with the new term dates")[:500],
                         "body": render_email("term_dates.cy" if welsh else "term_dates", {
                             "recipient": {"name": person.name}, "case": {"id": case.id}, "school": {"name": case.school.name},
                             "moves": _moves_said(session, case, by_case[case.id], language),
                             "authority": name_in(case.school.authority, language)})})
    return queue(session, rows)


def _moves_said(session: Session, case: Case, moves: list[DeadlineMove], language: str) -> list[dict[str, str]]:
    """What moved, as an email lists it: in Welsh each deadline's Welsh name, its dates in
    Welsh and the new count said again in Welsh."""
    if language != Language.WELSH:
        return [{"title": m.title, "old": in_words(m.old_due), "new": in_words(m.new_due) if m.new_due else "",
                 "explanation": m.new_explanation} for m in moves]
    rules, calendar = reminder_rules(), calendar_named(case.calendar)
    counted = {d.id: d for d in session.execute(select(Deadline).where(Deadline.id.in_([m.deadline_id for m in moves]))).scalars()}
    said = []
    for m in moves:
        row = counted[m.deadline_id]
        said.append({"title": rules.for_kind(m.kind).title_in(language), "old": in_words(m.old_due, language),
                     "new": in_words(m.new_due, language) if m.new_due else "",
                     "explanation": welsh_explanation(calendar, row.counted_from, row.amount, row.unit, row.basis, row.due, None)
                     or m.new_explanation})
    return said


def raise_term_date_alerts(session: Session, today: date, actor: str) -> int:
    """Tell each affected case's lead, by an alert, that its dates would move with the term
    dates as they are now; nothing is moved (a senior officer applies the change). One
    alert per case and calendar version; returns how many were raised."""
    moves, _ = deadline_moves(session, today)
    known = {(a.case_id, a.key) for a in session.execute(select(Alert).where(Alert.kind == TERM_DATES_ALERT)).scalars()}
    events: list[audit.Entry] = []
    for case_id, found in _by_case(moves).items():
        key = f"{found[0].calendar}:{found[0].new_version}"
        if (case_id, key) in known:
            continue
        first = found[0]
        change = f"{in_words(first.old_due)} → {in_words(first.new_due)}" if first.new_due else "can no longer be counted"
        detail = (f"The term dates of calendar '{first.calendar}' changed: {len(found)} deadline(s) of this case would move "
                  f"({first.title}: {change}). A senior officer applies the change on the Term dates page")
        session.add(Alert(case_id=case_id, kind=TERM_DATES_ALERT, key=key, raised_on=today, to_role="lead", detail=detail,
                          detail_cy=_term_dates_alert_cy(found) if calendar_named(first.calendar).jurisdiction is Jurisdiction.WALES else None))
        events.append(audit.Entry(actor, "alert_raised", case_id, today, after={"alert": TERM_DATES_ALERT, "cause": key}))
    if events:
        audit.record_many(session, events)
    return len(events)

