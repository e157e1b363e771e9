"""The read layer: what the product shows about cases, deadlines, documents and people.

Every front end reads through these functions and gets the shapes of ``models.schemas``,
so the CLI's ``--json``, the flows' results and the API agree field for field. Reads
never write; each takes the caller's session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager, selectinload

from models.db.audit import AuditEvent
from models.db.authorities import Authority, PersonRole
from models.db.cases import Case, Classification, Deadline, Document, Meeting, Priority, RagJudgement
from models.db.messages import Alert, Notification
from models.db.playbooks import pinned_playbook
from models.db.queries import case_has_duties, deadline_is_live, meeting_is_live
from models.db.schools import Person, School
from models.db.storage import FileStore, file_store
from models.errors import CaseworkError, InvalidInput, NotFound, NotPermitted
from models.messages import N_
from models.rules.cadence import MEETING_KINDS
from models.rules.playbook import ActionSpec, Playbook
from models.rules.roles import IP_PLACE, LEAD_PLACE, roles_in_words
from models.rules.words import words
from models.schemas import (
    ActionChoice,
    AlertView,
    CaseAlertView,
    CaseRow,
    CaseSummary,
    ClassificationView,
    DeadlineView,
    DeliveryView,
    DocumentView,
    EventView,
    EvidenceView,
    FieldChoice,
    FreeText,
    LetterView,
    MeetingView,
    MyWork,
    NoteView,
    NotificationView,
    PersonView,
    PriorityView,
    RecordedAction,
    SchoolRef,
    SchoolView,
)
from models.services import amendments, letters
from models.services.case_file import notes_and_evidence
from models.services.cases import allowed_actions, case_facts, case_playbook, get_case
from models.services.letter_context import made_by_action
from models.settings.environment import today
from models.settings.files import reminder_rules
from models.vocab import DeadlineStatus, DocumentStatus, NotificationStatus, Role, SchoolType

__all__ = [
    "allowed_action_choices",
    "CaseFilters", "CaseQuery", "case_filters",
    "school_classifications",
    "count_cases", "find_cases",
    "my_work",
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


def deadline_view(deadline: Deadline, school: str | None = None, book: Playbook | None = None,
                  authority: str | None = None, case_calendar: str | None = None) -> DeadlineView:
    """A deadline as pages show it; given the case's playbook, a live one names the action open
    now that meets it (a page links straight to its form). ``deadline.case`` is then read."""
    met_by = None
    if book is not None and deadline.status in DeadlineStatus.LIVE:
        met_by = book.meets(deadline.case.stage, SchoolType(deadline.case.school.type), deadline.kind)
    return DeadlineView(
        id=deadline.id, case_id=deadline.case_id, kind=deadline.kind, due=deadline.due, basis=deadline.basis,
        counted_from=deadline.counted_from, amount=deadline.amount, unit=deadline.unit, calendar=deadline.calendar,
        calendar_version=deadline.calendar_version, explanation=deadline.explanation, status=deadline.status,
        explanation_cy=deadline.explanation_cy, case_calendar=case_calendar, school=school, closed_on=deadline.closed_on,
        closed_reason=deadline.closed_reason, met_by=met_by, authority=authority,
    )


def case_summary(session: Session, case_id: int, visible: ColumnElement[bool] | None = None) -> CaseSummary:
    """A case with its playbook position, every event, every deadline and every alert."""
    case = get_case(session, case_id)
    book = case_playbook(session, case)
    events = session.execute(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)).scalars()
    deadlines = session.execute(select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.due, Deadline.id))
    alerts = session.execute(select(Alert).where(Alert.case_id == case.id).order_by(Alert.raised_on, Alert.id)).scalars()
    priorities = _priorities(session, case.id)
    notes, kept = notes_and_evidence(session, case.id)
    return CaseSummary(
        id=case.id, stage=case.stage, stage_title=book.stages.get(case.stage, case.stage), stage_since=case.stage_since,
        school=SchoolRef(urn=case.school.urn, name=case.school.name, type=case.school.type),
        playbook=book.name, playbook_version=book.version, jurisdiction=case.jurisdiction, calendar=case.calendar,
        lead=case.lead.email if case.lead else None, ip=case.ip.email if case.ip else None,
        lead_name=case.lead.name if case.lead else None, ip_name=case.ip.name if case.ip else None,
        opened_on=case.opened_on, closed_on=case.closed_on, reason=case.reason,
        watch_until=case.watch_until, reopened_from=case.reopened_from,
        reopened_as=session.execute(select(Case.id).where(Case.reopened_from == case.id)).scalar(),
        events=[EventView(seq=e.seq, on=e.effective_on, at=e.at, actor=e.actor, action=e.action, before=e.before,
                          after=e.after) for e in events],
        deadlines=[deadline_view(d, book=book, case_calendar=case.calendar) for d in deadlines.scalars()],
        alerts=[AlertView(kind=a.kind, raised_on=a.raised_on, to=a.to_role, detail=a.detail, resolved_on=a.resolved_on,
                            detail_cy=a.detail_cy)
                for a in alerts],
        classifications=school_classifications(session, case.school_id, visible),
        priorities=[p for p in priorities if p.withdrawn_on is None],
        withdrawn_priorities=[p for p in priorities if p.withdrawn_on is not None],
        meetings=[MeetingView(id=m.id, kind=m.kind, held_on=m.held_on, attendees=m.attendees, recorded_by=m.recorded_by,
                              withdrawn_on=m.withdrawn_on, withdrawn_reason=m.withdrawn_reason)
                  for m in session.execute(select(Meeting).where(Meeting.case_id == case.id, Meeting.held_on.is_not(None))
                                           .order_by(Meeting.held_on.desc(), Meeting.id.desc())).scalars()],
        notes=[NoteView(id=n.id, written_on=n.written_on, author=n.author, text=n.text) for n in notes],
        evidence=[EvidenceView(id=e.id, name=e.name, kind=e.kind, size=e.size, sha256=e.sha256, description=e.description,
                               uploaded_by=e.uploaded_by, uploaded_at=e.uploaded_at, scanned=e.scanned) for e in kept],
    )


def _priorities(session: Session, case_id: int) -> list[PriorityView]:
    """The case's priorities, each with the RAG of the latest review that judged it."""
    latest: dict[int, str] = {}
    judged = (select(RagJudgement.priority_id, RagJudgement.rating).join(Meeting, RagJudgement.meeting_id == Meeting.id)
              .where(Meeting.case_id == case_id, meeting_is_live()).order_by(Meeting.held_on, Meeting.id))
    for priority_id, rating in session.execute(judged).all():
        latest[priority_id] = rating
    return [PriorityView(number=p.number, title=p.title, success_criteria=p.success_criteria, lead=p.lead,
                         target_on=p.target_on, latest_rag=latest.get(p.id), resources=p.resources,
                         withdrawn_on=p.withdrawn_on, withdrawn_reason=p.withdrawn_reason)
            for p in session.execute(select(Priority).where(Priority.case_id == case_id).order_by(Priority.number)).scalars()]


