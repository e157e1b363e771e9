"""What a person may see: every read of the pages, the API and the command line.

Each use case takes the person acting (``access.Viewer``), opens its own unit of work, and
shows only the cases that person may see (``access.case_visible_to``), as the case page
does: a case an IP does not partner is not found anywhere, its school's page included.
The results are ``models.schemas`` shapes the entry points format.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, and_, or_, select, true

from models.db.audit import newest_seq, record
from models.db.audit import verify as verify_chain
from models.db.authorities import Authority
from models.db.cases import Case, Document
from models.db.messages import Notification
from models.db.queries import by_id
from models.db.session import transaction
from models.db.storage import file_store
from models.errors import AuditBroken, DocumentAltered, DocumentError, NotFound
from models.messages import N_
from models.rules.calendar import Term
from models.rules.paging import missing_page, page_count
from models.schemas import (
    ActionChoice,
    AuthorityView,
    CaseRow,
    CaseSummary,
    ClassificationView,
    Dashboard,
    DeadlineView,
    DocumentView,
    LetterView,
    MyWork,
    NotificationView,
    PersonView,
    RecordedAction,
    SchoolView,
)
from models.services import case_file, letters, views
from models.services.access import (
    Task,
    Viewer,
    authority_visible_to,
    case_scope,
    case_visible_to,
    require,
    school_visible_to,
    visible_case,
    visible_school,
)
from models.services.audit_replay import unaudited_changes
from models.services.calendar_feed import calendar_feed
from models.services.concerns import Suggestion
from models.services.concerns import suggested_cases as flagged
from models.services.dashboard import dashboard as figures
from models.services.documents import verify_stored
from models.services.exports import Table, case_table, deadline_table, exported
from models.services.playbook_versions import CaseMigration, migrate_open_cases
from models.services.recount import DeadlineMove, deadline_moves
from models.services.system import SystemCheck, email_failing, system_checks
from models.services.termly_report import term_label, termly_table
from models.services.views import CaseQuery
from models.settings.environment import config_file, database_url, file_text, today
from models.settings.files import calendar_named, default_calendar, glossary, names_in, playbook_named

# How a stored document is served: a Word file.
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = [
    "evidence_file", "export_cases", "export_deadlines", "export_termly", "termly_picture",
    "DOCX", "CaseQuery", "action_fields", "actions", "authorities", "case", "case_filters", "case_page", "cases", "dashboard", "deadlines",
    "document_file", "documents",
    "email_warning", "letter", "my_work", "recorded_action", "system",
    "calendar_feed_of", "flagged_schools", "notifications", "people", "playbook_plans", "school", "schools", "suggested_cases",
    "term_calendars", "term_date_moves", "verify_audit", "verify_documents",
]


def my_work(viewer: Viewer) -> MyWork:
    with transaction() as session:
        return views.my_work(session, viewer.person_id, case_visible_to(viewer), today())


def cases(viewer: Viewer, query: CaseQuery) -> list[CaseRow]:
    with transaction() as session:
        return views.find_cases(session, query, case_visible_to(viewer), today())


def case_filters(viewer: Viewer) -> views.CaseFilters:
    """The choices the case list's filters offer this person, read from the cases they may see."""
    with transaction() as session:
        return views.case_filters(session, case_visible_to(viewer), glossary())


def case_page(viewer: Viewer, query: CaseQuery, page: int, per_page: int) -> tuple[list[CaseRow], int]:
    """One page of the case list, and how many cases match in all."""
    with transaction() as session:
        visible = case_visible_to(viewer)
        total = views.count_cases(session, query, visible, today())
        missing = missing_page(page, page_count(total, per_page), "cases")
        if missing:
            raise NotFound(missing)
        return views.find_cases(session, query, visible, today(), limit=per_page, offset=(page - 1) * per_page), total


def case(viewer: Viewer, case_id: int) -> CaseSummary:
    with transaction() as session:
        visible_case(session, viewer, case_id)
        return views.case_summary(session, case_id, case_visible_to(viewer))


