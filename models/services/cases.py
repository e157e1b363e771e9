"""The use cases of a case: open it, see what may happen next, apply an action.

Each function works inside the caller's transaction and commits nothing itself: the CLI
or a flow commits once, so a refused action (unknown case, illegal stage, missing field,
failed guard, date past the known terms) leaves the database exactly as it was. The
playbook decides (``Playbook.step``); this module only gathers the facts it needs and
writes what it decided.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from models.db import audit
from models.db.authorities import PersonRole
from models.db.cases import (
    Case,
    Classification,
    Concern,
    Deadline,
    Meeting,
    Priority,
    RagJudgement,
    WarningNotice,
)
from models.db.playbooks import pin_playbook, pinned_playbook
from models.db.queries import case_is_open, classification_is_live, deadline_is_live, latest_held_meeting, priority_is_live, rows_changed
from models.db.schools import Person, School
from models.db.storage import file_store
from models.errors import CaseChanged, GuardFailed, InvalidInput, NotFound, NotPermitted
from models.messages import N_, Words
from models.rules.calendar import TermCalendar
from models.rules.deadlines import PlannedDeadline, plan_deadlines
from models.rules.guards import POWERS_WINDOW_DEADLINE, CaseFacts, Guard
from models.rules.playbook import ActionSpec, Playbook, Step
from models.rules.text import LONG_TEXT, checked_text
from models.schemas import AppliedAction, DeadlineSet, DocumentMade
from models.services.directory import email_is, holder, person_by_email, school_by_urn
from models.services.documents import produce_for_action
from models.services.letter_context import action_context
from models.services.notifications import queue_case_update
from models.services.planning import plan_half_term
from models.services.records import RecordWrite, write_record
from models.settings.environment import environment, today
from models.settings.files import calendar_named, playbook_named, stored_name
from models.vocab import STATUTORY_CATEGORIES, DeadlineStatus, MeetingKind, Rag, Role, Scheme, SchoolType

__all__ = [
    "ActionRequest",
    "Actor",
    "Applied",
    "allowed_actions",
    "apply_action",
    "take_action",
    "case_playbook",
    "get_case",
    "open_case",
    "reopening",
    "case_facts",
    "check_open_case",
    "claim",
    "decide_action",
    "not_after_today",
    "acting_person",
    "resolve_actor",
]

@dataclass(frozen=True)
class Actor:
    """Who is acting: their email is written to the audit log, their role is checked."""

    email: str
    role: Role


def _named(email: str | None, use_environment: bool = True) -> str | None:
    """The email of the person named as acting: given, else the terminal's user."""
    return email or (environment().user if use_environment else None)


def acting_person(session: Session, email: str | None, use_environment: bool = True) -> Person:
    """Who is acting: the person named, else the terminal's user (SCC_USER, unless the name
    came from another process's terminal), else the one lead on record. An action is never
    attributed to someone who did not take it, so with nobody named and several leads the
    change is refused."""
    named = _named(email, use_environment)
    if named:
        return person_by_email(session, named)
    leads = session.execute(select(Person).where(Person.role == Role.LEAD).limit(2)).scalars().all()
    if len(leads) == 1:
        return leads[0]
    if not leads:
        raise NotPermitted(N_("nobody is named as the person acting and no lead is on record: say who is acting"))
    raise NotPermitted(N_("nobody is named as the person acting and there is more than one lead: say who is acting"))


def resolve_actor(session: Session, email: str | None, authority_id: int | None = None) -> Actor:
    """``acting_person`` as an action records and checks them: their email and their role in
    the case's authority (the role on record where they hold none there)."""
    named = _named(email)
    if named and authority_id is not None:  # one query: the person and their role in that authority
        found = session.execute(
            select(Person.email, Person.role, PersonRole.role)
            .outerjoin(PersonRole, and_(PersonRole.person_id == Person.id, PersonRole.authority_id == authority_id))
            .where(email_is(named))).first()
        if found is not None:
            return Actor(found[0], Role(found[2] or found[1]))
    person = acting_person(session, email)  # nobody named, or nobody of that email: found, or refused, as always
    return Actor(person.email, Role(person.role))