MY_WORK_SHOWN = 25  # of each list on My work; the rest are a link away


@dataclass(frozen=True)
class CaseQuery:
    """What the case list is narrowed to and how it is ordered (every part optional)."""

    stage: str | None = None
    school_type: str | None = None
    lead: str | None = None  # email
    ip: str | None = None  # email
    overdue: bool = False  # only cases with a live deadline past due
    search: str | None = None  # part of the school's name, or its URN
    urn: str | None = None  # one school's cases
    sort: str = "newest"  # newest, school, stage, overdue


def _case_statement(query: CaseQuery, visible: ColumnElement[bool], on: date) -> Select[Any]:
    """The cases a viewer may see (``visible``) that match the query, in its order, each
    with its count of overdue deadlines as of ``on`` and its lead's and IP's emails."""
    if query.sort not in _SORTS:
        raise InvalidInput(N_("sort by newest, school, stage, since or overdue, not '%(value)s'"), value=query.sort)
    overdue = (select(func.count(Deadline.id))
               .where(Deadline.case_id == Case.id, deadline_is_live(), Deadline.due < on)
               .correlate(Case).scalar_subquery())
    lead, ip = aliased(Person), aliased(Person)
    statement = (select(Case, overdue.label("overdue"), lead.email.label("lead_email"), ip.email.label("ip_email"),
                        lead.name.label("lead_name"), ip.name.label("ip_name"))
                 .join(Case.school).outerjoin(lead, Case.lead_id == lead.id).outerjoin(ip, Case.ip_id == ip.id)
                 .options(contains_eager(Case.school)).where(visible))
    if query.stage:
        statement = statement.where(Case.stage == query.stage)
    if query.school_type:
        statement = statement.where(School.type == query.school_type)
    if query.urn:
        statement = statement.where(School.urn == query.urn)
    if query.lead:
        statement = statement.where(lead.email == query.lead.strip().lower())
    if query.ip:
        statement = statement.where(ip.email == query.ip.strip().lower())
    if query.overdue:
        statement = statement.where(overdue > 0)
    if query.search:
        text = query.search.strip()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(or_(School.name.ilike(f"%{escaped}%", escape="\\"), School.urn == text))
    return statement.order_by(*_SORTS[query.sort](overdue))


