"""Every change to a case as a Prefect flow, and the one call each entry point makes for it.

Each flow runs one task, and each task is one use case of ``models.services.case_changes``
with its own unit of work: the person acting is found, permission checked, the change
decided once and written, or refused with nothing written. Tasks never cache: the same
parameters on another day are another change.

The functions at the end (``take_action``, ``open_case``…) are what the web pages, the API
and the command line call: they run the flow for the person acting and return its result.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flows.runtime import configure, run, untagged

configure()  # Prefect reads its settings when it is imported: they are set first
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from models.schemas import ActionOutcome, CaseSummary, DocumentView, LetterView  # noqa: E402
from models.services import case_changes  # noqa: E402
from models.services.access import Viewer  # noqa: E402
from models.settings.environment import today  # noqa: E402

__all__ = [
    "FLOWS", "amend_action", "correct_priority", "edit_letter", "issue_letter",
    "generate_document", "generate_documents", "load_demo", "open_case", "open_flagged_case", "plan_case",
    "reopen_case", "take_action", "termly_report", "undo_action", "withdraw_classification", "withdraw_meeting",
]


@task(name="take-action", cache_policy=NONE, persist_result=False)
def take_action_task(actor: str, case_id: int, action: str, fields: dict[str, str], on: date) -> ActionOutcome:
    return case_changes.take_action(actor, case_id, action, fields, on)


@flow(name="apply-action")
def apply_action_flow(actor: str, case_id: int, action: str, fields: dict[str, str], on: date) -> ActionOutcome:
    """One playbook action on one case."""
    with untagged():
        return take_action_task(actor, case_id, action, fields, on)


@task(name="correct-priority", cache_policy=NONE, persist_result=False)
def correct_priority_task(actor: str, case_id: int, number: int, changes: dict[str, str], reason: str, on: date,
                          withdraw: bool) -> CaseSummary:
    return case_changes.correct_priority(actor, case_id, number, changes, reason, on, withdraw)


@flow(name="correct-priority")
def correct_priority_flow(actor: str, case_id: int, number: int, changes: dict[str, str], reason: str, on: date,
                          withdraw: bool = False) -> CaseSummary:
    """A priority amended or withdrawn, with its reason."""
    with untagged():
        return correct_priority_task(actor, case_id, number, changes, reason, on, withdraw)


@task(name="withdraw-classification", cache_policy=NONE, persist_result=False)
def withdraw_classification_task(actor: str, case_id: int, classification_id: int, reason: str, on: date) -> CaseSummary:
    return case_changes.withdraw_classification(actor, case_id, classification_id, reason, on)


@flow(name="withdraw-classification")
def withdraw_classification_flow(actor: str, case_id: int, classification_id: int, reason: str, on: date) -> CaseSummary:
    """A classification recorded in error withdrawn, with its reason."""
    with untagged():
        return withdraw_classification_task(actor, case_id, classification_id, reason, on)


@task(name="withdraw-meeting", cache_policy=NONE, persist_result=False)
def withdraw_meeting_task(actor: str, case_id: int, meeting_id: int, reason: str, on: date) -> CaseSummary:
    return case_changes.withdraw_meeting(actor, case_id, meeting_id, reason, on)


@flow(name="withdraw-meeting")
def withdraw_meeting_flow(actor: str, case_id: int, meeting_id: int, reason: str, on: date) -> CaseSummary:
    """A meeting, review or visit recorded in error withdrawn, with its reason."""
    with untagged():
        return withdraw_meeting_task(actor, case_id, meeting_id, reason, on)


@task(name="undo-action", cache_policy=NONE, persist_result=False)
def undo_action_task(actor: str, case_id: int, reason: str, on: date) -> CaseSummary:
    return case_changes.undo_action(actor, case_id, reason, on)


@flow(name="undo-action")
def undo_action_flow(actor: str, case_id: int, reason: str, on: date) -> CaseSummary:
    """The latest action of a case reversed, taken in error."""
    with untagged():
        return undo_action_task(actor, case_id, reason, on)


@task(name="amend-action", cache_policy=NONE, persist_result=False)
def amend_action_task(actor: str, case_id: int, seq: int, changes: dict[str, str], on: date | None, reason: str,
                      today: date) -> CaseSummary:
    return case_changes.amend_action(actor, case_id, seq, changes, on, reason, today)


@flow(name="amend-action")
def amend_action_flow(actor: str, case_id: int, seq: int, changes: dict[str, str], on: date | None, reason: str,
                      today: date) -> CaseSummary:
    """An action's fields and day corrected, with a reason; its records and deadlines with them."""
    with untagged():
        return amend_action_task(actor, case_id, seq, changes, on, reason, today)


