"""What a template can say about a case: the data of every document, read from its records.

``CONTEXT`` is the whole vocabulary — each top-level name and the attributes it carries —
so ``scc doc check-templates`` can tell an LA which variable in their template the data
model cannot supply before a letter is ever produced. ``case_context`` reads only the
parts a template uses (its undeclared names), so a warning notice does not pay for the
review history a termly report needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.adapters.docx.letterhead import Letterhead
from models.db import audit
from models.db.cases import Case, Classification, Deadline, Meeting, Priority, RagJudgement, StatementOfAction, WarningNotice
from models.db.queries import deadline_is_live, latest_held_meeting
from models.rules.playbook import ActionSpec
from models.settings.files import pinned_playbook, reminder_rules
from models.vocab import MeetingKind, Scheme

__all__ = ["CONTEXT", "action_context", "POWERS", "RAG_COLOURS", "RAG_WORDS", "ROLE_TITLES", "case_context", "in_words"]

ROLE_TITLES = {
    "head": "Head Teacher",
    "foundation_appointer": "appointer of the foundation governors",
    "diocese": "diocesan authority",
    "regional_director": "Regional Director, for the Secretary of State",
    "welsh_ministers": "Welsh Ministers",
}
# The intervention powers a notice of intention can name, in the words of the statutes.
POWERS = {
    "s63": "require the governing body to enter into arrangements for advice or collaboration (section 63)",
    "s64": "appoint additional governors (section 64)",
    "s65": "replace the governing body with an interim executive board, with the Secretary of State's consent (section 65)",
    "s66": "suspend the school's right to a delegated budget (section 66)",
    "s5": "require the governing body to secure advice or collaborate (section 5)",
    "s6": "appoint additional governors (section 6)",
    "s7": "replace the governing body with an interim executive board (section 7)",
    "s8": "suspend the school's right to a delegated budget (section 8)",
    "s9": "give directions to the governing body or head teacher (section 9)",
}
RAG_WORDS = {"green": "very good", "yellow": "strong", "amber": "satisfactory", "red": "limited"}
RAG_COLOURS = {"green": "00B050", "yellow": "FFFF00", "amber": "FFC000", "red": "FF0000"}  # cell fills


@lru_cache(maxsize=4096)
def in_words(day: date) -> str:
    """A date as a letter writes it: Friday 18 December 2026."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def _words(day: date | None) -> str:
    return in_words(day) if day else ""


# Every name a template may use and the attributes it has ("*" marks a list of such items).
CONTEXT: dict[str, frozenset[str]] = {
    "letterhead": frozenset({"authority", "department", "address", "telephone", "email", "signatory_name",
                             "signatory_title", "logo"}),
    "letter": frozenset({"date", "date_in_words"}),
    "case": frozenset({"id", "stage", "stage_title", "stage_since_in_words", "jurisdiction", "reason",
                       "opened_on_in_words", "lead", "ip"}),
    "school": frozenset({"name", "urn", "type", "type_words", "phase", "address"}),
    "addressee": frozenset({"name"}),
    "head": frozenset({"name"}),
    "action": frozenset(),  # the fields of the action that called for the document (any)
    "notice": frozenset({"act", "section", "section_number", "regime", "grounds", "reasons", "required_action",
                         "compliance_days", "compliance_end_in_words", "minded_to", "given_on_in_words", "outcome",
                         "outcome_on_in_words"}),
    "copies": frozenset({"*", "role", "role_title", "name", "email", "sent_on"}),
    "priorities": frozenset({"*", "number", "title", "success_criteria", "lead", "target_in_words", "resources"}),
    "statement": frozenset({"submitted_on_in_words", "target_removal_in_words", "summary"}),
    "review": frozenset({"held_on_in_words", "attendees", "notes", "judgements"}),
    "meeting": frozenset({"kind", "held_on_in_words", "attendees", "notes"}),
    "classifications": frozenset({"inspection", "la_category", "support_level", "concern_stage"}),
    "deadlines": frozenset({"*", "kind", "title", "due_in_words", "status"}),
    "powers": frozenset({"*"}),
    "rag_words": frozenset({"green", "yellow", "amber", "red"}),
    "rag_colours": frozenset({"green", "yellow", "amber", "red"}),
}
# The kind of meeting whose latest record a document reports on.
MEETING_OF = {"tig_minutes": MeetingKind.TIG, "note_of_visit": MeetingKind.MONITORING_VISIT,
              "tig_agenda": MeetingKind.TIG}