def find_cases(session: Session, query: CaseQuery, visible: ColumnElement[bool], on: date,
               limit: int | None = None, offset: int = 0) -> list[CaseRow]:
    """The matching cases (``_case_statement``), all of them or ``limit`` from ``offset``;
    one query whatever the number of cases."""
    statement = _case_statement(query, visible, on).offset(offset).limit(limit)
    books: dict[tuple[str, str], Playbook] = {}
    rows = []
    for case, late, lead_email, ip_email, lead_name, ip_name in session.execute(statement).all():
        key = (case.playbook, case.playbook_version)
        book = books.setdefault(key, pinned_playbook(session, *key))
        rows.append(CaseRow(id=case.id, stage=case.stage, stage_title=book.stages.get(case.stage, case.stage),
                            stage_since=case.stage_since, school=case.school.name, urn=case.school.urn,
                            school_type=case.school.type, playbook=f"{case.playbook}@{case.playbook_version}",
                            lead=lead_email, ip=ip_email, opened_on=case.opened_on, closed_on=case.closed_on, overdue=late,
                            authority=case.school.authority.name,
                            watch_until=case.watch_until, reopened_from=case.reopened_from, lead_name=lead_name,
                            ip_name=ip_name))
    return rows


@dataclass(frozen=True)
class CaseFilters:
    """What the case list's filters offer, each as (value, what a person reads): the stages and
    school types of the cases this person may see, and the staff who may lead or partner one."""

    stages: list[tuple[str, str]]
    school_types: list[tuple[str, str]]
    leads: list[tuple[str, str]]
    ips: list[tuple[str, str]]


def case_filters(session: Session, visible: ColumnElement[bool], glossary: Mapping[str, str]) -> CaseFilters:
    """The choices of the case list's filters, read from the data (two small queries)."""
    stages: dict[str, str] = {}
    for name, version, stage in session.execute(
            select(Case.playbook, Case.playbook_version, Case.stage).join(Case.school).where(visible).distinct()).all():
        stages.setdefault(stage, pinned_playbook(session, name, version).stages.get(stage, stage))
    types = session.execute(select(School.type).join(Case, Case.school_id == School.id).where(visible).distinct()).scalars()
    people = session.execute(select(Person.email, Person.name, Person.role)
                             .where(Person.role.in_([r.value for r in LEAD_PLACE | IP_PLACE])).order_by(Person.name)).all()
    return CaseFilters(
        stages=sorted(stages.items(), key=lambda item: item[1]),
        school_types=sorted(((t, words(t, glossary)) for t in types), key=lambda item: item[1]),
        leads=[(email, name) for email, name, role in people if Role(role) in LEAD_PLACE],
        ips=[(email, name) for email, name, role in people if Role(role) in IP_PLACE],
    )


def count_cases(session: Session, query: CaseQuery, visible: ColumnElement[bool], on: date) -> int:
    """How many cases ``find_cases`` would list in all."""
    matching = _case_statement(query, visible, on).order_by(None).subquery()
    return int(session.execute(select(func.count()).select_from(matching)).scalar_one())


_SORTS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "newest": lambda overdue: (Case.id.desc(),),
    "school": lambda overdue: (School.name, Case.id),
    "stage": lambda overdue: (Case.stage, Case.id),
    "since": lambda overdue: (Case.stage_since, Case.id),
    "overdue": lambda overdue: (overdue.desc(), Case.id),
}