@task(name="edit-letter", cache_policy=NONE, persist_result=False)
def edit_letter_task(actor: str, document_id: int, text: dict[str, str]) -> LetterView:
    return case_changes.edit_letter(actor, document_id, text)


@flow(name="edit-letter")
def edit_letter_flow(actor: str, document_id: int, text: dict[str, str]) -> LetterView:
    """A draft letter's wording changed."""
    with untagged():
        return edit_letter_task(actor, document_id, text)


@task(name="issue-letter", cache_policy=NONE, persist_result=False)
def issue_letter_task(actor: str, document_id: int, on: date, sendings: dict[str, tuple[str, date | None]],
                      today: date) -> LetterView:
    return case_changes.issue_letter(actor, document_id, on, sendings, today)


@flow(name="issue-letter")
def issue_letter_flow(actor: str, document_id: int, on: date, sendings: dict[str, tuple[str, date | None]],
                      today: date) -> LetterView:
    """A draft letter issued and how each copy went recorded."""
    with untagged():
        return issue_letter_task(actor, document_id, on, sendings, today)


@task(name="plan-case", cache_policy=NONE, persist_result=False)
def plan_case_task(actor: str, case_id: int, on: date) -> CaseSummary:
    return case_changes.plan_case(actor, case_id, on)


@flow(name="plan-case")
def plan_case_flow(actor: str, case_id: int, on: date) -> CaseSummary:
    """One case's half-term planned now."""
    with untagged():
        return plan_case_task(actor, case_id, on)


@task(name="open-case", cache_policy=NONE, persist_result=False)
def open_case_task(actor: str, urn: str, reason: str, on: date, options: dict[str, str | None]) -> CaseSummary:
    return case_changes.open_case(actor, urn, reason, on, options)


@flow(name="open-case")
def open_case_flow(actor: str, urn: str, reason: str, on: date, options: dict[str, str | None] | None = None) -> CaseSummary:
    with untagged():
        return open_case_task(actor, urn, reason, on, options or {})


@task(name="reopen-case", cache_policy=NONE, persist_result=False)
def reopen_case_task(actor: str, case_id: int, reason: str, on: date) -> CaseSummary:
    return case_changes.reopen_case(actor, case_id, reason, on)


@flow(name="reopen-case")
def reopen_case_flow(actor: str, case_id: int, reason: str, on: date) -> CaseSummary:
    with untagged():
        return reopen_case_task(actor, case_id, reason, on)


@task(name="generate-document", cache_policy=NONE, persist_result=False)
def generate_document_task(actor: str, case_id: int, kind: str) -> DocumentView:
    return case_changes.generate_document(actor, case_id, kind)


@flow(name="generate-document")
def generate_document_flow(actor: str, case_id: int, kind: str) -> DocumentView:
    with untagged():
        return generate_document_task(actor, case_id, kind)


@task(name="generate-documents", cache_policy=NONE, persist_result=False)
def generate_documents_task(actor: str, kind: str, stage: str) -> list[DocumentView]:
    return case_changes.generate_documents(actor, kind, stage)


@flow(name="render-all")
def render_all_flow(actor: str, kind: str, stage: str) -> list[DocumentView]:
    """One kind of document for every case at a stage: one flow, one transaction, all or none."""
    with untagged():
        return generate_documents_task(actor, kind, stage)


@task(name="termly-report", cache_policy=NONE, persist_result=False)
def termly_report_task(actor: str, term: str | None, today: date, authority: str | None) -> DocumentView:
    return case_changes.make_termly_report(actor, term, today, authority)


@flow(name="termly-report")
def termly_report_flow(actor: str, term: str | None, today: date, authority: str | None = None) -> DocumentView:
    with untagged():
        return termly_report_task(actor, term, today, authority)


@task(name="load-demo", cache_policy=NONE, persist_result=False)
def load_demo_task(actor: str, today: date, consortium: bool) -> dict[str, Any]:
    return case_changes.load_demo(actor, today, consortium)


@flow(name="load-demo")
def load_demo_flow(actor: str, today: date, consortium: bool = False) -> dict[str, Any]:
    with untagged():
        return load_demo_task(actor, today, consortium)


