"""The use cases of a case: open it, see what may happen next, apply an action.

Each function works inside the caller's transaction and commits nothing itself: the CLI
or a flow commits once, so a refused action (unknown case, illegal stage, missing field,
failed guard, date past the known terms) leaves the database exactly as it was. The
playbook decides (``Playbook.step``); this module only gathers the facts it needs and
writes what it decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from models.adapters.docx.context import action_context
from models.db import audit
from models.db.cases import (
    Case,
    Classification,
    Concern,
    Deadline,
    Meeting,
    NoticeCopy,
    Priority,
    RagJudgement,
    StatementOfAction,
    WarningNotice,
)
from models.db.queries import case_is_open, deadline_is_live, latest_held_meeting
from models.db.schools import Person, School
from models.errors import GuardFailed, InvalidInput, NotFound
from models.rules.calendar import TermCalendar
from models.rules.deadlines import PlannedDeadline, plan_deadlines
from models.rules.playbook import ActionSpec, CaseFacts, Guard, Playbook, RecordSpec, RecordType, Step
from models.schemas import AppliedAction, DeadlineSet, DocumentMade
from models.services.directory import person_by_email, school_by_urn
from models.services.documents import produce_for_action
from models.services.notifications import queue_case_update
from models.settings.environment import authority
from models.settings.files import calendar_named, default_calendar, default_playbook, pin_playbook, pinned_playbook, playbook_named
from models.vocab import STATUTORY_CATEGORIES, DeadlineStatus, MeetingKind, Rag, Role, Scheme, SchoolType

__all__ = [
    "Actor",
    "Applied",
    "allowed_actions",
    "apply_action",
    "take_action",
    "case_playbook",
    "get_case",
    "open_case",
    "resolve_actor",
]

# EIA 2006 ss63–64 and SSO(W)A 2013: powers after a notice must be used within two months
# after the compliance period ends.
POWERS_WINDOW_MONTHS = 2


@dataclass(frozen=True)
class Actor:
    """Who is acting: their email is written to the audit log, their role is checked."""

    email: str
    role: Role


def resolve_actor(session: Session, email: str | None, case: Case | None = None) -> Actor:
    """``--as EMAIL``, else the case's lead, else the local user acting as a lead."""
    if email:
        person = person_by_email(session, email)
        return Actor(person.email, Role(person.role))
    if case is not None and case.lead is not None:
        return Actor(case.lead.email, Role.LEAD)
    return Actor("local-user", Role.LEAD)


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id, options=[joinedload(Case.school), joinedload(Case.lead)])
    if case is None:
        raise NotFound(f"no case {case_id}: see `scc case list`")
    return case


def case_playbook(session: Session, case: Case) -> Playbook:
    return pinned_playbook(session, case.playbook, case.playbook_version)


def _optional_person(session: Session, email: str | None) -> Person | None:
    return person_by_email(session, email) if email else None


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
    """Open a case at the playbook's first stage; a school has at most one open case."""
    if not reason.strip():
        raise InvalidInput("a case needs a reason: give --reason \"why the school is causing concern\"")
    school = school_by_urn(session, urn)
    book = playbook_named(playbook or default_playbook())
    calendar_name = calendar or default_calendar()
    calendar_named(calendar_name)  # refuse a missing or malformed calendar now, not at the first deadline
    existing = session.execute(select(Case.id).where(Case.school_id == school.id, case_is_open())).scalar()
    if existing:
        raise GuardFailed(f"{school.name} ({school.urn}) already has an open case {existing}: continue that case")
    pin_playbook(session, book)
    case = Case(
        school=school,
        playbook=book.name,
        playbook_version=book.version,
        jurisdiction=book.jurisdiction.value,
        calendar=calendar_name,
        stage=book.initial_stage,
        stage_since=on,
        lead=_optional_person(session, lead),
        ip=_optional_person(session, ip) or school.ip,
        opened_on=on,
        reason=reason.strip(),
    )
    session.add(case)
    session.flush()
    session.add(
        Concern(school_id=school.id, case_id=case.id, raised_on=on, source="case_opened", detail=case.reason, raised_by=actor.email)
    )
    audit.record(
        session, actor.email, "case_opened", case_id=case.id, effective_on=on,
        after={"stage": case.stage, "school": school.urn, "playbook": f"{book.name}@{book.version}", "reason": case.reason},
    )
    return case


