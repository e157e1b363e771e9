"""What a signed-in person can do, for the web pages and the API alike.

Each function opens its own transaction, checks the person may see the case
(``models.services.access``), and calls the same use cases and read models as the CLI;
a change to a case is checked first (so a refusal starts no flow and writes nothing) and
then run as its Prefect flow, exactly as ``scc case advance`` runs it.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from starlette.datastructures import UploadFile

from models.db.audit import newest_seq
from models.db.cases import Document
from models.db.installation import data_root, file_at
from models.db.session import transaction
from models.errors import InvalidInput, NotFound
from models.schemas import (
    ActionChoice,
    ActionOutcome,
    CaseRow,
    CaseSummary,
    ClassificationView,
    Dashboard,
    DeadlineView,
    DocumentView,
    MyWork,
    PersonView,
    SchoolView,
)
from models.services.access import Task, Viewer, case_visible_to, require, visible_case
from models.services.concerns import Suggestion
from models.services.playbook_versions import CaseMigration
from models.services.recount import DeadlineMove
from models.services.views import CaseQuery
from models.settings.environment import config_file, database_url, file_text, today

__all__ = [
    "DOCX", "MAX_UPLOAD", "CaseQuery", "actions", "add_person", "apply_term_dates", "case", "case_page", "cases", "change_role",
    "dashboard", "deadlines", "document_file", "documents", "import_schools", "migrate_playbook", "my_work", "open_case", "people",
    "playbook_plans", "read_upload", "regenerate", "school", "schools", "take_action", "term_date_moves", "termly_report",
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UPLOAD = 5_000_000  # a GIAS export of every school in England is about 4 MB


def my_work(viewer: Viewer) -> MyWork:
    from models.services.views import my_work as work

    with transaction() as session:
        return work(session, viewer.person_id, case_visible_to(viewer), today())


def cases(viewer: Viewer, query: CaseQuery) -> list[CaseRow]:
    from models.services.views import find_cases

    with transaction() as session:
        return find_cases(session, query, case_visible_to(viewer), today())


def case_page(viewer: Viewer, query: CaseQuery, page: int, per_page: int) -> tuple[list[CaseRow], int]:
    """One page of the case list, and how many cases match in all."""
    from models.services.views import count_cases, find_cases

    if page < 1:
        raise InvalidInput(f"page {page} does not exist: pages are numbered from 1")
    with transaction() as session:
        visible = case_visible_to(viewer)
        return (find_cases(session, query, visible, today(), limit=per_page, offset=(page - 1) * per_page),
                count_cases(session, query, visible, today()))


def case(viewer: Viewer, case_id: int) -> CaseSummary:
    from models.services.views import case_summary

    with transaction() as session:
        visible_case(session, viewer, case_id)
        return case_summary(session, case_id)


def actions(viewer: Viewer, case_id: int) -> tuple[str, list[ActionChoice]]:
    """The case's stage and the actions open from it, those this person cannot take now
    carrying the reason (a guard, or a role the playbook does not give them)."""
    from models.services.views import allowed_action_choices

    with transaction() as session:
        visible_case(session, viewer, case_id)
        found, choices = allowed_action_choices(session, case_id, role=viewer.role)
        return found.stage, choices


def take_action(viewer: Viewer, case_id: int, action: str, fields: Mapping[str, str], on: date | None) -> ActionOutcome:
    from flows.runtime import run
    from models.services.cases import ActionRequest, decide_action

    day = on or today()
    with transaction() as session:  # refuse before any flow starts: nothing is written here
        visible_case(session, viewer, case_id)
        decide_action(session, ActionRequest(case_id, action, dict(fields), day, viewer.email))
    outcome: ActionOutcome = run("apply-action", case_id=case_id, action=action, fields=dict(fields), on=day, actor=viewer.email)
    return outcome


def open_case(viewer: Viewer, urn: str, reason: str, on: date | None, options: Mapping[str, str | None]) -> CaseSummary:
    from flows.runtime import run
    from models.services.cases import check_open_case
    from models.services.views import case_summary

    require(viewer, Task.OPEN_CASE)
    day = on or today()
    with transaction() as session:
        check_open_case(session, urn, reason, on=day, playbook=options.get("playbook"), calendar=options.get("calendar"))
    opened = run("open-case", urn=urn, reason=reason, on=day, actor=viewer.email, options=dict(options))
    with transaction() as session:
        return case_summary(session, opened.id)


def reopen_case(viewer: Viewer, case_id: int, reason: str) -> CaseSummary:
    """Reopen intervention for a school watched after exit, today, as ``scc case reopen``:
    the new case, linked to this one."""
    from flows.runtime import run
    from models.services.cases import reopening
    from models.services.views import case_summary

    require(viewer, Task.OPEN_CASE)
    day = today()
    with transaction() as session:
        visible_case(session, viewer, case_id)
        urn, options = reopening(session, case_id, reason, day)
    opened = run("open-case", urn=urn, reason=reason, on=day, actor=viewer.email, options=options)
    with transaction() as session:
        return case_summary(session, opened.id)


def suggested_cases(viewer: Viewer) -> list[Suggestion]:
    """The schools the data flags without an open case, as ``scc concerns list``."""
    from models.services.concerns import suggested_cases as flagged

    require(viewer, Task.OPEN_CASE)
    with transaction() as session:
        return flagged(session)


def open_suggested_case(viewer: Viewer, urn: str) -> CaseSummary:
    """Open a case today for a school the data flags, its concerns as the reason."""
    suggestion = next((s for s in suggested_cases(viewer) if s.urn == urn), None)
    if suggestion is None:
        raise NotFound(f"no school {urn} is flagged without an open case: see the list of concerns")
    stage = f" ({suggestion.stage.replace('_', ' ')} of concern)" if suggestion.stage else ""
    reason = f"Flagged by data{stage}: " + "; ".join(detail for _, detail in suggestion.concerns)
    return open_case(viewer, urn, reason, None, {})


def documents(viewer: Viewer, case_id: int) -> list[DocumentView]:
    from models.services.views import case_documents

    with transaction() as session:
        visible_case(session, viewer, case_id)
        return case_documents(session, case_id)


def document_file(viewer: Viewer, document_id: int) -> tuple[Path, str]:
    """The file of one stored document and the name to download it as."""
    with transaction() as session:
        document = session.get(Document, document_id) if 0 < document_id < 2**31 else None
        if document is None:
            raise NotFound(f"no document {document_id}")
        if document.case_id is not None:
            try:
                visible_case(session, viewer, document.case_id)
            except NotFound:
                raise NotFound(f"no document {document_id}") from None
        elif not viewer.sees_every_case:
            raise NotFound(f"no document {document_id}")
        path = file_at(data_root(session), document.path)
        name = f"case-{document.case_id}-{document.kind}-v{document.version}.docx" if document.case_id else Path(document.path).name
    if not path.exists():
        raise NotFound(f"the file of document {document_id} is missing from the data folder: run scc doc verify")
    return path, name


def deadlines(viewer: Viewer, until: date | None) -> list[DeadlineView]:
    from models.services.views import deadline_rows

    with transaction() as session:
        return deadline_rows(session, until, where=case_visible_to(viewer))


def schools() -> list[SchoolView]:
    from models.services.views import schools as listed

    with transaction() as session:
        return listed(session)


def school(viewer: Viewer, urn: str) -> tuple[SchoolView, list[CaseRow], list[ClassificationView]]:
    """A school with the cases of it this person may see, and its classification history."""
    from models.services.directory import school_by_urn
    from models.services.views import find_cases, school_classifications, school_view

    with transaction() as session:
        found = school_view(school_by_urn(session, urn))
        return (found, find_cases(session, CaseQuery(urn=found.urn), case_visible_to(viewer), today()),
                school_classifications(session, found.urn))


def regenerate(viewer: Viewer, case_id: int, kind: str) -> DocumentView:
    """The case's document of ``kind`` made again as its next version, as ``scc doc render``."""
    from flows.runtime import run

    with transaction() as session:
        visible_case(session, viewer, case_id)
    made: DocumentView = run("generate-document", case_id=case_id, kind=kind, actor=viewer.email, output=None)
    return made


