"""The changes to cases, each a use case a Prefect flow runs (``flows.case_flows``).

Each takes the email of the person acting (a flow's parameters are plain data), opens its own
unit of work, finds that person and checks they may see the case and take the step (the
playbook's roles, the tasks of ``models.services.access``), decides once and writes — or
writes nothing and raises the one-line refusal. The result is what the entry points show.

``check_action`` and ``check_open_case`` answer "would this be refused?" reading only: the
command line asks them before it starts Prefect in its own process, so a mistake typed at a
terminal with no server beside it is refused in a moment rather than after Prefect's start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models.adapters.docx.letterhead import letterhead
from models.db.cases import Case, Document
from models.db.session import transaction
from models.db.storage import file_store
from models.errors import NotFound
from models.messages import N_
from models.schemas import ActionOutcome, CaseSummary, DocumentView, LetterView
from models.services import amendments, case_file, cases, corrections, documents, letters, planning, termly_report, undo, views
from models.services.access import (
    Task,
    Viewer,
    acting,
    case_scope,
    case_visible_to,
    require,
    require_in,
    school_for_task,
    school_visible_to,
    visible_case,
)
from models.services.concerns import suggested_cases
from models.services.demo import demo_loaded, run_demo

__all__ = [
    "add_evidence", "add_note", "amend_action", "check_action", "check_open_case", "correct_priority", "edit_letter", "flagged_reason",
    "generate_document", "generate_documents", "issue_letter", "load_demo", "make_termly_report", "open_case", "plan_case", "reopen_case",
    "take_action", "undo_action", "upload_letter", "withdraw_classification", "withdraw_meeting",
]


def _viewer(session: Session, actor: str, task: Task | None = None) -> Viewer:
    viewer = acting(session, actor)
    if task is not None:
        require(viewer, task)
    return viewer


def _actor(viewer: Viewer) -> cases.Actor:
    return cases.Actor(viewer.email, viewer.role)


def check_action(viewer: Viewer, case_id: int, action: str, fields: Mapping[str, str], on: date) -> None:
    """Refuse, reading only, an action this person could not take now."""
    with transaction() as session:
        visible_case(session, viewer, case_id)
        cases.decide_action(session, cases.ActionRequest(case_id, action, dict(fields), on, viewer.email))


def take_action(actor: str, case_id: int, action: str, fields: Mapping[str, str], on: date) -> ActionOutcome:
    """One playbook action on one case: decision, records, deadlines, letters and the case
    team's email kept together or not at all; the case read back in the same transaction."""
    with transaction() as session:
        viewer = _viewer(session, actor)
        visible_case(session, viewer, case_id)
        applied = cases.take_action(session, case_id, action, dict(fields), on=on, actor_email=viewer.email)
        return ActionOutcome(case=views.case_summary(session, case_id), applied=applied)


def _on_case(actor: str, case_id: int, change: Callable[[Session, Case, Viewer], object], claim: bool = True,
             task: Task | None = None) -> CaseSummary:
    """One change to a case outside the playbook's actions (a correction, a note, a file), in
    one unit of work: the person found and checked, the case they may see, the change, the
    case read back. ``claim`` moves the case's version, so a change racing an action loses."""
    with transaction() as session:
        viewer = _viewer(session, actor)
        case = visible_case(session, viewer, case_id)
        if task is not None:
            require_in(viewer, task, case.school.authority_id, case.school.authority.name)
        viewer = viewer.within(case.school.authority_id)
        if claim:
            cases.claim(session, case)
        change(session, case, viewer)
        return views.case_summary(session, case_id)


def correct_priority(actor: str, case_id: int, number: int, changes: Mapping[str, str], reason: str, on: date,
                     withdraw: bool = False) -> CaseSummary:
    """Amend a priority's fields, or withdraw it, with a reason; the case read back."""
    if withdraw:
        return _on_case(actor, case_id, lambda s, case, v: corrections.withdraw_priority(s, case, number, reason, v.email, v.role, on))
    return _on_case(actor, case_id,
                    lambda s, case, v: corrections.amend_priority(s, case, number, changes, reason, v.email, v.role, on))