def not_after_today(on: date, what: str) -> None:
    """Nothing is recorded as having happened after today (the deadlines would count from a
    day that has not come, and the sweep would mark live deadlines overdue)."""
    if on > today():
        raise InvalidInput(N_("%(what)s is dated %(on)s, after today (%(today)s): record it once it has happened"), what=what, on=on,
                           today=today())


def get_case(session: Session, case_id: int) -> Case:
    if not 0 < case_id < 2**31:  # beyond any id either database gives
        raise NotFound(N_("no case %(case)s"), case=case_id)
    case = session.get(Case, case_id, options=[joinedload(Case.school), joinedload(Case.lead)])
    if case is None:
        raise NotFound(N_("no case %(case)s"), case=case_id)
    return case


def case_playbook(session: Session, case: Case) -> Playbook:
    return pinned_playbook(session, case.playbook, case.playbook_version)


def check_open_case(session: Session, urn: str, reason: str, *, on: date, playbook: str | None = None,
                    calendar: str | None = None) -> tuple[School, Playbook, str, Case | None]:
    """Every check opening a case must pass, reading only (the CLI calls it before a flow
    starts); with the school, playbook and calendar, the closed case whose watch after exit
    the new case would reopen, if the school is watched."""
    if not reason.strip():
        raise InvalidInput(N_("a case needs a reason: say why the school is causing concern"))
    checked_text(reason, Words(N_("the reason")), limit=LONG_TEXT, lines=True)
    not_after_today(on, Words(N_("the case")))
    school = school_by_urn(session, urn)
    book = playbook_named(playbook or school.authority.playbook)
    # The school's own term dates where it sets them (S.I. 2005/2038 reg 2 counts the holidays
    # "taken by the school in question"), else its authority's.
    calendar_name = stored_name(calendar or school.calendar or school.authority.calendar, "calendars")
    calendar_named(calendar_name)  # refuse a missing or malformed calendar now, not at the first deadline
    existing = session.execute(select(Case.id).where(Case.school_id == school.id, case_is_open())).scalar()
    if existing:
        raise GuardFailed(N_("%(school)s (%(urn)s) already has an open case %(case)s: continue that case"), school=school.name,
                          urn=school.urn, case=existing)
    watched = session.execute(
        select(Case).where(Case.school_id == school.id, Case.watch_until.is_not(None)).order_by(Case.id.desc()).limit(1)
    ).scalar()
    if watched and watched.closed_on and on < watched.closed_on:
        raise InvalidInput(N_("case %(case)s of this school closed on %(closed)s: a case reopening its intervention cannot be "
                              "dated earlier"), case=watched.id, closed=watched.closed_on)
    return school, book, calendar_name, watched


def open_case(
    session: Session,
    urn: str,
    reason: str,
    *,
    on: date,
    actor: Actor,
    playbook: str | None = None,
    calendar: str | None = None,
    lead: str | None = None,
    ip: str | None = None,
) -> Case:
    """Open a case at the playbook's first stage; a school has at most one open case. A
    school watched in the year after an exit has its intervention reopened: the new case
    links back to the watched one, whose watch ends (``_end_watch_by_reopening``)."""
    school, book, calendar_name, watched = check_open_case(session, urn, reason, on=on, playbook=playbook,
                                                           calendar=calendar)
    pin_playbook(session, book)
    case = Case(
        school=school,
        playbook=book.name,
        playbook_version=book.version,
        jurisdiction=book.jurisdiction.value,
        calendar=calendar_name,
        stage=book.initial_stage,
        stage_since=on,
        lead=holder(session, "lead", lead, school.authority),
        ip=holder(session, "ip", ip, school.authority) or school.ip,
        opened_on=on,
        reason=reason.strip(),
        reopened_from=watched.id if watched else None,
    )
    session.add(case)
    session.flush()
    session.add(
        Concern(school_id=school.id, case_id=case.id, raised_on=on, source="case_opened", detail=case.reason, raised_by=actor.email)
    )
    audit.record(
        session, actor.email, "case_opened", case_id=case.id, effective_on=on,
        after={"stage": case.stage, "school": school.urn, "playbook": f"{book.name}@{book.version}", "reason": case.reason,
               **({"reopened_from": watched.id} if watched else {})},
    )
    if watched:
        _end_watch_by_reopening(session, watched, case, on, actor)
    return case


