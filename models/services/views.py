"""The read layer: what the product shows about cases, deadlines, documents and people.

Every front end reads through these functions and gets the shapes of ``models.schemas``,
so the CLI's ``--json``, the flows' results and the API agree field for field. Reads
never write; each takes the caller's session.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.db.audit import AuditEvent
from models.db.cases import Case, Deadline, Document
from models.db.installation import data_root, file_at
from models.db.messages import Alert, Notification
from models.db.queries import deadline_is_live
from models.db.schools import Person, School
from models.errors import InvalidInput
from models.schemas import (
    ActionChoice,
    AlertView,
    CaseRow,
    CaseSummary,
    DeadlineView,
    DocumentView,
    EventView,
    FieldChoice,
    NotificationView,
    PersonView,
    SchoolRef,
    SchoolView,
)
from models.services.cases import allowed_actions, case_facts, case_playbook, get_case
from models.settings.environment import today
from models.vocab import NotificationStatus

__all__ = [
    "allowed_action_choices",
    "case_rows",
    "case_summary",
    "case_documents",
    "deadline_rows",
    "deadline_view",
    "document_view",
    "notification_rows",
    "people",
    "school_view",
    "schools",
]


def deadline_view(deadline: Deadline, school: str | None = None) -> DeadlineView:
    return DeadlineView(
        id=deadline.id, case_id=deadline.case_id, kind=deadline.kind, due=deadline.due, basis=deadline.basis,
        counted_from=deadline.counted_from, amount=deadline.amount, unit=deadline.unit, calendar=deadline.calendar,
        calendar_version=deadline.calendar_version, explanation=deadline.explanation, status=deadline.status,
        school=school, closed_on=deadline.closed_on, closed_reason=deadline.closed_reason,
    )


def case_summary(session: Session, case_id: int) -> CaseSummary:
    """A case with its playbook position, every event, every deadline and every alert."""
    case = get_case(session, case_id)
    book = case_playbook(session, case)
    events = session.execute(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)).scalars()
    deadlines = session.execute(select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.due, Deadline.id))
    alerts = session.execute(select(Alert).where(Alert.case_id == case.id).order_by(Alert.raised_on, Alert.id)).scalars()
    return CaseSummary(
        id=case.id, stage=case.stage, stage_title=book.stages.get(case.stage, case.stage), stage_since=case.stage_since,
        school=SchoolRef(urn=case.school.urn, name=case.school.name, type=case.school.type),
        playbook=book.name, playbook_version=book.version, jurisdiction=case.jurisdiction, calendar=case.calendar,
        lead=case.lead.email if case.lead else None, ip=case.ip.email if case.ip else None,
        opened_on=case.opened_on, closed_on=case.closed_on, reason=case.reason,
        events=[EventView(seq=e.seq, on=e.effective_on, at=e.at, actor=e.actor, action=e.action, before=e.before,
                          after=e.after) for e in events],
        deadlines=[deadline_view(d) for d in deadlines.scalars()],
        alerts=[AlertView(kind=a.kind, raised_on=a.raised_on, to=a.to_role, detail=a.detail, resolved_on=a.resolved_on)
                for a in alerts],
    )


def case_rows(session: Session, stage: str | None = None) -> list[CaseRow]:
    """Every case, newest first; only those at ``stage`` when given."""
    query = select(Case).options(selectinload(Case.school), selectinload(Case.lead)).order_by(Case.id.desc())
    if stage:
        query = query.where(Case.stage == stage)
    return [
        CaseRow(id=c.id, stage=c.stage, stage_since=c.stage_since, school=c.school.name, urn=c.school.urn,
                playbook=f"{c.playbook}@{c.playbook_version}", lead=c.lead.email if c.lead else None,
                opened_on=c.opened_on, closed_on=c.closed_on)
        for c in session.execute(query).scalars()
    ]


def allowed_action_choices(session: Session, case_id: int, on: date | None = None) -> tuple[Case, list[ActionChoice]]:
    """The actions open from the case's stage, with the fields each needs; an action whose
    guards fail now carries the reason in ``blocked``."""
    case = get_case(session, case_id)
    book = case_playbook(session, case)
    specs = allowed_actions(session, case)
    facts = case_facts(session, case, on or today(), specs)
    choices = [
        ActionChoice(
            action=a.name, title=a.title, to_stage=a.to_stage, roles=sorted(a.roles),
            fields=[FieldChoice(name=f.name, type=str(f.type), required=f.required, options=list(f.options),
                                default=f.default, help=f.help) for f in a.fields],
            guards=[str(g) for g in a.guards], documents=list(a.documents), blocked=book.blocked(a, facts),
        )
        for a in specs
    ]
    return case, choices


def deadline_rows(session: Session, until: date | None = None, include_closed: bool = False) -> list[DeadlineView]:
    """Deadlines of every case, soonest first: live ones unless ``include_closed``."""
    query = select(Deadline).options(selectinload(Deadline.case).selectinload(Case.school)).order_by(Deadline.due, Deadline.id)
    if until:
        query = query.where(Deadline.due <= until)
    if not include_closed:
        query = query.where(deadline_is_live())
    return [deadline_view(d, school=d.case.school.name) for d in session.execute(query).scalars()]


def document_view(document: Document, root: Path) -> DocumentView:
    """A document as users see it: its file's full path under the data root ``root``."""
    return DocumentView(kind=document.kind, version=document.version, path=str(file_at(root, document.path)), sha256=document.sha256,
                        recipients=document.recipients, generated_at=document.generated_at)


def case_documents(session: Session, case_id: int) -> list[DocumentView]:
    """Every document generated for the case, every version."""
    get_case(session, case_id)
    root = data_root(session)
    return [document_view(d, root) for d in session.execute(
        select(Document).where(Document.case_id == case_id).order_by(Document.kind, Document.version)).scalars()]


def people(session: Session) -> list[PersonView]:
    return [PersonView(name=p.name, email=p.email, role=p.role, organisation=p.organisation)
            for p in session.execute(select(Person).order_by(Person.name)).scalars()]


def school_view(school: School) -> SchoolView:
    return SchoolView(
        urn=school.urn, name=school.name, type=school.type, phase=school.phase, la=school.la, diocese=school.diocese,
        religious_character=school.religious_character, head=school.head.email if school.head else None,
        chair=school.chair.email if school.chair else None, clerk=school.clerk.email if school.clerk else None,
        ip=school.ip.email if school.ip else None, head_name=school.head_teacher,
        address=school.address,
    )


def schools(session: Session) -> list[SchoolView]:
    query = select(School).order_by(School.name).options(
        selectinload(School.head), selectinload(School.chair), selectinload(School.clerk), selectinload(School.ip))
    return [school_view(s) for s in session.execute(query).scalars()]


_STATUSES = tuple(NotificationStatus)


def notification_rows(session: Session, status: str | None = None) -> list[NotificationView]:
    """The outbox: every notification, or those of one status."""
    query = select(Notification).order_by(Notification.id)
    if status:
        if status not in _STATUSES:
            raise InvalidInput(f"the status must be queued, sending, sent or failed, not '{status}'")
        query = query.where(Notification.status == status)
    return [
        NotificationView(id=n.id, key=n.key, kind=n.kind, case_id=n.case_id, deadline_id=n.deadline_id,
                         to=n.recipient_email, name=n.recipient_name, subject=n.subject, status=n.status,
                         attempts=n.attempts, not_before=n.not_before, sent_at=n.sent_at, last_error=n.last_error)
        for n in session.execute(query).scalars()
    ]