def allowed_actions(session: Session, case: Case) -> list[ActionSpec]:
    return case_playbook(session, case).allowed(case.stage, SchoolType(case.school.type))


def _facts(session: Session, case: Case, on: date, guards: Sequence[Guard]) -> CaseFacts:
    """What the action's guards look at, and nothing more: one or two queries per action."""
    wanted = set(guards)
    facts: dict[str, Any] = {}
    if wanted & _NOTICE_GUARDS:
        notices = session.execute(
            select(WarningNotice.compliance_end, WarningNotice.outcome)
            .where(WarningNotice.case_id == case.id)
            .order_by(WarningNotice.id.desc())
        ).all()
        live = next((n for n in notices if n.outcome is None), None)
        failed = next((n for n in notices if n.outcome == "not_complied"), None)
        facts["live_notice_compliance_end"] = live.compliance_end if live else None
        facts["powers_window_end"] = (
            failed.compliance_end + relativedelta(months=POWERS_WINDOW_MONTHS) if failed else None
        )
    if Guard.HAS_INSPECTION_CATEGORY in wanted:
        inspection = session.execute(
            select(Classification.value)
            .where(Classification.school_id == case.school_id, Classification.scheme == Scheme.INSPECTION,
                   Classification.effective_on >= case.opened_on)
            .order_by(Classification.effective_on.desc(), Classification.id.desc())
            .limit(1)
        ).scalar()
        facts["has_inspection_category"] = inspection in STATUTORY_CATEGORIES
    if wanted & _PRIORITY_GUARDS:
        priorities = session.execute(select(Priority.number).where(Priority.case_id == case.id)).scalars().all()
        facts["priority_numbers"] = frozenset(priorities)
    if Guard.SUMMATIVE_MEETING_HELD in wanted:
        facts["summative_meeting_held"] = (
            session.execute(latest_held_meeting(case.id, MeetingKind.SUMMATIVE)).scalar() is not None
        )
    if Guard.IMPROVEMENT_SECURED in wanted:
        latest_review = session.execute(
            latest_held_meeting(case.id, MeetingKind.PROGRESS_REVIEW)
            .options(selectinload(Meeting.judgements).selectinload(RagJudgement.priority))
        ).scalar()
        facts["latest_review"] = (
            {j.priority.number: Rag(j.rating) for j in latest_review.judgements} if latest_review else None
        )
    return CaseFacts(case_id=case.id, school_type=SchoolType(case.school.type), on=on, **facts)


_NOTICE_GUARDS = {Guard.NO_LIVE_WARNING_NOTICE, Guard.LIVE_WARNING_NOTICE, Guard.COMPLIANCE_PERIOD_ENDED,
                  Guard.WITHIN_POWERS_WINDOW}
_PRIORITY_GUARDS = {Guard.HAS_PRIORITIES, Guard.RAG_COVERS_PRIORITIES, Guard.IMPROVEMENT_SECURED}


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


