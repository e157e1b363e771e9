"""The termly report on all schools causing concern, for senior managers and the scrutiny
committee (001:L802): one row per case open during the term — school, stage, category,
RAG per priority over the last reviews as coloured cells, days in stage, next deadlines —
and the totals by stage. Produced from ``templates/termly_report.xml.j2`` on the letterhead
and stored as a document of no single case, versioned like any other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from models.adapters.docx.letterhead import Letterhead
from models.db.cases import Case, Deadline, Document, Meeting, Priority, RagJudgement
from models.db.playbooks import pinned_playbook
from models.db.queries import case_is_open, deadline_is_live, latest_classifications, meeting_is_live, priority_is_live
from models.errors import InvalidInput
from models.messages import N_
from models.rules.calendar import Term
from models.rules.text import in_words
from models.services.documents import package, render_body, store
from models.services.letter_context import RAG_COLOURS
from models.settings.files import calendar_named, default_calendar, reminder_rules
from models.vocab import MeetingKind, Scheme

__all__ = ["open_in_term", "term_label", "term_named", "termly_report"]

REVIEWS_SHOWN = 3
PRIORITY_COLUMNS = 6


def term_label(term: Term) -> str:
    return f"{term.name} {term.start.year}"


def term_named(name: str | None, today: date) -> Term:
    """The term called ``name`` ("Autumn 2026") in the default calendar; by default the term
    under way today, else the last one to have ended."""
    terms = calendar_named(default_calendar()).terms
    if name:
        for term in terms:
            if term_label(term).lower() == name.strip().lower():
                return term
        raise InvalidInput(N_("no term '%(term)s' in calendar '%(calendar)s': choose one of %(terms)s"), term=name,
                           calendar=default_calendar(), terms=", ".join(term_label(t) for t in terms))
    started = [t for t in terms if t.start <= today]
    if not started:
        raise InvalidInput(N_("no term has started by %(today)s: choose a term, one of %(terms)s"), today=today,
                           terms=", ".join(term_label(t) for t in terms))
    return started[-1]


def open_in_term(term: Term) -> ColumnElement[bool]:
    """Whether a case was open at some point of the term: the cases the termly report and
    the dashboard count."""
    return and_(Case.opened_on <= term.end, or_(case_is_open(), Case.closed_on >= term.start))


def _cases_in_term(session: Session, term: Term, visible: ColumnElement[bool]) -> list[Case]:
    """Every case ``visible`` selects open at some point of the term, with its school."""
    return list(session.execute(
        select(Case).where(open_in_term(term), visible).options(selectinload(Case.school)).order_by(Case.id)
    ).scalars())


def _rows(session: Session, term: Term, as_of: date, visible: ColumnElement[bool]) -> list[dict[str, Any]]:
    """One row per case open in the term, every column of the report (long: the columns are a flat list, read in four queries)."""
    cases = _cases_in_term(session, term, visible)
    ids = [c.id for c in cases]
    school_ids = [c.school_id for c in cases]
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    for (school_id, scheme), value in latest_classifications(session, [Scheme.INSPECTION, Scheme.LA_CATEGORY],
                                                             school_ids, term.end).items():
        latest[school_id][scheme] = value.replace("_", " ")
    category = {school_id: "; ".join(v for v in (found.get(Scheme.INSPECTION), found.get(Scheme.LA_CATEGORY)) if v)
                for school_id, found in latest.items()}
    priorities: dict[int, list[int]] = defaultdict(list)
    for case_id, number in session.execute(select(Priority.case_id, Priority.number).where(Priority.case_id.in_(ids), priority_is_live())
                                           .order_by(Priority.number)):
        priorities[case_id].append(number)
    ratings: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case_id, number, rating in session.execute(
        select(Meeting.case_id, Priority.number, RagJudgement.rating)
        .join(RagJudgement, RagJudgement.meeting_id == Meeting.id).join(Priority, Priority.id == RagJudgement.priority_id)
        .where(Meeting.case_id.in_(ids), Meeting.kind == MeetingKind.PROGRESS_REVIEW, Meeting.held_on <= term.end, priority_is_live(),
               meeting_is_live())
        .order_by(Meeting.held_on, Meeting.id)
    ):
        ratings[case_id][number].append(rating)
    upcoming: dict[int, list[str]] = defaultdict(list)
    rules = reminder_rules()
    for case_id, kind, due in session.execute(
        select(Deadline.case_id, Deadline.kind, Deadline.due)
        .where(Deadline.case_id.in_(ids), deadline_is_live()).order_by(Deadline.due, Deadline.id)
    ):
        if len(upcoming[case_id]) < 2:
            upcoming[case_id].append(f"{rules.for_kind(kind).title}: {in_words(due)}")
    rows = []
    for case in cases:
        book = pinned_playbook(session, case.playbook, case.playbook_version)
        cells: list[Any] = []
        for number in priorities[case.id][:PRIORITY_COLUMNS]:
            history = ratings[case.id][number][-REVIEWS_SHOWN:]
            cells.append({"text": f"P{number}: " + (" → ".join(history) if history else "not yet judged"),
                          "fill": RAG_COLOURS[history[-1]] if history else ""})
        cells += [""] * (PRIORITY_COLUMNS - len(cells))
        end = min(as_of, case.closed_on or as_of)
        rows.append({"school": case.school.name, "urn": case.school.urn, "stage": book.stages.get(case.stage, case.stage),
                     "category": category.get(case.school_id, ""), "days_in_stage": (end - case.stage_since).days,
                     "rag": cells, "next_deadlines": "; ".join(upcoming[case.id])})
    return rows


def _as_of(term: Term, today: date) -> date:
    return min(today, term.end) if today >= term.start else term.end


def termly_table(session: Session, term_name: str | None, today: date,
                 visible: ColumnElement[bool]) -> tuple[str, Sequence[str], Sequence[Sequence[Any]]]:
    """The termly report's rows as a table to export: the same cases, the same figures."""
    term = term_named(term_name, today)
    headings = ["School", "URN", "Stage", "Category", "Days in stage"] + [f"Priority {n}" for n in range(1, PRIORITY_COLUMNS + 1)]
    return (f"Termly report {term_label(term)}", [*headings, "Next deadlines"],
            [[r["school"], r["urn"], r["stage"], r["category"], r["days_in_stage"], *[c["text"] if c else "" for c in r["rag"]],
              r["next_deadlines"]] for r in _rows(session, term, _as_of(term, today), visible)])