def reopening(session: Session, case_id: int, reason: str, on: date) -> tuple[str, dict[str, str | None]]:
    """What reopening the intervention of a case watched after exit opens: the school's URN
    and the new case's options (the same playbook, now at its newest version, calendar, lead
    and IP). Refused, writing nothing, when the case is not watched or the new case could
    not open; ``open_case`` with these makes the link."""
    case = get_case(session, case_id)
    if case.watch_until is None:
        raise GuardFailed(N_("case %(case)s is not watched after exit, so there is no intervention to reopen: open a new case "
                             "for the school instead"), case=case.id)
    options = {"playbook": case.playbook, "calendar": case.calendar,
               "lead": case.lead.email if case.lead else None, "ip": case.ip.email if case.ip else None}
    check_open_case(session, case.school.urn, reason, on=on, playbook=case.playbook, calendar=case.calendar)
    return case.school.urn, options


def _end_watch_by_reopening(session: Session, watched: Case, reopened: Case, on: date, actor: Actor) -> None:
    """The school causes concern again within the year after exit: the watch ends, its
    reviews are cancelled, and the school's classification says it was reopened."""
    claim(session, watched)
    watched.watch_until = None
    _cancel_deadlines(session, watched, None, on, f"intervention reopened as case {reopened.id}")
    session.add(Classification(school_id=watched.school_id, case_id=watched.id, scheme=Scheme.EXIT_WATCH, value="reopened",
                               effective_on=on, set_by=actor.email, evidence=reopened.reason))
    audit.record(session, actor.email, "exit_watch_ended", case_id=watched.id, effective_on=on,
                 before={"stage": watched.stage}, after={"stage": watched.stage, "reopened_as": reopened.id, "watch_until": None})


def allowed_actions(session: Session, case: Case) -> list[ActionSpec]:
    return case_playbook(session, case).allowed(case.stage, SchoolType(case.school.type))


def case_facts(session: Session, case: Case, on: date, specs: Sequence[ActionSpec]) -> CaseFacts:
    """The facts the guards of these actions (and their use of a power) look at, each
    gathered once for all of them, and nothing more: one or two queries per action."""
    wanted = {g for spec in specs for g in spec.guards}
    if any(spec.power or any(f.name == "powers" for f in spec.fields) for spec in specs):
        wanted.add(Guard.ELIGIBLE_FOR_INTERVENTION)
    if wanted & {Guard.WITHIN_POWERS_WINDOW, Guard.ELIGIBLE_FOR_INTERVENTION}:
        wanted.add(Guard.HAS_INSPECTION_CATEGORY)  # a category opens the powers without a notice or a window
    facts: dict[str, Any] = {}
    for needed_by, gather in _FACT_GATHERERS:
        if wanted & needed_by:
            facts.update(gather(session, case))
    return CaseFacts(case_id=case.id, school_type=SchoolType(case.school.type), on=on, watch_until=case.watch_until, **facts)


def _notice_facts(session: Session, case: Case) -> dict[str, Any]:
    live = session.execute(
        select(WarningNotice.compliance_end)
        .where(WarningNotice.case_id == case.id, WarningNotice.outcome.is_(None))
        .order_by(WarningNotice.id.desc()).limit(1)
    ).scalar()
    return {"live_notice_compliance_end": live}


def _powers_window_facts(session: Session, case: Case) -> dict[str, Any]:
    """The window is the playbook's own deadline, so changing the playbook changes the guard."""
    window = session.execute(
        select(Deadline.due)
        .where(Deadline.case_id == case.id, Deadline.kind == POWERS_WINDOW_DEADLINE, deadline_is_live())
        .order_by(Deadline.id.desc()).limit(1)
    ).scalar()
    return {"powers_window_end": window}