FLOWS = (apply_action_flow, correct_priority_flow, withdraw_classification_flow, withdraw_meeting_flow, undo_action_flow,
         amend_action_flow, edit_letter_flow, issue_letter_flow, plan_case_flow,
         open_case_flow, reopen_case_flow, generate_document_flow, render_all_flow, termly_report_flow, load_demo_flow)


# ---------------------------------------------------------------- what the entry points call

def take_action(viewer: Viewer, case_id: int, action: str, fields: Mapping[str, str], on: date | None) -> ActionOutcome:
    outcome: ActionOutcome = run(apply_action_flow, actor=viewer.email, case_id=case_id, action=action, fields=dict(fields),
                                 on=on or today())
    return outcome


def correct_priority(viewer: Viewer, case_id: int, number: int, changes: Mapping[str, str], reason: str,
                     withdraw: bool = False) -> CaseSummary:
    corrected: CaseSummary = run(correct_priority_flow, actor=viewer.email, case_id=case_id, number=number, changes=dict(changes),
                                 reason=reason, on=today(), withdraw=withdraw)
    return corrected


def withdraw_classification(viewer: Viewer, case_id: int, classification_id: int, reason: str) -> CaseSummary:
    withdrawn: CaseSummary = run(withdraw_classification_flow, actor=viewer.email, case_id=case_id,
                                 classification_id=classification_id, reason=reason, on=today())
    return withdrawn


def withdraw_meeting(viewer: Viewer, case_id: int, meeting_id: int, reason: str) -> CaseSummary:
    withdrawn: CaseSummary = run(withdraw_meeting_flow, actor=viewer.email, case_id=case_id, meeting_id=meeting_id, reason=reason,
                                 on=today())
    return withdrawn


def undo_action(viewer: Viewer, case_id: int, reason: str) -> CaseSummary:
    undone: CaseSummary = run(undo_action_flow, actor=viewer.email, case_id=case_id, reason=reason, on=today())
    return undone


def amend_action(viewer: Viewer, case_id: int, seq: int, changes: Mapping[str, str], on: date | None, reason: str) -> CaseSummary:
    amended: CaseSummary = run(amend_action_flow, actor=viewer.email, case_id=case_id, seq=seq, changes=dict(changes), on=on,
                               reason=reason, today=today())
    return amended


def edit_letter(viewer: Viewer, document_id: int, text: Mapping[str, str]) -> LetterView:
    edited: LetterView = run(edit_letter_flow, actor=viewer.email, document_id=document_id, text=dict(text))
    return edited


def issue_letter(viewer: Viewer, document_id: int, on: date, sendings: Mapping[str, tuple[str, date | None]]) -> LetterView:
    issued: LetterView = run(issue_letter_flow, actor=viewer.email, document_id=document_id, on=on, sendings=dict(sendings),
                             today=today())
    return issued


def plan_case(viewer: Viewer, case_id: int) -> CaseSummary:
    planned: CaseSummary = run(plan_case_flow, actor=viewer.email, case_id=case_id, on=today())
    return planned


def open_case(viewer: Viewer, urn: str, reason: str, on: date | None, options: Mapping[str, str | None]) -> CaseSummary:
    opened: CaseSummary = run(open_case_flow, actor=viewer.email, urn=urn, reason=reason, on=on or today(), options=dict(options))
    return opened


def reopen_case(viewer: Viewer, case_id: int, reason: str, on: date | None = None) -> CaseSummary:
    opened: CaseSummary = run(reopen_case_flow, actor=viewer.email, case_id=case_id, reason=reason, on=on or today())
    return opened


def open_flagged_case(viewer: Viewer, urn: str) -> CaseSummary:
    """Open a case today for a school the data flags, its concerns as the reason."""
    return open_case(viewer, urn, case_changes.flagged_reason(viewer, urn), None, {})


def generate_document(viewer: Viewer, case_id: int, kind: str) -> DocumentView:
    made: DocumentView = run(generate_document_flow, actor=viewer.email, case_id=case_id, kind=kind)
    return made


def generate_documents(viewer: Viewer, kind: str, stage: str) -> list[DocumentView]:
    made: list[DocumentView] = run(render_all_flow, actor=viewer.email, kind=kind, stage=stage)
    return made


def termly_report(viewer: Viewer, term: str | None, authority: str | None = None) -> DocumentView:
    made: DocumentView = run(termly_report_flow, actor=viewer.email, term=term, today=today(), authority=authority)
    return made


def load_demo(viewer: Viewer, consortium: bool = False) -> dict[str, Any]:
    loaded: dict[str, Any] = run(load_demo_flow, actor=viewer.email, today=today(), consortium=consortium)
    return loaded