def actions(viewer: Viewer, case_id: int) -> tuple[str, list[ActionChoice]]:
    """The case's stage and the actions open from it, those this person cannot take now
    carrying the reason (a guard, or a role the playbook does not give them)."""
    with transaction() as session:
        case = visible_case(session, viewer, case_id)
        found, choices = views.allowed_action_choices(session, case_id, role=viewer.within(case.school.authority_id).role)
        return found.stage, choices


def action_fields(viewer: Viewer, case_id: int, action: str) -> ActionChoice:
    """The fields one action open now takes, to read its form with (nothing decided)."""
    with transaction() as session:
        return views.action_fields(session, visible_case(session, viewer, case_id), action)


def documents(viewer: Viewer, case_id: int) -> list[DocumentView]:
    with transaction() as session:
        visible_case(session, viewer, case_id)
        return views.case_documents(session, case_id)


def document_file(viewer: Viewer, document_id: int) -> tuple[bytes, str]:
    """The bytes of one stored document and the name to download it as, once they match the
    sha256 taken when it was made; a file changed since is refused (``DocumentAltered``)
    and the refusal is an audit event, so nobody is handed a letter that is not the one issued."""
    with transaction() as session:
        document = by_id(session, Document, document_id)
        if document is None:
            raise NotFound(N_("no document %(document)s"), document=document_id)
        if document.case_id is not None:
            try:
                visible_case(session, viewer, document.case_id)
            except NotFound:
                raise NotFound(N_("no document %(document)s"), document=document_id) from None
        elif not viewer.sees_every_case:
            raise NotFound(N_("no document %(document)s"), document=document_id)
        name = f"case-{document.case_id}-{document.kind}-v{document.version}.docx" if document.case_id else Path(document.path).name
        try:
            data = file_store(session).get(document.path)
        except OSError:
            raise NotFound(N_("the file of document %(document)s is missing from the data folder: run scc doc verify"),
                           document=document_id) from None
        if hashlib.sha256(data).hexdigest() == document.sha256:
            return data, name
        record(session, viewer.email, "document_altered", case_id=document.case_id,
               after={"document": document_id, "kind": document.kind, "version": document.version})
    raise DocumentAltered(N_("document %(document)s was changed after it was made, so it is not given out: make it again, and ask "
                             "the administrator to run scc doc verify"), document=document_id)


def recorded_action(viewer: Viewer, case_id: int, seq: int) -> RecordedAction:
    """An action of a case this person may see, as it stands, for its correction form."""
    with transaction() as session:
        return views.recorded_action(session, visible_case(session, viewer, case_id), seq)


def system(viewer: Viewer) -> list[SystemCheck]:
    """The System page's checks (a senior officer's)."""
    require(viewer, Task.SEE_SYSTEM)
    with transaction() as session:
        return system_checks(session, datetime.now(UTC))


def email_warning() -> str | None:
    """The warning every staff page shows while email has failed for more than an hour."""
    with transaction() as session:
        return email_failing(session, datetime.now(UTC))


def letter(viewer: Viewer, document_id: int) -> LetterView:
    """A letter of a case this person may see: its text, free text and how it went."""
    with transaction() as session:
        case, document = letters.visible_letter(session, viewer, document_id)
        return views.letter_view(session, case, document)


def evidence_file(viewer: Viewer, evidence_id: int) -> tuple[bytes, str]:
    """A file kept with a case this person may see: its bytes, and the name to download it as
    (its own, reduced to characters a download header carries safely). A file changed since it
    was kept is refused, and the refusal is an audit event, as for a letter."""
    refusal: DocumentAltered | None = None
    with transaction() as session:
        kept = case_file.kept_evidence(session, evidence_id)
        try:
            visible_case(session, viewer, kept.case_id)
        except NotFound:
            raise NotFound(N_("no evidence %(evidence)s"), evidence=evidence_id) from None
        try:
            return case_file.evidence_bytes(session, kept), re.sub(r"[^A-Za-z0-9._ -]", "_", kept.name)
        except OSError:
            raise NotFound(N_("the file of evidence %(evidence)s is missing from where files are kept"), evidence=evidence_id) from None
        except DocumentAltered as altered:
            record(session, viewer.email, "evidence_altered", case_id=kept.case_id,
                   after={"evidence": evidence_id, "name": kept.name, "sha256": kept.sha256})
            refusal = altered
    raise refusal