def my_work(session: Session, person_id: int, visible: ColumnElement[bool], on: date, shown: int = MY_WORK_SHOWN) -> MyWork:
    """What the person's open cases (as lead or IP) need: overdue deadlines, those due in
    the next 14 days, open alerts, and the meetings and visits of the next six weeks; the
    first ``shown`` of each, soonest first, with how many there are in all. An IP's lists hold
    the duties the reminders give an IP (a review, a visit, a report), not the authority's."""
    # The person's cases first (a few hundred at most), so each list below reads their cases'
    # deadlines by the case's index, not every live deadline of the installation through a
    # subquery (a senior officer with no case of their own reads none).
    cases = session.execute(select(Case.id, Case.lead_id == person_id).where(
        or_(Case.lead_id == person_id, Case.ip_id == person_id), case_has_duties(), visible)).all()
    mine = [case_id for case_id, _ in cases]
    led = [case_id for case_id, leads in cases if leads]
    partnered = [case_id for case_id, leads in cases if not leads]
    # A case's lead answers for all its deadlines; its IP for the duties the reminders give an IP.
    ip_duties = [kind for kind, rule in reminder_rules().kinds.items() if Role.IP in rule.to]
    theirs = or_(Deadline.case_id.in_(led), and_(Deadline.case_id.in_(partnered), Deadline.kind.in_(ip_duties)))
    live = [theirs, deadline_is_live()]
    lists = {
        "overdue": Deadline.due < on,
        "due_soon": and_(Deadline.due >= on, Deadline.due <= on + timedelta(days=14)),
        "meetings": and_(Deadline.kind.in_(MEETING_KINDS), Deadline.due >= on, Deadline.due <= on + timedelta(days=42)),
    }
    # How many there are in each list, in one pass over the person's live deadlines.
    totals = session.execute(select(*(func.count(Deadline.id).filter(where) for where in lists.values())).where(*live)).one()

    def first(where: ColumnElement[bool]) -> list[DeadlineView]:
        soonest = (select(Deadline).join(Deadline.case).join(Case.school)
                   .options(contains_eager(Deadline.case).contains_eager(Case.school))
                   .where(*live, where).order_by(Deadline.due, Deadline.id).limit(shown))
        return [deadline_view(d, school=d.case.school.name, book=pinned_playbook(session, d.case.playbook, d.case.playbook_version),
                              authority=d.case.school.authority.name, case_calendar=d.case.calendar)
                for d in session.execute(soonest).scalars()]

    open_alerts = [Alert.case_id.in_(mine), Alert.resolved_on.is_(None)]
    alerts = session.execute(
        select(Alert, School.name, Authority.name).join(Case, Alert.case_id == Case.id).join(Case.school)
        .join(Authority, Authority.id == School.authority_id)
        .where(*open_alerts).order_by(Alert.raised_on, Alert.id).limit(shown)
    ).all()
    overdue_total, due_soon_total, meetings_total = (int(n) for n in totals)
    return MyWork(
        overdue=first(lists["overdue"]), overdue_total=overdue_total,
        due_soon=first(lists["due_soon"]), due_soon_total=due_soon_total,
        alerts=[CaseAlertView(case_id=a.case_id, school=name, kind=a.kind, detail=a.detail, raised_on=a.raised_on, authority=whose,
                                detail_cy=a.detail_cy)
                for a, name, whose in alerts],
        alerts_total=int(session.execute(select(func.count(Alert.id)).where(*open_alerts)).scalar_one()),
        meetings=first(lists["meetings"]), meetings_total=meetings_total,
    )


def _choice(a: ActionSpec, blocked: CaseworkError | None) -> ActionChoice:
    return ActionChoice(
        action=a.name, title=a.title, to_stage=a.to_stage, roles=sorted(a.roles),
        fields=[FieldChoice(name=f.name, type=str(f.type), required=f.required, options=list(f.options),
                            default=f.default, help=f.help, label=f.label, hint=f.hint,
                            option_labels=dict(f.option_labels)) for f in a.fields],
        guards=[str(g) for g in a.guards], documents=list(a.documents), blocked=str(blocked) if blocked else None,
        blocked_refusal=blocked,
    )


def _taken_by_others(action: ActionSpec, role: Role | None) -> NotPermitted | None:
    """The refusal the person asking (their ``role``) meets for an action the playbook gives to other roles."""
    if role is None or role in action.roles:
        return None
    return NotPermitted(N_("taken by %(roles)s"), roles=roles_in_words(action.roles))


