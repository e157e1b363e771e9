"""Correcting what a case records, never rewriting it: a priority amended or withdrawn with a
reason, the audit log keeping both the original and the correction.

A correction is allowed to the roles that may take the action that made the entry (an IP
may add a priority, so an IP may correct one). Its audit event names the event that made
the entry (``corrects``), so a reader of the history sees what was first recorded, what it
became and why. Documents made from the entry before the correction are marked (``Document.
corrected_by``) until a new version is made, so nobody sends a letter that no longer says
what the case records.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.db import audit
from models.db.audit import AuditEvent
from models.db.cases import Case, Classification, Deadline, Document, Meeting, Priority
from models.db.queries import by_id, live_deadlines_set_by
from models.errors import DocumentError, GuardFailed, InvalidInput, NotFound
from models.messages import N_, Words
from models.rules.fields import parse_fields
from models.rules.playbook import Playbook
from models.rules.text import LONG_TEXT, checked_text
from models.services.cases import case_playbook
from models.services.documents import template_variables
from models.vocab import DeadlineStatus, Role

__all__ = ["PRIORITY_FIELDS", "amend_priority", "correction_reason", "field_text", "may_correct", "withdraw_classification", "withdraw_meeting",
           "withdraw_priority"]

# The action whose records a priority correction changes, and the fields it may change.
ADDS_PRIORITY = "add_priority"
PRIORITY_FIELDS = ("title", "success_criteria", "lead", "target_on", "resources")


def correction_reason(reason: str) -> str:
    """The reason a correction or an undo must give, checked as any long text."""
    if not reason.strip():
        raise InvalidInput(N_("a correction needs a reason: say what was wrong"))
    return checked_text(reason.strip(), Words(N_("the reason")), limit=LONG_TEXT, lines=True)


def may_correct(book: Playbook, action: str, role: Role) -> None:
    """The roles that may take the action that made an entry may correct it."""
    spec = book.actions.get(action)
    if spec is None:
        raise GuardFailed(N_("playbook %(playbook)s has no action %(action)s: its entries cannot be corrected here"), playbook=book.name,
                          action=action)
    if role not in spec.roles:
        raise GuardFailed(N_("only %(roles)s may correct what '%(action)s' recorded"), roles=", ".join(sorted(r.value for r in spec.roles)),
                          action=action)


def _priority(session: Session, case: Case, number: int) -> Priority:
    found = session.execute(select(Priority).where(Priority.case_id == case.id, Priority.number == number)).scalar_one_or_none()
    if found is None:
        raise NotFound(N_("case %(case)s has no priority %(number)s"), case=case.id, number=number)
    if found.withdrawn_on is not None:
        raise GuardFailed(N_("priority %(number)s of case %(case)s was withdrawn on %(on)s: add a new priority instead"),
                          number=number, case=case.id, on=found.withdrawn_on)
    return found


def _made_by(session: Session, case: Case, label: str, action: str | None = ADDS_PRIORITY) -> AuditEvent | None:
    """The audit event of the action that wrote a record, by the label the writer gave it."""
    query = select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return next((e for e in session.execute(query).scalars() if label in ((e.after or {}).get("records") or [])), None)


def _seq(event: AuditEvent | None) -> int | None:
    return event.seq if event else None


def _mark_documents(session: Session, case: Case, uses: frozenset[str], event: int) -> None:
    """The latest version of each of the case's documents made from any of ``uses`` (names a
    template reads) is now made before a correction."""
    latest = (select(Document.kind, func.max(Document.version).label("version")).where(Document.case_id == case.id)
              .group_by(Document.kind).subquery())
    rows = session.execute(select(Document.id, Document.kind).join(
        latest, (Document.kind == latest.c.kind) & (Document.version == latest.c.version)).where(Document.case_id == case.id)).all()
    ids = [doc_id for doc_id, kind in rows if _uses(kind, uses)]
    if ids:
        session.execute(update(Document).where(Document.id.in_(ids)).values(corrected_by=event))


def _uses(kind: str, names: frozenset[str]) -> bool:
    try:
        return not names.isdisjoint(template_variables(kind))
    except (DocumentError, InvalidInput):  # a kind with no template any more (an LA's removed letter): nothing to remake
        return False


def field_text(value: Any) -> str:
    """A recorded value as a form field holds it: a date as YYYY-MM-DD, nothing as empty."""
    return value.isoformat() if isinstance(value, date) else "" if value is None else str(value)


def amend_priority(session: Session, case: Case, number: int, changes: Mapping[str, str], reason: str,
                   actor: str, role: Role, on: date) -> Priority:
    """Change some fields of a priority; every field is checked as when it was added."""
    book = case_playbook(session, case)
    may_correct(book, ADDS_PRIORITY, role)
    why = correction_reason(reason)
    unknown = sorted(set(changes) - set(PRIORITY_FIELDS))
    if unknown:
        raise InvalidInput(N_("a priority has no field %(unknown)s: its fields are %(known)s"), unknown=", ".join(unknown),
                           known=", ".join(PRIORITY_FIELDS))
    if not changes:
        raise InvalidInput(N_("give the field(s) to correct: %(known)s"), known=", ".join(PRIORITY_FIELDS))
    priority = _priority(session, case, number)
    before = {name: getattr(priority, name) for name in PRIORITY_FIELDS}
    raw = {name: field_text(value) for name, value in before.items() if value is not None}
    raw.update({name: value.strip() for name, value in changes.items()})
    raw = {name: value for name, value in raw.items() if value}
    fields = parse_fields(ADDS_PRIORITY, book.actions[ADDS_PRIORITY].fields, raw)
    changed = {name for name in PRIORITY_FIELDS if fields.get(name) != before[name]}
    if not changed:
        raise InvalidInput(N_("priority %(number)s already says that: nothing to correct"), number=number)
    for name in changed:
        setattr(priority, name, fields.get(name))
    event = audit.record(
        session, actor, "priority_amended", case_id=case.id, effective_on=on,
        before={"priority": number, **audit.jsonable({k: before[k] for k in sorted(changed)})},
        after={"priority": number, **audit.jsonable({k: fields.get(k) for k in sorted(changed)}), "reason": why,
               "corrects": _seq(_made_by(session, case, f"priority {number}"))},
    )
    _mark_documents(session, case, frozenset({"priorities"}), event)
    return priority


def withdraw_priority(session: Session, case: Case, number: int, reason: str, actor: str, role: Role, on: date) -> Priority:
    """Withdraw a priority added in error or no longer pursued: it leaves the reviews (a
    review no longer needs its RAG), the statement of action and the reports."""
    book = case_playbook(session, case)
    may_correct(book, ADDS_PRIORITY, role)
    why = correction_reason(reason)
    priority = _priority(session, case, number)
    priority.withdrawn_on, priority.withdrawn_reason = on, why
    event = audit.record(
        session, actor, "priority_withdrawn", case_id=case.id, effective_on=on,
        before={"priority": number, "title": priority.title},
        after={"priority": number, "withdrawn_on": on.isoformat(), "reason": why,
               "corrects": _seq(_made_by(session, case, f"priority {number}"))},
    )
    _mark_documents(session, case, frozenset({"priorities"}), event)
    return priority


def withdraw_meeting(session: Session, case: Case, meeting_id: int, reason: str, actor: str, role: Role, on: date) -> Meeting:
    """Withdraw a meeting, review or visit recorded in error: it leaves the reviews' history,
    the reports and the guards, and the deadline its recording met is due again."""
    book = case_playbook(session, case)
    why = correction_reason(reason)
    meeting = by_id(session, Meeting, meeting_id)
    if meeting is None or meeting.case_id != case.id or meeting.held_on is None:
        raise NotFound(N_("case %(case)s has no meeting %(meeting)s on record"), case=case.id, meeting=meeting_id)
    if meeting.withdrawn_on is not None:
        raise GuardFailed(N_("meeting %(meeting)s was already withdrawn on %(on)s"), meeting=meeting_id, on=meeting.withdrawn_on)
    made = _made_by(session, case, f"meeting {meeting.kind} {meeting.id}", action=None)
    if made is not None:
        may_correct(book, made.action, role)
    else:  # recorded before meetings were labelled by id: anyone who may record a meeting of its kind
        makers = [a for a in book.actions.values() if any(r.options.get("kind") == meeting.kind for r in a.records)]
        if not any(role in a.roles for a in makers):
            raise GuardFailed(N_("only those who record a %(meeting)s may withdraw one"), meeting=meeting.kind.replace("_", " "))
    meeting.withdrawn_on, meeting.withdrawn_reason = on, why
    due_again = _due_again(session, case, made)
    event = audit.record(
        session, actor, "meeting_withdrawn", case_id=case.id, effective_on=on,
        before={"meeting": meeting.id, "kind": meeting.kind, "held_on": meeting.held_on.isoformat()},
        after={"meeting": meeting.id, "withdrawn_on": on.isoformat(), "reason": why, "corrects": _seq(made),
               "due_again": due_again},
    )
    _mark_documents(session, case, frozenset({"review", "meeting"}), event)
    return meeting


def _due_again(session: Session, case: Case, made: AuditEvent | None) -> list[int]:
    """The deadlines the withdrawn record's action met, live again if nothing else has closed them since."""
    if made is None:
        return []
    reopened = []
    for deadline_id, status in (made.after or {}).get("closed_deadlines") or []:
        deadline = session.get(Deadline, deadline_id)
        if deadline is not None and deadline.case_id == case.id and deadline.closed_reason == f"met by {made.action}":
            deadline.status, deadline.closed_on, deadline.closed_reason = status, None, None
            reopened.append(deadline_id)
    return reopened


