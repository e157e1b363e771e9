"""Keeping the case team informed: when an action sets deadlines, the case's lead and IP
are told what changed and when each new deadline falls (one email each, keyed by the
action's audit event, so a retried flow sends it once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from models.adapters.mail.templates import render_email
from models.db.cases import Case
from models.db.playbooks import pinned_playbook
from models.rules.calendar import welsh_explanation
from models.rules.deadlines import PlannedDeadline
from models.rules.text import in_words
from models.services.authorities import name_in
from models.services.outbox import queue
from models.settings.catalog import translated
from models.settings.files import calendar_named, reminder_rules
from models.vocab import Language

__all__ = ["queue_case_update"]


def queue_case_update(session: Session, case: Case, action: str, deadlines: Sequence[PlannedDeadline], event: int) -> int:
    """Queue the update for an action that set deadlines; keyed by its audit event. Each
    person is written to in their own language: in Welsh the stage, the action and each
    deadline by their Welsh names, and how each date was counted said again in Welsh."""
    if not deadlines:
        return 0
    book = pinned_playbook(session, case.playbook, case.playbook_version)
    spec = book.actions.get(action)
    words = spec.title if spec else action.replace("_", " ")
    stage = book.stages.get(case.stage, case.stage)
    people = {p.email: p for p in (case.lead, case.ip) if p is not None}
    said = {language: _said(case, words, stage, deadlines, language)
            for language in {Language.written_to(p.language) for p in people.values()}}
    rows = []
    for email, person in people.items():
        language = Language.written_to(person.language)
        subject, context = said[language]
        rows.append({"key": f"update:{event}:{email}", "kind": "case_update", "case_id": case.id, "deadline_id": None,
                     "recipient_email": email, "recipient_name": person.name, "subject": subject[:500],
                     "body": render_email("case_update.cy" if language == Language.WELSH else "case_update",
                                          {**context, "recipient": {"name": person.name, "email": email}})})
    return queue(session, rows)


def _said(case: Case, action: str, stage: str, deadlines: Sequence[PlannedDeadline], language: str) -> tuple[str, dict[str, Any]]:
    """An update's subject and what its email says, in ``language``."""
    rules = reminder_rules()
    if language == Language.WELSH:
        calendar = calendar_named(case.calendar)
        action, stage = translated(action, language), translated(stage, language)
        listed = [{"title": rules.for_kind(d.kind).title_in(language), "due_in_words": in_words(d.due, language),
                   "explanation": welsh_explanation(calendar, d.counted_from, d.amount, d.unit, d.basis, d.due, None) or d.explanation}
                  for d in deadlines]
    else:
        listed = [{"title": rules.for_kind(d.kind).title, "due_in_words": in_words(d.due), "explanation": d.explanation}
                  for d in deadlines]
    return f"{case.school.name}: {action}", {"case": {"id": case.id, "stage": stage}, "school": {"name": case.school.name},
                                             "action": action, "deadlines": listed,
                                             "authority": name_in(case.school.authority, language)}