def termly_report(session: Session, term_name: str | None, actor: str, today: date, visible: ColumnElement[bool],
                  head: Letterhead, output: Path | None = None) -> Document:
    """The termly report of the cases ``visible`` selects, on the letterhead ``head`` (one
    authority's, or the installation's for a report across a consortium)."""
    term = term_named(term_name, today)
    rows = _rows(session, term, _as_of(term, today), visible)
    totals = Counter(r["stage"] for r in rows)
    context = {
        "letterhead": head,
        "letter": {"date": today, "date_in_words": in_words(today)},
        "report": {"term": term_label(term), "term_start_in_words": in_words(term.start),
                   "term_end_in_words": in_words(term.end),
                   "columns": ["School", "Stage", "Category", "Days in stage"]
                   + [f"Priority {n}" for n in range(1, PRIORITY_COLUMNS + 1)] + ["Next deadlines"]},
        "rows": rows,
        "totals": [{"stage": stage, "count": count} for stage, count in sorted(totals.items())],
        "rag_colours": RAG_COLOURS,
    }
    data = package(render_body("termly_report", context), head, today, f"Termly report: {term_label(term)}")
    recipients = [{"role": "senior", "name": "Senior managers", "email": None},
                  {"role": "scrutiny", "name": "Scrutiny committee", "email": None}]
    return store(session, None, "termly_report", data, recipients, actor, output)
