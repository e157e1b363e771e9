"""The head of service's picture of a term: cases by stage and school type, what is overdue
and whose it is, how long cases sit in each stage, and how many left intervention within a
year, and each case's RAG judgements over time.

It counts the same cases as the termly report (``open_in_term``: every case open at some
point of the term), so the two agree for the same term. It reads columns, not whole cases,
and only the audit events that moved a case's stage: a thousand cases in a few queries.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, or_, select
from sqlalchemy.orm import Session

from models.db.audit import AuditEvent
from models.db.cases import Case, Deadline, Meeting, Priority, RagJudgement
from models.db.playbooks import pinned_playbook
from models.db.queries import deadline_is_live, latest_classifications, meeting_is_live, priority_is_live
from models.db.schools import Person, School
from models.errors import InvalidInput
from models.rules.paging import missing_page, page_count
from models.schemas import CaseRag, Count, Dashboard, PriorityRag, StageTime
from models.services.termly_report import open_in_term, term_label, term_named
from models.settings.files import reminder_rules
from models.vocab import MeetingKind, Scheme

__all__ = ["RAG_PER_PAGE", "YEAR", "dashboard"]

YEAR = 365  # days: an exit within a year of opening
RAG_PER_PAGE = 10  # cases whose RAG over time the dashboard charts at once


def _counts(counter: Counter[str]) -> list[Count]:
    return [Count(name=name, count=count) for name, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]


def dashboard(session: Session, term_name: str | None, today: date, visible: ColumnElement[bool], category: str | None = None,
              rag_page: int = 1, rag_per_page: int = RAG_PER_PAGE) -> Dashboard:
    """The term's figures as of ``today`` (or the term's last day, for a past term) over the
    cases ``visible`` selects (a person's, in one authority or across theirs), for the
    cases of one LA category when ``category`` is given; the RAG over time of one page of
    the reviewed cases (a chart per case: a thousand would be a page nobody reads)."""
    term = term_named(term_name, today)
    as_of = min(today, term.end)
    cases = list(session.execute(
        select(Case.id, Case.stage, Case.playbook, Case.playbook_version, Case.opened_on, Case.closed_on, Case.school_id,
               School.name.label("school"), School.type.label("school_type"), Person.name.label("lead"))
        .join(School, Case.school_id == School.id).outerjoin(Person, Case.lead_id == Person.id)
        .where(open_in_term(term), visible).order_by(Case.id)
    ).all())
    categories = _categories(session, [c.school_id for c in cases], term.end)
    if category:
        cases = [c for c in cases if categories.get(c.school_id) == category]
    books = {(c.playbook, c.playbook_version) for c in cases}
    stages = {book: pinned_playbook(session, *book).stages for book in books}
    titles = {c.id: stages[(c.playbook, c.playbook_version)] for c in cases}
    by_id = {c.id: c for c in cases}
    overdue = session.execute(
        select(Deadline.case_id, Deadline.kind)
        .where(Deadline.case_id.in_(by_id), deadline_is_live(), Deadline.due < as_of)
    ).all()
    rules = reminder_rules()
    exits: Counter[str] = Counter()
    for case in cases:
        if case.closed_on is None or case.closed_on > as_of:
            exits["still open"] += 1
        elif (case.closed_on - case.opened_on).days <= YEAR:
            exits["left within 12 months"] += 1
        else:
            exits["left after 12 months"] += 1
    return Dashboard(
        term=term_label(term), as_of=as_of, cases=len(cases), category=category,
        categories=sorted(set(categories.values())),
        by_stage=_counts(Counter(titles[c.id].get(c.stage, c.stage) for c in cases)),
        by_school_type=_counts(Counter(c.school_type.replace("_", " ") for c in cases)),
        overdue_by_kind=_counts(Counter(rules.for_kind(kind).title for _, kind in overdue)),
        overdue_by_lead=_counts(Counter(by_id[case_id].lead or "no lead" for case_id, _ in overdue)),
        time_in_stage=_time_in_stage(session, cases, titles, as_of),
        exits=_counts(exits),
        **_rag_history(session, cases, as_of, rag_page, rag_per_page),
    )


def _rag_history(session: Session, cases: list[Row[Any]], as_of: date, page: int, per_page: int) -> dict[str, Any]:
    """The RAG per priority at each progress review up to ``as_of`` of one page of the cases
    reviewed so far (in case order), with how many there are and the page shown."""
    reviewed = list(session.execute(
        select(Meeting.case_id).join(RagJudgement, RagJudgement.meeting_id == Meeting.id)
        .where(Meeting.case_id.in_([c.id for c in cases]), Meeting.kind == MeetingKind.PROGRESS_REVIEW, Meeting.held_on <= as_of,
               meeting_is_live())
        .distinct().order_by(Meeting.case_id)
    ).scalars())
    pages = page_count(len(reviewed), per_page)
    missing = missing_page(page, pages, "RAG charts")
    if missing:
        raise InvalidInput(missing)
    shown = set(reviewed[(page - 1) * per_page:page * per_page])
    schools = {c.id: c.school for c in cases if c.id in shown}
    reviews: dict[int, list[tuple[int, date]]] = defaultdict(list)
    judged: dict[int, dict[tuple[int, int], str]] = defaultdict(dict)
    titles: dict[int, dict[int, str]] = defaultdict(dict)
    for case_id, meeting_id, held_on, number, title, rating in session.execute(
        select(Meeting.case_id, Meeting.id, Meeting.held_on, Priority.number, Priority.title, RagJudgement.rating)
        .join(RagJudgement, RagJudgement.meeting_id == Meeting.id).join(Priority, Priority.id == RagJudgement.priority_id)
        .where(Meeting.case_id.in_(schools), Meeting.kind == MeetingKind.PROGRESS_REVIEW, Meeting.held_on <= as_of, priority_is_live(),
               meeting_is_live())
        .order_by(Meeting.held_on, Meeting.id, Priority.number)
    ):
        if not reviews[case_id] or reviews[case_id][-1][0] != meeting_id:
            reviews[case_id].append((meeting_id, held_on))
        judged[case_id][(meeting_id, number)] = rating
        titles[case_id][number] = title
    history = [
        CaseRag(case_id=case_id, school=schools[case_id], reviews=[held for _, held in held_reviews],
                priorities=[PriorityRag(number=number, title=title,
                                        ratings=[judged[case_id].get((meeting_id, number)) for meeting_id, _ in held_reviews])
                            for number, title in sorted(titles[case_id].items())])
        for case_id, held_reviews in sorted(reviews.items())
    ]
    return {"rag_history": history, "rag_cases": len(reviewed), "rag_page": page, "rag_pages": pages}


def _categories(session: Session, school_ids: list[int], by: date) -> dict[int, str]:
    """Each school's latest LA category on or before ``by``."""
    latest = latest_classifications(session, [Scheme.LA_CATEGORY], school_ids, by)
    return {school_id: value for (school_id, _), value in latest.items()}


def _time_in_stage(session: Session, cases: list[Row[Any]], titles: Mapping[int, Mapping[str, str]],
                   as_of: date) -> list[StageTime]:
    """Days each case spent in each stage, from the audit log's stage changes (the stage
    still under way counts to ``as_of``, or to the day the case closed): the median and the
    longest per stage."""
    days: dict[str, list[int]] = defaultdict(list)
    moves: dict[int, list[tuple[date, str]]] = defaultdict(list)
    stage_before, stage_after = AuditEvent.before["stage"].as_string(), AuditEvent.after["stage"].as_string()
    for case_id, on, stage in session.execute(
        select(AuditEvent.case_id, AuditEvent.effective_on, stage_after)
        .where(AuditEvent.case_id.in_([c.id for c in cases]), stage_after.is_not(None),
               or_(stage_before.is_(None), stage_before != stage_after))  # the events that moved a case
        .order_by(AuditEvent.seq)
    ):
        if stage and on and (not moves[case_id] or moves[case_id][-1][1] != stage):
            moves[case_id].append((on, stage))
    for case in cases:
        ends = [on for on, _ in moves[case.id][1:]] + [min(as_of, case.closed_on or as_of)]
        for (start, stage), end in zip(moves[case.id], ends, strict=True):
            if stage != case.stage or case.closed_on is None:
                days[titles[case.id].get(stage, stage)].append(max((end - start).days, 0))
    return [StageTime(stage=stage, cases=len(spent), median_days=int(statistics.median(spent)), longest_days=max(spent))
            for stage, spent in sorted(days.items())]
