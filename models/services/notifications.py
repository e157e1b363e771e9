"""Keeping the case team informed: when an action sets deadlines, the case's lead and IP
are told what changed and when each new deadline falls (one email each, keyed by the
action's audit event, so a retried flow sends it once)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from models.db.cases import Case
from models.adapters.docx.context import in_words
from models.adapters.mail.templates import render_email
from models.services.outbox import queue
from models.rules.reminders import reminder_rules
from models.settings.environment import authority

__all__ = ["queue_case_update"]


def queue_case_update(session: Session, case_id: int, applied: dict[str, Any]) -> int:
    """Queue the update for an applied action (``applied`` as ``scc case advance --json`` shows it)."""
    if not applied["deadlines"]:
        return 0
    case = session.get(Case, case_id)
    assert case is not None
    rules = reminder_rules()
    deadlines = [{"title": rules.for_kind(d["kind"]).title, "due_in_words": in_words(date.fromisoformat(d["due"])),
                  "explanation": d["explanation"]} for d in applied["deadlines"]]
    action = applied["action"].replace("_", " ")
    people = {p.email: p for p in (case.lead, case.ip) if p is not None}
    rows = [
        {"key": f"update:{applied['event']}:{email}", "kind": "case_update", "case_id": case.id, "deadline_id": None,
         "recipient_email": email, "recipient_name": person.name,
         "subject": f"{case.school.name}: {action} recorded",
         "body": render_email("case_update", {
             "recipient": {"name": person.name, "email": email}, "case": {"id": case.id, "stage": case.stage},
             "school": {"name": case.school.name}, "action": action, "deadlines": deadlines, "authority": authority().name,
         })}
        for email, person in people.items()
    ]
    return queue(session, rows)