def export_cases(viewer: Viewer, query: CaseQuery, form: str) -> tuple[bytes, str]:
    """Every case the list shows with these filters (all pages), as CSV or Excel; with its file name."""
    return exported(case_table(cases(viewer, query)), form), f"cases-{today().isoformat()}.{form}"


def export_deadlines(viewer: Viewer, until: date | None, include_closed: bool, form: str) -> tuple[bytes, str]:
    """The deadlines of the cases this person may see, as CSV or Excel; with its file name."""
    return exported(deadline_table(deadlines(viewer, until, include_closed)), form), f"deadlines-{today().isoformat()}.{form}"


def termly_picture(viewer: Viewer, term: str | None, authority: str | None = None) -> Table:
    """The termly report's figures as a table (the same cases and figures as its letter)."""
    require(viewer, Task.SEE_DASHBOARD)
    with transaction() as session:
        return termly_table(session, term, today(), case_scope(session, viewer, authority)[0])


def export_termly(viewer: Viewer, term: str | None, form: str, authority: str | None = None) -> tuple[bytes, str]:
    """The termly picture as a spreadsheet; with its file name."""
    table = termly_picture(viewer, term, authority)
    return exported(table, form), f"{table[0].lower().replace(' ', '-')}.{form}"


def deadlines(viewer: Viewer, until: date | None, include_closed: bool = False) -> list[DeadlineView]:
    with transaction() as session:
        return views.deadline_rows(session, until, include_closed, where=case_visible_to(viewer))


def schools(viewer: Viewer) -> list[SchoolView]:
    """The schools of the authorities this person works for."""
    with transaction() as session:
        return views.schools(session, school_visible_to(viewer))


def school(viewer: Viewer, urn: str) -> tuple[SchoolView, list[CaseRow], list[ClassificationView]]:
    """A school with the cases of it this person may see, and its classification history."""
    with transaction() as session:
        school = visible_school(session, viewer, urn)
        visible = case_visible_to(viewer)
        return (views.school_view(school), views.find_cases(session, CaseQuery(urn=school.urn), visible, today()),
                views.school_classifications(session, school.id, visible))


def authorities(viewer: Viewer) -> list[AuthorityView]:
    """The authorities this person works for (all of them for a consortium's officers)."""
    with transaction() as session:
        return [AuthorityView.model_validate(a, from_attributes=True).model_copy(update={"role": viewer.role_in(a.id)})
                for a in session.execute(select(Authority).where(authority_visible_to(viewer)).order_by(Authority.name)).scalars()]


def people(viewer: Viewer) -> list[PersonView]:
    """The people on record in the authorities this person works for."""
    with transaction() as session:
        return views.people(session, authority_visible_to(viewer))


def notifications(viewer: Viewer, status: str | None) -> list[NotificationView]:
    """The outbox: what is queued, sent and failed (every case's: the service's own mail)."""
    require(viewer, Task.SEE_DASHBOARD)
    with transaction() as session:
        return views.notification_rows(session, _mail_visible_to(viewer), status)