def case_context(session: Session, case: Case, kind: str, head: Letterhead, today: date,
                 wanted: Iterable[str], action: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parts of the context a template uses, for one case.

    ``action`` is the fields of the action producing the document, when it is made as that
    action is taken; a document made again later reads them from the action's audit event.
    """
    needed = set(wanted)
    school = case.school
    context: dict[str, Any] = {
        "letterhead": head,
        "letter": {"date": today, "date_in_words": in_words(today)},
        "school": {"name": school.name, "urn": school.urn, "type": school.type,
                   "type_words": school.type.replace("_", " "), "phase": school.phase, "address": school.address or ""},
        "addressee": {"name": school.chair.name if school.chair else "The Chair of Governors"},
        "head": {"name": school.head.name if school.head else "The Head Teacher"},
        "rag_words": RAG_WORDS,
        "rag_colours": RAG_COLOURS,
    }
    builders: dict[str, Callable[[], Any]] = {
        "case": lambda: _case(session, case),
        "action": lambda: dict(action) if action is not None else _action(session, case, kind),
        "priorities": lambda: _priorities(session, case),
        "statement": lambda: _statement(session, case),
        "review": lambda: _review(session, case),
        "meeting": lambda: _meeting(session, case, kind),
        "classifications": lambda: _classifications(session, case),
        "deadlines": lambda: _deadlines(session, case),
    }
    for name, build in builders.items():
        if name in needed:
            context[name] = build()
    if needed & {"notice", "copies"}:
        context.update(_notice(session, case))
    if "powers" in needed:
        chosen = (context["action"] if "action" in context else builders["action"]()).get("powers", [])
        context["powers"] = [POWERS.get(p, p) for p in chosen]
    return context


def _case(session: Session, case: Case) -> dict[str, Any]:
    book = pinned_playbook(session, case.playbook, case.playbook_version)
    return {"id": case.id, "stage": case.stage, "stage_title": book.stages.get(case.stage, case.stage),
            "stage_since_in_words": in_words(case.stage_since), "jurisdiction": case.jurisdiction, "reason": case.reason,
            "opened_on_in_words": in_words(case.opened_on), "lead": case.lead.name if case.lead else "",
            "ip": case.ip.name if case.ip else ""}


def _action(session: Session, case: Case, kind: str) -> dict[str, Any]:
    """The fields of the latest action that called for this kind of document, from its audit event."""
    events = session.execute(
        select(audit.AuditEvent.action, audit.AuditEvent.after, audit.AuditEvent.effective_on)
        .where(audit.AuditEvent.case_id == case.id).order_by(audit.AuditEvent.seq.desc())
    )
    for action, after, effective_on in events:
        if kind in after.get("documents_due", []):
            spec = pinned_playbook(session, case.playbook, case.playbook_version).actions.get(action)
            return action_context(spec, after.get("fields", {}), effective_on)
    return {}


def action_context(spec: ActionSpec | None, fields: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """An action's fields as a template reads them: as recorded in the audit log, with an
    optional field left out reading as blank."""
    optional = {f.name: "" for f in spec.fields} if spec else {}
    return {**optional, **fields, "on_in_words": _words(on)}


def _priorities(session: Session, case: Case) -> list[dict[str, Any]]:
    return [{"number": p.number, "title": p.title, "success_criteria": p.success_criteria, "lead": p.lead or "",
             "target_in_words": _words(p.target_on), "resources": p.resources or ""}
            for p in session.execute(select(Priority).where(Priority.case_id == case.id).order_by(Priority.number)).scalars()]


def _statement(session: Session, case: Case) -> dict[str, Any] | None:
    found = session.execute(select(StatementOfAction).where(StatementOfAction.case_id == case.id)
                            .order_by(StatementOfAction.id.desc()).limit(1)).scalar()
    if found is None:
        return None
    return {"submitted_on_in_words": in_words(found.submitted_on),
            "target_removal_in_words": in_words(found.target_removal_on), "summary": found.summary}


def _review(session: Session, case: Case) -> dict[str, Any] | None:
    meeting = session.execute(
        latest_held_meeting(case.id, MeetingKind.PROGRESS_REVIEW)
        .options(selectinload(Meeting.judgements).selectinload(RagJudgement.priority))
    ).scalar()
    if meeting is None or meeting.held_on is None:
        return None
    return {"held_on_in_words": in_words(meeting.held_on), "attendees": meeting.attendees or "", "notes": meeting.notes or "",
            "judgements": sorted(({"number": j.priority.number, "title": j.priority.title, "rating": j.rating,
                                   "rating_words": RAG_WORDS[j.rating], "reason": j.reason or ""}
                                  for j in meeting.judgements), key=lambda j: j["number"])}


def _meeting(session: Session, case: Case, kind: str) -> dict[str, Any] | None:
    meeting_kind = MEETING_OF.get(kind)
    if meeting_kind is None:
        return None
    meeting = session.execute(latest_held_meeting(case.id, meeting_kind)).scalar()
    if meeting is None or meeting.held_on is None:
        return None
    return {"kind": meeting.kind, "held_on_in_words": in_words(meeting.held_on), "attendees": meeting.attendees or "",
            "notes": meeting.notes or ""}


def _classifications(session: Session, case: Case) -> dict[str, str]:
    """The latest value of each classification of the school ('' where none is on record)."""
    latest: dict[str, str] = {scheme.value: "" for scheme in Scheme}
    for scheme, value in session.execute(
        select(Classification.scheme, Classification.value).where(Classification.school_id == case.school_id)
        .order_by(Classification.effective_on, Classification.id)
    ):
        latest[scheme] = value.replace("_", " ")
    return latest


def _deadlines(session: Session, case: Case) -> list[dict[str, Any]]:
    rules = reminder_rules()
    return [{"kind": d.kind, "title": rules.for_kind(d.kind).title, "due_in_words": in_words(d.due), "status": d.status}
            for d in session.execute(select(Deadline).where(Deadline.case_id == case.id,
                                                            deadline_is_live())
                                     .order_by(Deadline.due, Deadline.id)).scalars()]


def _notice(session: Session, case: Case) -> dict[str, Any]:
    notice = session.execute(
        select(WarningNotice).where(WarningNotice.case_id == case.id).order_by(WarningNotice.id.desc())
        .options(selectinload(WarningNotice.copies)).limit(1)
    ).scalar()
    if notice is None:
        return {}
    rules = pinned_playbook(session, case.playbook, case.playbook_version).notice
    wording = rules.grounds if rules else {}
    return {
        "notice": {
            "act": notice.act, "section": notice.section, "section_number": notice.section.removeprefix("s"),
            "regime": notice.regime, "grounds": [wording.get(g, g) for g in notice.grounds], "reasons": notice.reasons,
            "required_action": notice.required_action, "compliance_days": notice.compliance_days,
            "compliance_end_in_words": in_words(notice.compliance_end), "minded_to": notice.minded_to,
            "given_on_in_words": in_words(notice.given_on), "outcome": notice.outcome or "",
            "outcome_on_in_words": _words(notice.outcome_on),
        },
        "copies": [{"role": c.role, "role_title": ROLE_TITLES.get(c.role, c.role), "name": c.name, "email": c.email,
                    "sent_on": c.sent_on} for c in notice.copies],
    }