def add_note(actor: str, case_id: int, text: str, on: date) -> CaseSummary:
    """A dated, attributed note on a case anyone who sees it may add. Not a flow: it changes
    no stage or deadline, and is written in a moment."""
    return _on_case(actor, case_id, lambda s, case, v: case_file.add_note(s, case, text, v.email, on), claim=False)


def add_evidence(actor: str, case_id: int, name: str, data: bytes, description: str | None, on: date) -> CaseSummary:
    """A file kept with a case. Not a flow: a file of megabytes is no flow parameter."""
    return _on_case(actor, case_id, lambda s, case, v: case_file.add_evidence(s, case, name, data, v.email, description, on),
                    claim=False)


def withdraw_classification(actor: str, case_id: int, classification_id: int, reason: str, on: date) -> CaseSummary:
    """Withdraw a classification this case recorded in error, with a reason; the case read back."""
    return _on_case(actor, case_id, lambda s, case, v: corrections.withdraw_classification(s, case, classification_id, reason,
                                                                                            v.email, v.role, on))


def withdraw_meeting(actor: str, case_id: int, meeting_id: int, reason: str, on: date) -> CaseSummary:
    """Withdraw a meeting, review or visit recorded in error, with a reason; the case read back."""
    return _on_case(actor, case_id, lambda s, case, v: corrections.withdraw_meeting(s, case, meeting_id, reason, v.email, v.role, on))


def undo_action(actor: str, case_id: int, reason: str, on: date) -> CaseSummary:
    """Reverse the latest action of a case taken in error (a senior officer, with a reason);
    the undo claims the case's version itself."""
    return _on_case(actor, case_id, lambda s, case, v: undo.undo_latest_action(s, case, reason, v.email, on), claim=False,
                    task=Task.UNDO_ACTION)


def _on_letter(actor: str, document_id: int, change: Callable[[Session, Case, Document, Viewer], object]) -> LetterView:
    """One change to a letter (edit, upload, issue), by someone who may make it, on a case they
    see; the case's version moved, so an action racing it loses; the letter read back."""
    with transaction() as session:
        viewer = _viewer(session, actor)
        case, document = letters.visible_letter(session, viewer, document_id)
        viewer = viewer.within(case.school.authority_id)
        documents.may_make(cases.case_playbook(session, case), document.kind, viewer.role)
        cases.claim(session, case)
        change(session, case, document, viewer)
        return views.letter_view(session, case, document)


def edit_letter(actor: str, document_id: int, text: Mapping[str, str]) -> LetterView:
    """A draft letter's free text edited; the draft made again."""
    return _on_letter(actor, document_id, lambda s, case, d, v: letters.edit_draft(s, case, d.id, text, v.email))


def upload_letter(actor: str, document_id: int, name: str, data: bytes) -> LetterView:
    """A draft letter replaced by the version edited in Word."""
    return _on_letter(actor, document_id, lambda s, case, d, v: letters.upload_final(s, case, d.id, name, data, v.email))


def issue_letter(actor: str, document_id: int, on: date, sendings: Mapping[str, tuple[str, date | None]], today: date) -> LetterView:
    """A draft letter issued: dated, fixed, and how each recipient was sent it (method and day
    by role) recorded; an emailed copy queued in the outbox with the letter attached."""
    asked = {role: letters.Sending.of(role, method, day) for role, (method, day) in sendings.items()}
    return _on_letter(actor, document_id, lambda s, case, d, v: letters.issue(s, case, d.id, on, asked, v.email, today))


def amend_action(actor: str, case_id: int, seq: int, changes: Mapping[str, str], on: date | None, reason: str,
                 today: date) -> CaseSummary:
    """The fields and day of an action recorded in error amended, with a reason; what followed
    from them put right; the case read back."""
    return _on_case(actor, case_id, lambda s, case, v: amendments.amend_action(s, case, seq, changes, on, reason, v.email, v.role,
                                                                                today))


def plan_case(actor: str, case_id: int, on: date) -> CaseSummary:
    """This half-term planned for one case now, instead of at the next half-term's plan."""
    return _on_case(actor, case_id, lambda s, case, v: planning.plan_case(s, case, on, v.email), claim=False, task=Task.PLAN_CASE)