def _eligibility_facts(session: Session, case: Case) -> dict[str, Any]:
    failed = session.execute(
        select(WarningNotice.section)
        .where(WarningNotice.case_id == case.id, WarningNotice.outcome == "not_complied")
        .order_by(WarningNotice.id.desc()).limit(1)
    ).scalar()
    return {"failed_notice_section": failed}


def _inspection_facts(session: Session, case: Case) -> dict[str, Any]:
    inspection = session.execute(
        select(Classification.value)
        .where(Classification.school_id == case.school_id, Classification.scheme == Scheme.INSPECTION,
               Classification.effective_on >= case.opened_on, classification_is_live())
        .order_by(Classification.effective_on.desc(), Classification.id.desc())
        .limit(1)
    ).scalar()
    return {"has_inspection_category": inspection in STATUTORY_CATEGORIES}


def _priority_facts(session: Session, case: Case) -> dict[str, Any]:
    priorities = session.execute(select(Priority.number).where(Priority.case_id == case.id, priority_is_live())).scalars().all()
    return {"priority_numbers": frozenset(priorities)}


def _summative_facts(session: Session, case: Case) -> dict[str, Any]:
    held = session.execute(latest_held_meeting(case.id, MeetingKind.SUMMATIVE)).scalar()
    return {"summative_meeting_held": held is not None}


def _review_facts(session: Session, case: Case) -> dict[str, Any]:
    latest_review = session.execute(
        latest_held_meeting(case.id, MeetingKind.PROGRESS_REVIEW)
        .options(selectinload(Meeting.judgements).selectinload(RagJudgement.priority))
    ).scalar()
    judged = {j.priority.number: Rag(j.rating) for j in latest_review.judgements} if latest_review else None
    return {"latest_review": judged}


# Which facts each guard needs, gathered once per action.
_FACT_GATHERERS: Sequence[tuple[set[Guard], Callable[[Session, Case], dict[str, Any]]]] = (
    ({Guard.NO_LIVE_WARNING_NOTICE, Guard.LIVE_WARNING_NOTICE, Guard.COMPLIANCE_PERIOD_ENDED}, _notice_facts),
    ({Guard.WITHIN_POWERS_WINDOW}, _powers_window_facts),
    ({Guard.HAS_INSPECTION_CATEGORY}, _inspection_facts),
    ({Guard.ELIGIBLE_FOR_INTERVENTION}, _eligibility_facts),
    ({Guard.HAS_PRIORITIES, Guard.RAG_COVERS_PRIORITIES, Guard.IMPROVEMENT_SECURED}, _priority_facts),
    ({Guard.SUMMATIVE_MEETING_HELD}, _summative_facts),
    ({Guard.IMPROVEMENT_SECURED}, _review_facts),
)


@dataclass(frozen=True)
class Applied:
    """What an applied action changed, and the documents its playbook marks for production."""

    case: Case
    step: Step
    deadlines: Sequence[PlannedDeadline]
    documents: Sequence[str]
    event: int  # the action's audit event: the key of what it sends
    actor: Actor
    recorded_fields: dict[str, Any]  # the fields as the audit log keeps them


class ActionRequest(NamedTuple):
    """One action as a front end asks for it: the CLI, a web form and the API build the same."""

    case_id: int
    action: str
    fields: Mapping[str, str]  # NAME=VALUE strings as the user gave them
    on: date
    actor_email: str | None = None


@dataclass(frozen=True)
class Decision:
    """An action decided and its deadlines counted, nothing yet written."""

    case: Case
    book: Playbook
    actor: Actor
    step: Step
    planned: Sequence[PlannedDeadline]


def decide_action(session: Session, request: ActionRequest, calendar: TermCalendar | None = None) -> Decision:
    """Every check an action must pass, reading only: the case, the person acting, the date,
    the stage, the fields, the guards and the deadlines' counting. The CLI calls it before
    starting a flow, so a refusal answers at once; ``apply_action`` calls it to begin."""
    case_id, action, raw_fields, on, actor_email = request
    case = get_case(session, case_id)
    book = case_playbook(session, case)
    actor = resolve_actor(session, actor_email, case.school.authority_id)
    not_after_today(on, f"'{action}'")
    if on < case.opened_on:
        raise InvalidInput(N_("case %(case)s was opened on %(opened)s: an action cannot be dated earlier"), case=case.id,
                           opened=case.opened_on)
    spec = book.actions.get(action)
    step = book.step(case.stage, action, raw_fields, case_facts(session, case, on, [spec] if spec else []), actor.role)
    calendar = calendar or calendar_named(case.calendar)
    planned = plan_deadlines(step.action.deadlines, step.fields, on, calendar, SchoolType(case.school.type))
    return Decision(case, book, actor, step, planned)