def allowed_action_choices(session: Session, case_id: int, on: date | None = None,
                           role: Role | None = None) -> tuple[Case, list[ActionChoice]]:
    """The actions open from the case's stage, with the fields each needs; an action whose
    guards fail now, or (given the ``role`` of the person asking) that the playbook gives
    to other roles, carries the reason in ``blocked``."""
    case = get_case(session, case_id)
    book = case_playbook(session, case)
    specs = allowed_actions(session, case)
    facts = case_facts(session, case, on or today(), specs)
    choices = [
        _choice(a, _taken_by_others(a, role) or book.blocked(a, facts))
        for a in specs
    ]
    return case, choices


def action_fields(session: Session, case: Case, action: str) -> ActionChoice:
    """One action open from the case's stage with the fields it takes, nothing decided: what
    a submitted form is read with before the action itself is decided (once, in its flow)."""
    spec = next((a for a in allowed_actions(session, case) if a.name == action), None)
    if spec is None:
        raise NotFound(N_("'%(action)s' is not open from the case's stage (%(stage)s): go back to the case to see what is"), action=action,
                       stage=case.stage)
    return _choice(spec, None)


def deadline_rows(session: Session, until: date | None = None, include_closed: bool = False,
                  where: ColumnElement[bool] | None = None) -> list[DeadlineView]:
    """Deadlines of every case (or of the cases ``where`` selects), soonest first: live
    ones unless ``include_closed``."""
    query = (select(Deadline, School.name, Case.calendar).join(Case, Deadline.case_id == Case.id).join(School, Case.school_id == School.id)
             .order_by(Deadline.due, Deadline.id))
    if where is not None:
        query = query.where(where)
    if until:
        query = query.where(Deadline.due <= until)
    if not include_closed:
        query = query.where(deadline_is_live())
    return [deadline_view(d, school=name, case_calendar=calendar) for d, name, calendar in session.execute(query).tuples()]


def document_view(document: Document, files: FileStore) -> DocumentView:
    """A document as users see it: where its file is kept (a path, or an object's address)."""
    return DocumentView(id=document.id, kind=document.kind, version=document.version, path=files.where(document.path),
                        sha256=document.sha256, recipients=document.recipients, generated_at=document.generated_at,
                        corrected_by=document.corrected_by, status=document.status, issued_on=document.issued_on,
                        reference=document.reference)


def recorded_action(session: Session, case: Case, seq: int) -> RecordedAction:
    """An action of the case as it stands (amended or not), for its correction form."""
    found = amendments.action_as_now(session, case, seq)
    return RecordedAction(seq=seq, choice=_choice(found.spec, None), on=found.on,
                          values=amendments.recorded_fields(found.spec, found.fields))


def letter_view(session: Session, case: Case, document: Document) -> LetterView:
    """A letter with its text as HTML, its free text, and how each copy went."""
    files = file_store(session)
    spec, fields = made_by_action(session, case, document.kind)
    free = letters.free_text(document, spec, fields) if document.status == DocumentStatus.DRAFT else []
    statuses = dict(session.execute(select(Notification.id, Notification.status).where(
        Notification.document_id == document.id)).tuples().all())
    return LetterView(
        document=document_view(document, files), case_id=case.id, school=case.school.name,
        title=document.kind.replace("_", " ").capitalize(),
        html=letters.preview(files.get(document.path)),
        free_text=[FreeText(name=f.name, label=f.name.replace("_", " ").capitalize(), help=f.help, required=f.required,
                            text=text) for f, text in free],
        uploaded_by=document.uploaded_by, issued_by=document.issued_by,
        made_on=fields.get("on") if spec is not None else None,
        deliveries=[DeliveryView(role=d.role, name=d.name, method=d.method, sent_on=d.sent_on, email=d.email,
                                 email_status=statuses.get(d.notification_id) if d.notification_id else None)
                    for d in document.deliveries])


