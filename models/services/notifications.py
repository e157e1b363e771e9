"""Keeping the case team informed: when an action sets deadlines, the case's lead and IP
are told what changed and when each new deadline falls (one email each, keyed by the
action's audit event, so a retried flow sends it once)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from models.adapters.mail.templates import render_email
from models.db.cases import Case
from models.db.playbooks import pinned_playbook
from models.rules.deadlines import PlannedDeadline
from models.rules.text import in_words
from models.services.outbox import queue
from models.settings.files import reminder_rules

__all__ = ["queue_case_update"]


def queue_case_update(session: Session, case: Case, action: str, deadlines: Sequence[PlannedDeadline], event: int) -> int:
    """Queue the update for an action that set deadlines; keyed by its audit event."""
    if not deadlines:
        return 0
    rules = reminder_rules()
    listed = [{"title": rules.for_kind(d.kind).title, "due_in_words": in_words(d.due), "explanation": d.explanation}
              for d in deadlines]
    book = pinned_playbook(session, case.playbook, case.playbook_version)
    spec = book.actions.get(action)
    words = spec.title if spec else action.replace("_", " ")
    stage = book.stages.get(case.stage, case.stage)
    people = {p.email: p for p in (case.lead, case.ip) if p is not None}
    rows = [
        {"key": f"update:{event}:{email}", "kind": "case_update", "case_id": case.id, "deadline_id": None,
         "recipient_email": email, "recipient_name": person.name,
         "subject": f"{case.school.name}: {words}"[:500],
         "body": render_email("case_update", {
             "recipient": {"name": person.name, "email": email}, "case": {"id": case.id, "stage": stage},
             "school": {"name": case.school.name}, "action": words, "deadlines": listed, "authority": case.school.authority.name,
         })}
        for email, person in people.items()
    ]
    return queue(session, rows)