def check_open_case(viewer: Viewer, urn: str, reason: str, on: date, options: Mapping[str, str | None]) -> None:
    """Refuse, reading only, a case this person could not open."""
    require(viewer, Task.OPEN_CASE)
    with transaction() as session:
        school_for_task(session, viewer, urn, Task.OPEN_CASE)
        cases.check_open_case(session, urn, reason, on=on, playbook=options.get("playbook"), calendar=options.get("calendar"))


def open_case(actor: str, urn: str, reason: str, on: date, options: Mapping[str, str | None]) -> CaseSummary:
    """A case for a school causing concern, at its playbook's first stage (a school watched
    after exit has its intervention reopened)."""
    with transaction() as session:
        viewer = _viewer(session, actor, Task.OPEN_CASE)
        school_for_task(session, viewer, urn, Task.OPEN_CASE)
        case = cases.open_case(session, urn, reason, on=on, actor=_actor(viewer), **dict(options))
        return views.case_summary(session, case.id)


def reopen_case(actor: str, case_id: int, reason: str, on: date) -> CaseSummary:
    """Reopen intervention for a school watched after exit: a new case on the same playbook,
    calendar, lead and IP, linked to this one."""
    with transaction() as session:
        viewer = _viewer(session, actor, Task.OPEN_CASE)
        school = visible_case(session, viewer, case_id).school
        require_in(viewer, Task.OPEN_CASE, school.authority_id, school.authority.name)
        urn, options = cases.reopening(session, case_id, reason, on)
        case = cases.open_case(session, urn, reason, on=on, actor=_actor(viewer), **options)
        return views.case_summary(session, case.id)


def flagged_reason(viewer: Viewer, urn: str) -> str:
    """Why a school the data flags is opened as a case: its stage and concerns."""
    require(viewer, Task.OPEN_CASE)
    with transaction() as session:
        suggestion = next((s for s in suggested_cases(session, school_visible_to(viewer, Task.OPEN_CASE)) if s.urn == urn), None)
    if suggestion is None:
        raise NotFound(N_("no school %(urn)s is flagged without an open case: see the list of concerns"), urn=urn)
    stage = f" ({suggestion.stage.replace('_', ' ')} of concern)" if suggestion.stage else ""
    return f"Flagged by data{stage}: " + "; ".join(detail for _, detail in suggestion.concerns)


def generate_document(actor: str, case_id: int, kind: str) -> DocumentView:
    """The case's document of ``kind`` made again, as its next version; the person acting may
    take an action of the case's playbook that makes it."""
    with transaction() as session:
        viewer = _viewer(session, actor)
        case = visible_case(session, viewer, case_id)
        viewer = viewer.within(case.school.authority_id)
        documents.may_make(cases.case_playbook(session, case), kind, viewer.role)
        made = documents.generate(session, case_id, kind, viewer.email)
        return views.document_view(made, file_store(session))


def generate_documents(actor: str, kind: str, stage: str) -> list[DocumentView]:
    """One kind of document for every case at a stage: all or none."""
    with transaction() as session:
        viewer = _viewer(session, actor, Task.MAKE_REPORTS)
        return [views.document_view(d, file_store(session)) for d in documents.generate_many(session, kind, stage, viewer.email,
                                                                                               case_visible_to(viewer))]


def make_termly_report(actor: str, term: str | None, today: date, authority: str | None = None) -> DocumentView:
    """The termly report of the cases the person sees, in one authority or across theirs, on
    that authority's letterhead (the installation's across several); stored as its next version."""
    with transaction() as session:
        viewer = _viewer(session, actor, Task.MAKE_REPORTS)
        visible, one = case_scope(session, viewer, authority)
        head = letterhead(one.letterhead if one else "letterhead.toml")
        made = termly_report.termly_report(session, term, viewer.email, today, visible, head)
        return views.document_view(made, file_store(session))


def load_demo(actor: str, today: date, consortium: bool = False) -> dict[str, Any]:
    """The demo LA, loaded once and walked through four cases; with ``consortium``, a second
    authority in Wales beside it."""
    with transaction() as session:
        if not demo_loaded(session, consortium):  # loading again changes nothing: nobody need be named
            _viewer(session, actor, Task.RUN_RECURRING)
        return run_demo(session, today=today, consortium=consortium)