def apply_action(session: Session, request: ActionRequest, calendar: TermCalendar | None = None) -> Applied:
    """Decide and write one action in the caller's transaction; raises before writing if refused."""
    decided = decide_action(session, request, calendar)
    case, book, actor, step, planned = decided.case, decided.book, decided.actor, decided.step, decided.planned
    action, on = request.action, request.on
    claim(session, case)
    # What undoing the action would restore (``services.undo``): the case as it was, and the
    # live deadlines it closed, each with the status it had.
    was = {"stage": step.from_stage, "stage_since": case.stage_since.isoformat(),
           "closed_on": case.closed_on.isoformat() if case.closed_on else None,
           "watch_until": case.watch_until.isoformat() if case.watch_until else None}
    # Close deadlines before adding rows, so the UPDATEs do not force an early flush.
    closed = _meet_deadlines(session, case, step.action.completes, on, f"met by {action}")
    closed += _cancel_deadlines(session, case, step.action.cancels, on, f"cancelled by {action}")
    if step.to_stage != case.stage:
        case.stage, case.stage_since = step.to_stage, on
        if book.is_closed(step.to_stage):
            case.closed_on = on
            closed += _cancel_deadlines(session, case, None, on, f"the case was closed by {action}")
    if step.action.watch_months:
        case.watch_until = on + relativedelta(months=step.action.watch_months)
    if step.action.ends_watch:
        case.watch_until = None
    write = RecordWrite(session, case, book, step, planned, on, actor.email)
    written = [write_record(write, record) for record in step.action.records]
    _insert_deadlines(session, case, planned, action)
    half_term = _plan_on_entry(session, case, book, step, on, actor.email)
    recorded = audit.jsonable({k: v for k, v in step.fields.items() if v not in (None, {})})
    event = audit.record(
        session, actor.email, action, case_id=case.id, effective_on=on,
        before=was,
        after={
            "stage": step.to_stage,
            "closed_deadlines": closed,
            "fields": recorded,
            "records": [w for w in written if w],
            "deadlines": [{"kind": d.kind, "due": d.due.isoformat(), "basis": d.basis.value} for d in planned],
            **({"planned": half_term} if half_term else {}),
            "completed": list(step.action.completes),
            "documents_due": list(step.action.documents),
            "cancelled": list(step.action.cancels),
            **({"watch_until": case.watch_until.isoformat() if case.watch_until else None}
               if step.action.watch_months or step.action.ends_watch else {}),
        },
    )
    return Applied(case=case, step=step, deadlines=planned, documents=step.action.documents, event=event, actor=actor,
                   recorded_fields=recorded)


def _plan_on_entry(session: Session, case: Case, book: Playbook, step: Step, on: date, actor: str) -> list[dict[str, str]]:
    """A case entering a stage its cadence plans on entry (intervention) gets the rest of the
    half-term's reviews, visits and TIG meetings at once, not at the next half-term's start; the
    action's event lists them, so undoing the action takes them back. A calendar without the
    half-term plans nothing here: the case page's "Plan this half-term" says why."""
    cadence = book.cadence
    if cadence is None or step.to_stage == step.from_stage or step.to_stage not in cadence.plan_on_entry:
        return []
    report = plan_half_term(session, on, actor, case_ids=[case.id])
    return [{"kind": kind, "due": due.isoformat()} for kind, due in report.dues.get(case.id, [])]


