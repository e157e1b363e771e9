"""Undoing the latest action of a case, taken in error: the case back at its stage before,
its deadlines as they were, what the action recorded taken away, all audited.

Only a senior officer may undo, only the latest action of the case, with a reason, and only
while nothing else has been recorded on the case since (another action, a correction, an
alert, a recount) — above all, no letter issued: once a letter has gone to anyone, the way
back is the playbook's own action (withdraw the notice), not undo. Drafts of the undone
action's letters are withdrawn (they can no longer be issued); documents it made that are
not letters are kept and marked "made before a correction".

The action's own audit event says what to restore (``services.cases.apply_action`` keeps
the case's stage, dates and the deadlines it closed with the status each had); actions
recorded before it did cannot be undone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.db import audit
from models.db.audit import AuditEvent
from models.db.cases import (
    Case,
    Classification,
    Concern,
    Deadline,
    Document,
    Meeting,
    NoticeCopy,
    Priority,
    RagJudgement,
    StatementOfAction,
    WarningNotice,
)
from models.db.queries import live_deadlines_set_by
from models.errors import GuardFailed
from models.messages import N_
from models.services.cases import case_playbook, claim
from models.services.corrections import correction_reason
from models.services.planning import PLANNED_BY
from models.vocab import DeadlineStatus, DocumentStatus

__all__ = ["undo_latest_action"]

# What an action writes after its own event, as part of it: the letters it makes, and the
# edits of their drafts, which have gone to nobody.
PART_OF_AN_ACTION = frozenset({"document_generated", "letter_edited", "letter_uploaded"})


def _latest_action(session: Session, case: Case) -> tuple[AuditEvent, list[AuditEvent]]:
    """The case's latest event that is not a letter being made, and the letters made since."""
    made: list[AuditEvent] = []
    for event in session.execute(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq.desc())).scalars():
        if event.action not in PART_OF_AN_ACTION:
            return event, made
        if event.action == "document_generated":
            made.append(event)
    raise GuardFailed(N_("case %(case)s has no action to undo"), case=case.id)


def undo_latest_action(session: Session, case: Case, reason: str, actor: str, on: date) -> int:
    """Reverse the latest action of the case; returns the undo's audit event."""
    why = correction_reason(reason)
    event, made = _latest_action(session, case)
    book = case_playbook(session, case)
    if event.action == "letter_issued":
        kind = str((event.after or {}).get("kind", "letter")).replace("_", " ")
        raise GuardFailed(N_("the %(letter)s has been issued since: undo cannot take back a letter that has gone: take the "
                             "playbook's own action instead (withdraw the notice)"), letter=kind)
    if event.action not in book.actions or "fields" not in (event.after or {}):
        words = event.action.replace("_", " ")
        raise GuardFailed(N_("the latest change to case %(case)s is '%(change)s', not an action of its playbook: only an action can "
                             "be undone"), case=case.id, change=words)
    before, after = event.before or {}, event.after or {}
    if "stage_since" not in before:
        raise GuardFailed(N_("'%(action)s' was recorded before actions could be undone: take the playbook's own action instead"),
                          action=event.action)
    records: list[str] = list(after.get("records") or [])
    claim(session, case)
    for label in reversed(records):
        _take_back(session, case, label)
    _restore_deadlines(session, case, event, after)
    case.stage = str(before["stage"])
    case.stage_since = date.fromisoformat(before["stage_since"])
    case.closed_on = date.fromisoformat(before["closed_on"]) if before.get("closed_on") else None
    case.watch_until = date.fromisoformat(before["watch_until"]) if before.get("watch_until") else None
    undone = audit.record(
        session, actor, "action_undone", case_id=case.id, effective_on=on,
        before={"stage": after.get("stage"), "action": event.action},
        after={"stage": case.stage, "undoes": event.seq, "action": event.action, "reason": why},
    )
    _mark_letters(session, case, made, undone)
    return undone


def _newest(session: Session, model: Any, case: Case) -> Any:
    return session.execute(select(model).where(model.case_id == case.id).order_by(model.id.desc()).limit(1)).scalar_one_or_none()


def _take_back(session: Session, case: Case, label: str) -> None:
    """Remove what one record of the action wrote, by the label its writer gave it
    (``services.records``). A school's record (an academy's trust) is the school's, not the
    case's: it stays."""
    kind = label.split(" ", 1)[0]
    if kind == "concern":
        session.delete(_newest(session, Concern, case))
    elif kind == "classification":
        session.delete(_newest(session, Classification, case))
    elif kind == "priority":
        number = int(label.split(" ")[1])
        session.execute(delete(Priority).where(Priority.case_id == case.id, Priority.number == number))
    elif kind == "meeting":  # "meeting progress_review 12" (the id since corrections; before, the newest)
        parts = label.split(" ")
        meeting = session.get(Meeting, int(parts[2])) if len(parts) > 2 else _newest(session, Meeting, case)
        assert meeting is not None  # the action wrote it and nothing has been recorded since
        session.execute(delete(RagJudgement).where(RagJudgement.meeting_id == meeting.id))
        session.delete(meeting)
    elif label.startswith("warning notice "):  # given by the action, its letter still a draft
        notice_id = int(label.rsplit(" ", 1)[1])
        session.execute(delete(NoticeCopy).where(NoticeCopy.notice_id == notice_id))
        session.execute(delete(WarningNotice).where(WarningNotice.id == notice_id, WarningNotice.case_id == case.id))
    elif kind == "notice":  # "notice N complied": the outcome the action recorded
        notice_id = int(label.split(" ")[1])
        session.execute(update(WarningNotice).where(WarningNotice.id == notice_id).values(outcome=None, outcome_on=None))
    elif label == "statement of action":
        session.delete(_newest(session, StatementOfAction, case))
    session.flush()


def _restore_deadlines(session: Session, case: Case, event: AuditEvent, after: dict[str, Any]) -> None:
    """The deadlines the action set are cancelled (the row stays, saying why); those it
    closed are live again with the status each had."""
    dues = [(d["kind"], date.fromisoformat(d["due"])) for d in after.get("deadlines") or []]
    planned = [(d["kind"], date.fromisoformat(d["due"])) for d in after.get("planned") or []]  # on entering intervention
    for live in (live_deadlines_set_by(session, case.id, event.action, dues)
                 + live_deadlines_set_by(session, case.id, PLANNED_BY, planned)):
        live.status, live.closed_on, live.closed_reason = DeadlineStatus.CANCELLED, event.effective_on, f"{event.action} was undone"
    for deadline_id, status in after.get("closed_deadlines") or []:
        session.execute(update(Deadline).where(Deadline.id == deadline_id, Deadline.case_id == case.id)
                        .values(status=status, closed_on=None, closed_reason=None))


def _mark_letters(session: Session, case: Case, made: list[AuditEvent], undone: int) -> None:
    """Drafts of the undone action's letters withdrawn; its other documents marked."""
    for event in made:
        kind, version = (event.after or {}).get("kind"), (event.after or {}).get("version")
        of_it = (Document.case_id == case.id, Document.kind == kind, Document.version == version)
        session.execute(update(Document).where(*of_it).values(corrected_by=undone))
        session.execute(update(Document).where(*of_it, Document.status == DocumentStatus.DRAFT)
                        .values(status=DocumentStatus.WITHDRAWN))