def apply_action(
    session: Session,
    case_id: int,
    action: str,
    raw_fields: Mapping[str, str],
    *,
    on: date,
    actor_email: str | None = None,
    calendar: TermCalendar | None = None,
) -> Applied:
    """Decide and write one action in the caller's transaction; raises before writing if refused."""
    case = get_case(session, case_id)
    book = case_playbook(session, case)
    actor = resolve_actor(session, actor_email, case)
    if on < case.opened_on:
        raise InvalidInput(f"case {case.id} was opened on {case.opened_on.isoformat()}: --on cannot be earlier")
    spec = book.actions.get(action)
    step = book.step(case.stage, action, raw_fields, _facts(session, case, on, spec.guards if spec else ()), actor.role)
    calendar = calendar or calendar_named(case.calendar)
    planned = plan_deadlines(step.action.deadlines, step.fields, on, calendar, SchoolType(case.school.type))
    # Close deadlines before adding rows, so the UPDATEs do not force an early flush.
    _meet_deadlines(session, case, step.action.completes, on)
    _cancel_deadlines(session, case, step.action.cancels, on)
    if step.to_stage != case.stage:
        case.stage, case.stage_since = step.to_stage, on
        if book.is_closed(step.to_stage):
            case.closed_on = on
    written = [_write_record(session, case, book, record, step, planned, on, actor) for record in step.action.records]
    if planned:
        session.execute(insert(Deadline), [
            {"case_id": case.id, "kind": d.kind, "counted_from": d.counted_from, "amount": d.amount, "unit": d.unit,
             "basis": d.basis.value, "due": d.due, "calendar": d.calendar, "calendar_version": d.calendar_version,
             "explanation": d.explanation, "status": DeadlineStatus.OPEN, "set_by_action": action}
            for d in planned
        ])
    recorded = audit.jsonable({k: v for k, v in step.fields.items() if v not in (None, {})})
    event = audit.record(
        session, actor.email, action, case_id=case.id, effective_on=on,
        before={"stage": step.from_stage},
        after={
            "stage": step.to_stage,
            "fields": recorded,
            "records": [w for w in written if w],
            "deadlines": [{"kind": d.kind, "due": d.due.isoformat(), "basis": d.basis.value} for d in planned],
            "completed": list(step.action.completes),
            "documents_due": list(step.action.documents),
            "cancelled": list(step.action.cancels),
        },
    )
    return Applied(case=case, step=step, deadlines=planned, documents=step.action.documents, event=event, actor=actor,
                   recorded_fields=recorded)


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
    applied = apply_action(session, case_id, action, raw_fields, on=on, actor_email=actor_email)
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
        documents=[DocumentMade(kind=d.kind, version=d.version, path=d.path) for d in made],
        documents_without_template=untemplated,
        event=applied.event,
        notified=notified,
    )


def _meet_deadlines(session: Session, case: Case, kinds: Sequence[str], on: date) -> None:
    """One action meets one duty: the earliest live deadline of each kind it completes.

    A term plans two TIG meetings and each half-term two visits; recording one meeting
    must leave the next one still due.
    """
    if not kinds:
        return
    live = session.execute(
        select(Deadline.id, Deadline.kind)
        .where(Deadline.case_id == case.id, Deadline.kind.in_(kinds), deadline_is_live())
        .order_by(Deadline.due, Deadline.id)
    ).all()
    earliest: dict[str, int] = {}
    for row in live:
        earliest.setdefault(row.kind, row.id)
    if earliest:
        session.execute(
            update(Deadline).where(Deadline.id.in_(earliest.values())).values(status=DeadlineStatus.MET, closed_on=on)
        )


def _cancel_deadlines(session: Session, case: Case, kinds: Sequence[str], on: date) -> None:
    """Every live deadline of the kinds an action makes moot, in one statement."""
    if kinds:
        session.execute(
            update(Deadline)
            .where(Deadline.case_id == case.id, Deadline.kind.in_(kinds), deadline_is_live())
            .values(status=DeadlineStatus.CANCELLED, closed_on=on)
        )