def take_action(
    session: Session,
    case_id: int,
    action: str,
    raw_fields: Mapping[str, str],
    *,
    on: date,
    actor_email: str | None = None,
) -> AppliedAction:
    """The whole of one action, in the caller's transaction: decide and record it, produce
    the letters its playbook marks, and queue the case team's email — all kept or none."""
    applied = apply_action(session, ActionRequest(case_id, action, raw_fields, on, actor_email))
    made, untemplated = produce_for_action(
        session, case_id, applied.documents, applied.actor.email,
        action=action_context(applied.step.action, applied.recorded_fields, on),
    )
    notified = queue_case_update(session, applied.case, action, applied.deadlines, applied.event)
    return AppliedAction(
        action=action,
        stage=applied.case.stage,
        deadlines=[DeadlineSet(kind=d.kind, due=d.due, basis=d.basis.value, explanation=d.explanation)
                   for d in applied.deadlines],
        documents=[DocumentMade(kind=d.kind, version=d.version, path=file_store(session).where(d.path)) for d in made],
        documents_without_template=untemplated,
        event=applied.event,
        notified=notified,
    )


def claim(session: Session, case: Case) -> None:
    """The action's first write: move the case to its next version, if nobody else has.

    Two actions on one case at the same moment both decide from what they read; only the
    first to write moves the version, the other finds it moved and is refused. On
    PostgreSQL the row lock makes the second wait for the first to end; on SQLite the
    write lock does (the transaction begins at this first write, so it reads no stale state).
    """
    moved = rows_changed(session.execute(
        update(Case).where(Case.id == case.id, Case.version == case.version).values(version=Case.version + 1)
        .execution_options(synchronize_session=False)
    ))
    if not moved:
        raise CaseChanged(N_("case %(case)s changed while this action was being decided: look at it again and retry"), case=case.id)
    set_committed_value(case, "version", case.version + 1)  # the loaded case knows, for a next action in this transaction


def _insert_deadlines(session: Session, case: Case, planned: Sequence[PlannedDeadline], action: str) -> None:
    """The deadlines an action sets, each with how it was counted, in one statement."""
    if planned:
        session.execute(insert(Deadline), [
            {"case_id": case.id, "kind": d.kind, "counted_from": d.counted_from, "amount": d.amount, "unit": d.unit,
             "basis": d.basis.value, "due": d.due, "calendar": d.calendar, "calendar_version": d.calendar_version,
             "explanation": d.explanation, "status": DeadlineStatus.OPEN, "set_by_action": action}
            for d in planned
        ])


def _meet_deadlines(session: Session, case: Case, kinds: Sequence[str], on: date, reason: str) -> list[list[Any]]:
    """One action meets one duty: the earliest live deadline of each kind it completes.
    Returns each deadline met as [id, the status it had].

    A term plans two TIG meetings and each half-term two visits; recording one meeting
    must leave the next one still due.
    """
    if not kinds:
        return []
    live = session.execute(
        select(Deadline.id, Deadline.kind, Deadline.status)
        .where(Deadline.case_id == case.id, Deadline.kind.in_(kinds), deadline_is_live())
        .order_by(Deadline.due, Deadline.id)
    ).all()
    earliest: dict[str, tuple[int, str]] = {}
    for row in live:
        earliest.setdefault(row.kind, (row.id, row.status))
    if earliest:
        session.execute(
            update(Deadline).where(Deadline.id.in_([i for i, _ in earliest.values()]))
            .values(status=DeadlineStatus.MET, closed_on=on, closed_reason=reason)
        )
    return [[i, str(status)] for i, status in earliest.values()]


def _cancel_deadlines(session: Session, case: Case, kinds: Sequence[str] | None, on: date, reason: str) -> list[list[Any]]:
    """Every live deadline of the kinds an action makes moot (``None``: every one, as when the
    case closes and nothing is due any more). Returns each as [id, the status it had]."""
    if kinds is not None and not kinds:
        return []
    live = select(Deadline.id, Deadline.status).where(Deadline.case_id == case.id, deadline_is_live())
    if kinds is not None:
        live = live.where(Deadline.kind.in_(kinds))
    found = [[i, str(status)] for i, status in session.execute(live).all()]
    if found:
        session.execute(update(Deadline).where(Deadline.id.in_([i for i, _ in found]))
                        .values(status=DeadlineStatus.CANCELLED, closed_on=on, closed_reason=reason))
    return found