def withdraw_classification(session: Session, case: Case, classification_id: int, reason: str, actor: str, role: Role,
                            on: date) -> Classification:
    """Withdraw a classification this case recorded in error (the wrong school, the wrong
    category): the school's history keeps it, marked; it places the school in nothing; the
    deadlines its action set and that are still live are cancelled, saying why."""
    book = case_playbook(session, case)
    why = correction_reason(reason)
    found = by_id(session, Classification, classification_id)
    if found is None or found.case_id != case.id:
        raise NotFound(N_("case %(case)s recorded no classification %(classification)s"), case=case.id,
                       classification=classification_id)
    if found.withdrawn_on is not None:
        raise GuardFailed(N_("classification %(classification)s was already withdrawn on %(on)s"), classification=classification_id,
                          on=found.withdrawn_on)
    made = _made_by(session, case, f"classification {found.scheme}={found.value}", action=None)
    if made is not None and made.action in book.actions:
        may_correct(book, made.action, role)
    elif role not in (Role.LEAD, Role.SENIOR):  # recorded outside any action (an import, a reopening)
        raise GuardFailed(N_("only a lead or a senior officer may withdraw this classification"))
    found.withdrawn_on, found.withdrawn_reason = on, why
    cancelled = _cancel_set_by(session, case, made, f"{made.action if made else 'the classification'} was withdrawn")
    event = audit.record(
        session, actor, "classification_withdrawn", case_id=case.id, effective_on=on,
        before={"classification": found.id, "scheme": found.scheme, "value": found.value},
        after={"classification": found.id, "withdrawn_on": on.isoformat(), "reason": why, "corrects": _seq(made),
               "cancelled": cancelled},
    )
    _mark_documents(session, case, frozenset({"classifications"}), event)
    return found


def _cancel_set_by(session: Session, case: Case, made: AuditEvent | None, reason: str) -> list[int]:
    """The live deadlines an action set (by kind and due day, as its event lists them), cancelled."""
    if made is None:
        return []
    dues = [(d["kind"], date.fromisoformat(d["due"])) for d in (made.after or {}).get("deadlines") or []]
    cancelled = []
    for live in live_deadlines_set_by(session, case.id, made.action, dues):
        live.status, live.closed_on, live.closed_reason = DeadlineStatus.CANCELLED, made.effective_on, reason
        cancelled.append(live.id)
    return cancelled