def _write_record(
    session: Session,
    case: Case,
    book: Playbook,
    record: RecordSpec,
    step: Step,
    planned: Sequence[PlannedDeadline],
    on: date,
    actor: Actor,
) -> str:
    """Write the domain record an action declares; returns a short label for the audit log."""
    fields, options = step.fields, record.options
    if record.type is RecordType.CONCERN:
        session.add(Concern(school_id=case.school_id, case_id=case.id, raised_on=on, source=fields["source"],
                            detail=fields["detail"], raised_by=actor.email))
        return "concern"
    if record.type is RecordType.CLASSIFICATION:
        scheme = options.get("scheme") or fields[options["scheme_field"]]
        value = str(fields[options["value_field"]])
        session.add(Classification(
            school_id=case.school_id, case_id=case.id, scheme=Scheme(scheme), value=value, effective_on=on,
            set_by=actor.email, evidence=fields.get("evidence") or fields.get("reasons"), dissent=fields.get("dissent"),
        ))
        return f"classification {scheme}={value}"
    if record.type is RecordType.PRIORITY:
        number = (session.execute(select(func.max(Priority.number)).where(Priority.case_id == case.id)).scalar() or 0) + 1
        session.add(Priority(case_id=case.id, number=number, title=fields["title"], success_criteria=fields["success_criteria"],
                             lead=fields.get("lead"), target_on=fields.get("target_on"), resources=fields.get("resources")))
        return f"priority {number}"
    if record.type is RecordType.MEETING:
        kind = MeetingKind(options["kind"])
        notes = "\n".join(str(fields[k]) for k in ("focus", "notes", "next_steps") if fields.get(k))
        meeting = Meeting(case_id=case.id, kind=kind, held_on=on, attendees=fields.get("attendees"), notes=notes or None,
                          recorded_by=actor.email)
        session.add(meeting)
        session.flush()
        if fields.get("rag"):
            numbers = {p.number: p.id for p in session.execute(select(Priority).where(Priority.case_id == case.id)).scalars()}
            reasons = fields.get("reason") or {}
            for number, rating in fields["rag"].items():
                session.add(RagJudgement(meeting_id=meeting.id, priority_id=numbers[number], rating=rating.value,
                                         reason=reasons.get(number)))
        return f"meeting {kind.value}"
    if record.type is RecordType.WARNING_NOTICE:
        return _write_notice(session, case, book, step, planned, on)
    if record.type is RecordType.NOTICE_OUTCOME:
        notice = session.execute(
            select(WarningNotice).where(WarningNotice.case_id == case.id, WarningNotice.outcome.is_(None))
            .order_by(WarningNotice.id.desc())
        ).scalars().first()
        assert notice is not None  # the playbook's live_warning_notice guard has checked
        notice.outcome, notice.outcome_on = options["outcome"], on
        return f"notice {notice.id} {options['outcome']}"
    if record.type is RecordType.STATEMENT_OF_ACTION:
        session.add(StatementOfAction(case_id=case.id, submitted_on=on, target_removal_on=fields["target_removal_on"],
                                      summary=fields["summary"]))
        return "statement of action"
    raise AssertionError(record.type)  # pragma: no cover - RecordType is closed


def _write_notice(session: Session, case: Case, book: Playbook, step: Step, planned: Sequence[PlannedDeadline], on: date) -> str:
    """The notice, its regime on the day it is given, and its copies, sent at the same time."""
    if book.notice is None:
        raise GuardFailed(f"playbook {book.name} has no [notice] section: it cannot record warning notices")
    fields = step.fields
    section = fields.get("section") or book.notice.sections[0]
    book.notice.check_grounds(section, fields["grounds"])
    counted_by = next(s.kind for s in step.action.deadlines if s.amount_field == "compliance_days")
    compliance = next(d for d in planned if d.kind == counted_by)
    regime = book.notice.regime_on(on)
    notice_id = session.execute(
        insert(WarningNotice).values(
            case_id=case.id, act=book.notice.act, section=section,
            regime=regime.label, grounds=list(fields["grounds"]), reasons=fields["reasons"],
            required_action=fields["required_action"], given_on=on, compliance_days=fields["compliance_days"],
            compliance_end=compliance.due, minded_to=fields["minded_to"],
        ).returning(WarningNotice.id)
    ).scalar_one()
    school = case.school
    copies = []
    for role in book.notice.copy_roles(SchoolType(school.type), bool(school.religious_character)):
        name, email = _copy_recipient(school, role)
        copies.append({"notice_id": notice_id, "role": role, "name": name, "email": email, "sent_on": on})
    session.execute(insert(NoticeCopy), copies)
    return f"warning notice {notice_id}"


def _copy_recipient(school: School, role: str) -> tuple[str, str | None]:
    if role == "head":
        return (school.head.name, school.head.email) if school.head else ("The Head Teacher", None)
    if role == "foundation_appointer":
        body = school.foundation_appointer or school.diocese
        return (body or "The appointer of the foundation governors", None)
    if role == "diocese":
        return (school.diocese or f"The appropriate diocesan authority ({school.religious_character})", None)
    outside = authority().recipient(role)
    return outside["name"], outside.get("email")