def add_person(viewer: Viewer, name: str, email: str, role: str, organisation: str | None) -> PersonView:
    """A new person on record, added by a senior officer."""
    from models.services.directory import add_person as add

    require(viewer, Task.MANAGE_PEOPLE)
    with transaction() as session:
        person = add(session, name, email, role, viewer.email, organisation or None)
        return PersonView(name=person.name, email=person.email, role=person.role, organisation=person.organisation)


def change_role(viewer: Viewer, email: str, role: str) -> PersonView:
    """A person's new role, given by a senior officer."""
    from models.services.directory import change_role as change

    require(viewer, Task.MANAGE_PEOPLE)
    with transaction() as session:
        person = change(session, email, role, viewer.email)
        return PersonView(name=person.name, email=person.email, role=person.role, organisation=person.organisation)


def dashboard(viewer: Viewer, term: str | None, category: str | None, rag_page: int = 1) -> tuple[Dashboard, list[str]]:
    """The term's figures and the names of every term of the calendar, to choose from."""
    from models.services.dashboard import dashboard as figures
    from models.services.termly_report import term_label
    from models.settings.files import calendar_named, default_calendar

    require(viewer, Task.SEE_DASHBOARD)
    calendar = calendar_named(default_calendar())
    with transaction() as session:
        key = (database_url(), term, today(), category, rag_page, newest_seq(session), calendar.version,
               file_text(config_file("reminders.toml")))
        with _boards_lock:
            board = _boards.get(key)
        if board is None:
            board = figures(session, term or None, today(), category or None, rag_page)
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