def case_documents(session: Session, case_id: int) -> list[DocumentView]:
    """Every document generated for the case, every version."""
    get_case(session, case_id)
    files = file_store(session)
    rows = session.execute(select(Document, Meeting.held_on).outerjoin(Meeting, Document.meeting_id == Meeting.id)
                           .where(Document.case_id == case_id).order_by(Document.kind, Document.version)).all()
    made: dict[tuple[str, int], int] = {}  # how many of one kind the meeting has had so far
    shown = []
    for document, held_on in rows:
        view = document_view(document, files)
        if document.meeting_id is not None:
            key = (document.kind, document.meeting_id)
            made[key] = made.get(key, 0) + 1
            view = view.model_copy(update={"meeting_on": held_on, "meeting_version": made[key]})
        shown.append(view)
    return shown


def people(session: Session, authorities: ColumnElement[bool]) -> list[PersonView]:
    """Everyone on record in the authorities ``authorities`` selects (a condition on ``Authority``),
    each once, with the role as recorded."""
    held: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, name, role in session.execute(
            select(PersonRole.person_id, Authority.name, PersonRole.role).join(Authority, Authority.id == PersonRole.authority_id)
            .where(authorities).order_by(Authority.name)):
        held[person_id].append((name, role))
    return [PersonView(name=p.name, email=p.email, role=p.role, organisation=p.organisation, authorities=held[p.id],
                       language=p.language)
            for p in session.execute(select(Person).where(Person.id.in_(list(held))).order_by(Person.name)).scalars()]


SCHOOL_PLACES = ("head", "chair", "clerk", "ip")  # the people a school's letters and reminders go to


def school_view(school: School) -> SchoolView:
    return SchoolView(
        urn=school.urn, name=school.name, type=school.type, phase=school.phase, la=school.la, diocese=school.diocese,
        religious_character=school.religious_character, head=school.head.email if school.head else None,
        chair=school.chair.email if school.chair else None, clerk=school.clerk.email if school.clerk else None,
        ip=school.ip.email if school.ip else None, head_name=school.head_teacher,
        address=school.address, trust=school.trust, trust_address=school.trust_address,
        diocesan_authority=school.diocesan_body, foundation_appointer=school.foundation_appointer, calendar=school.calendar,
        language=school.language,
        names={place: person.name for place in SCHOOL_PLACES if (person := getattr(school, place)) is not None},
    )


def school_classifications(session: Session, school_id: int, visible: ColumnElement[bool] | None) -> list[ClassificationView]:
    """Every classification of the school, oldest first: inspection status, LA category,
    support level, each with who set it and when — those recorded on a case only where the
    case is one ``visible`` selects (its evidence and dissent are the case's)."""
    query = select(Classification).where(Classification.school_id == school_id)
    if visible is not None:
        query = query.where(or_(Classification.case_id.is_(None), Classification.case_id.in_(select(Case.id).where(visible))))
    return [ClassificationView(scheme=c.scheme, value=c.value, effective_on=c.effective_on, set_by=c.set_by,
                               evidence=c.evidence, dissent=c.dissent, id=c.id, case_id=c.case_id, withdrawn_on=c.withdrawn_on,
                               withdrawn_reason=c.withdrawn_reason)
            for c in session.execute(query.order_by(Classification.effective_on, Classification.id)).scalars()]


def schools(session: Session, visible: ColumnElement[bool]) -> list[SchoolView]:
    """The schools ``visible`` selects (a condition on ``School``), by name."""
    query = select(School).where(visible).order_by(School.name).options(
        selectinload(School.head), selectinload(School.chair), selectinload(School.clerk), selectinload(School.ip))
    return [school_view(s) for s in session.execute(query).scalars()]


_STATUSES = tuple(NotificationStatus)


def notification_rows(session: Session, visible: ColumnElement[bool], status: str | None = None) -> list[NotificationView]:
    """The outbox: the notifications ``visible`` selects, or those of one status."""
    query = select(Notification).where(visible).order_by(Notification.id)
    if status:
        if status not in _STATUSES:
            raise InvalidInput(N_("the status must be queued, sending, sent or failed, not '%(value)s'"), value=status)
        query = query.where(Notification.status == status)
    return [
        NotificationView(id=n.id, key=n.key, kind=n.kind, case_id=n.case_id, deadline_id=n.deadline_id,
                         to=n.recipient_email, name=n.recipient_name, subject=n.subject, status=n.status,
                         attempts=n.attempts, not_before=n.not_before, sent_at=n.sent_at, last_error=n.last_error)
        for n in session.execute(query).scalars()
    ]