def _mail_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The outbox rows a person may read: those of the cases they see; mail of no case (a
    digest, a password link) only their own, or all of it for someone in every authority."""
    if viewer.sees_every_case:
        return true()
    return or_(Notification.case_id.in_(select(Case.id).where(case_visible_to(viewer))),
               and_(Notification.case_id.is_(None), Notification.recipient_email == viewer.email))


def verify_audit(viewer: Viewer) -> dict[str, object]:
    """The audit log checked end to end and against the records it describes; ``AuditBroken``
    naming every edited, missing or unaudited change."""
    require(viewer, Task.SEE_DASHBOARD)
    with transaction() as session:
        result = verify_chain(session)
        behind = unaudited_changes(session) if result.ok else []
    if not result.ok or behind:
        raise AuditBroken(N_("the audit log does not verify (%(events)s events): %(problems)s"), events=result.events,
                          problems="; ".join(result.problems + tuple(behind)))
    return {"events": result.events, "ok": True}


def verify_documents(viewer: Viewer) -> dict[str, object]:
    """Every stored document checked against the sha256 taken when it was made;
    ``DocumentError`` naming each one missing or changed."""
    require(viewer, Task.SEE_DASHBOARD)
    with transaction() as session:
        result = verify_stored(session)
    if result.problems:
        raise DocumentError(N_("%(count)s of %(checked)s documents do not verify: %(problems)s"), count=len(result.problems),
                            checked=result.checked, problems="; ".join(result.problems))
    return {"documents": result.checked, "ok": True}


def flagged_schools(viewer: Viewer) -> list[dict[str, object]]:
    """The schools the data flags without an open case, as the list prints them."""
    return [{"urn": s.urn, "school": s.name, "stage": s.stage,
             "concerns": [{"raised_on": on.isoformat(), "detail": detail} for on, detail in s.concerns]}
            for s in suggested_cases(viewer)]


def calendar_feed_of(viewer: Viewer, email: str) -> bytes:
    """A person's iCalendar feed: one's own, or anyone's for those who see every case (an IP
    may not read another IP's cases through their feed)."""
    if email.strip().lower() != viewer.email and not viewer.sees_every_case:
        raise NotFound(N_("no calendar of %(email)s for you: an IP sees their own calendar only"), email=email)
    with transaction() as session:
        return calendar_feed(session, email)


def suggested_cases(viewer: Viewer) -> list[Suggestion]:
    """The schools the data flags without an open case."""
    require(viewer, Task.OPEN_CASE)
    with transaction() as session:
        return flagged(session, school_visible_to(viewer, Task.OPEN_CASE))


def dashboard(viewer: Viewer, term: str | None, category: str | None, rag_page: int = 1,
              authority: str | None = None) -> tuple[Dashboard, list[str]]:
    """The term's figures, in one of the person's authorities or across theirs, and the names
    of every term of the calendar, to choose from."""
    require(viewer, Task.SEE_DASHBOARD)
    calendar = calendar_named(default_calendar())
    with transaction() as session:
        visible, _ = case_scope(session, viewer, authority)
        whose = (viewer.roles, viewer.everywhere, None if viewer.sees_every_case else viewer.person_id, authority)
        key = (database_url(), whose, term, today(), category, rag_page, newest_seq(session), calendar.version,
               file_text(config_file("reminders.toml")))
        with _boards_lock:
            board = _boards.get(key)
        if board is None:
            board = figures(session, term or None, today(), visible, category or None, rag_page)
            with _boards_lock:
                _boards[key] = board
                while len(_boards) > BOARDS_KEPT:
                    _boards.popitem(last=False)
    return board, [term_label(t) for t in calendar.terms]


# The dashboard's figures change only when a change is recorded (every change is an audit
# event), the day turns, or the calendar or reminder settings are edited: kept until then, a
# head of service's page and twenty colleagues' cost one count between them.
BOARDS_KEPT = 64
_boards: OrderedDict[tuple[object, ...], Dashboard] = OrderedDict()
_boards_lock = threading.Lock()


def term_calendars(since: date) -> list[tuple[str, list[Term]]]:
    """Every calendar's terms that end on or after ``since``: what any member of staff may read
    (a school day count is only as good as the term dates it counts on)."""
    return [(name, [t for t in calendar_named(name).terms if t.end >= since]) for name in names_in("calendars")]


def term_date_moves(viewer: Viewer, calendar: str | None = None) -> list[DeadlineMove]:
    """The live deadlines the calendars' term dates as they are now would move."""
    require(viewer, Task.APPLY_TERM_DATES)
    with transaction() as session:
        return deadline_moves(session, today(), calendar)[0]


def playbook_plans(viewer: Viewer) -> list[tuple[str, str, list[CaseMigration]]]:
    """Each playbook of the config folder, its version, and where its open cases on other
    versions would go."""
    require(viewer, Task.MIGRATE_PLAYBOOK)
    found = []
    for name in names_in("playbooks"):
        book = playbook_named(name)
        found.append((name, book.version, migrate_open_cases(book, viewer, today(), apply=False)[0]))
    return found