def termly_report(viewer: Viewer, term: str) -> tuple[Path, str]:
    """The termly report of ``term`` made now (stored as a version, as ``scc report termly``)."""
    from flows.runtime import run

    require(viewer, Task.SEE_DASHBOARD)
    made: DocumentView = run("termly-report", term=term, today=today(), actor=viewer.email, output=None)
    return Path(made.path), Path(made.path).name


def term_date_moves(viewer: Viewer) -> list[DeadlineMove]:
    """The live deadlines the calendars' term dates as they are now would move."""
    from models.services.recount import deadline_moves

    require(viewer, Task.APPLY_TERM_DATES)
    with transaction() as session:
        return deadline_moves(session, today())[0]


def apply_term_dates(viewer: Viewer, calendar: str) -> int:
    """Move the deadlines of one calendar's cases to its term dates; how many moved."""
    from models.services.recount import apply_term_dates as apply

    with transaction() as session:
        return len(apply(session, calendar, viewer, today()))


def playbook_plans(viewer: Viewer) -> list[tuple[str, str, list[CaseMigration]]]:
    """Each playbook of the config folder, its version, and where its open cases on other
    versions would go."""
    from models.services.playbook_versions import migrate_open_cases
    from models.settings.files import names_in, playbook_named

    found = []
    for name in names_in("playbooks"):
        book = playbook_named(name)
        found.append((name, book.version, migrate_open_cases(book, viewer, today(), apply=False)[0]))
    return found


def migrate_playbook(viewer: Viewer, name: str, to: str) -> tuple[int, int]:
    """Move the open cases of a playbook to its version ``to``; how many moved, and how many
    were refused."""
    from models.services.playbook_versions import migrate_open_cases, target_playbook

    plans, moved = migrate_open_cases(target_playbook(name, to), viewer, today(), apply=True)
    return len(moved), len(plans) - len(moved)


def people() -> list[PersonView]:
    from models.services.views import people as listed

    with transaction() as session:
        return listed(session)


async def read_upload(file: UploadFile) -> bytes:
    """An uploaded CSV, refused when it is not one or is larger than ``MAX_UPLOAD``."""
    name = file.filename or ""
    if not name.lower().endswith(".csv"):
        raise InvalidInput(f"'{name or 'the file'}' is not a CSV file: upload the .csv export from Get Information About Schools")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"the file is larger than {MAX_UPLOAD // 1_000_000} MB: upload a GIAS export of your own schools")
    return data


def import_schools(viewer: Viewer, filename: str, data: bytes) -> tuple[int, int]:
    """A GIAS export uploaded by a lead or senior officer, through the same importer as
    ``scc school import``; returns how many schools were added and updated."""
    from models.services.directory import import_schools as run_import

    require(viewer, Task.IMPORT_SCHOOLS)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename).name)[:100] or "upload.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        with transaction() as session:
            result = run_import(session, path, viewer.email)
    return result.added, result.updated
