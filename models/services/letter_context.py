"""What a template can say about a case: the data of every document, read from its records.

``CONTEXT`` is the whole vocabulary — each top-level name and the attributes it carries —
so ``scc doc check-templates`` can tell an LA which variable in their template the data
model cannot supply before a letter is ever produced. ``case_context`` reads only the
parts a template uses (its undeclared names), so a warning notice does not pay for the
review history a termly report needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.adapters.docx.letterhead import Letterhead
from models.db import audit
from models.db.cases import Case, Classification, Deadline, Meeting, Priority, RagJudgement, StatementOfAction, WarningNotice
from models.db.playbooks import pinned_playbook
from models.db.queries import classification_is_live, deadline_is_live, latest_held_meeting, priority_is_live
from models.db.schools import School
from models.rules import welsh
from models.rules.notice import STATUTORY_NAMES
from models.rules.playbook import ActionSpec, Cadence
from models.rules.text import in_words
from models.rules.titles import of_the_day
from models.rules.words import listed
from models.settings.environment import authority
from models.settings.files import reminder_rules
from models.vocab import MeetingKind, Scheme, SchoolType

__all__ = ["CONTEXT", "RAG_COLOURS", "RAG_WORDS", "action_context", "case_context", "letter_date", "made_by_action",
           "reference_of", "statement_copies"]

# The short code of each document kind in a letter's reference ("SCC/12/WN/1").
REFERENCE_CODES = {
    "category_letter": "CAT", "causing_concern_notification": "CCN", "concern_letter": "CL", "warning_notice": "WN",
    "warning_notice_withdrawal": "WNW", "notice_of_intention": "NOI", "statement_of_action": "SOA", "tig_agenda": "TIGA",
    "tig_minutes": "TIGM", "progress_review_report": "PRR", "note_of_visit": "NOV", "exit_letter": "EXIT",
}
SENT_BY = {"email": "by email", "post": "by post", "hand": "by hand"}
RAG_WORDS = {"green": "very good", "yellow": "strong", "amber": "satisfactory", "red": "limited"}
# A Welsh document's RAG: each colour and what it means, in Welsh.
RAG_NAMES_CY = {"green": "gwyrdd", "yellow": "melyn", "amber": "ambr", "red": "coch"}
RAG_WORDS_CY = {"green": "da iawn", "yellow": "cryf", "amber": "boddhaol", "red": "cyfyngedig"}
RAG_COLOURS = {"green": "00B050", "yellow": "FFFF00", "amber": "FFC000", "red": "FF0000"}  # cell fills


# The language of the letter being read: set by ``case_context`` for the time it builds one,
# so every date of the context is written in the letter's language.
_language: ContextVar[str] = ContextVar("letter_language", default="en")


def _words(day: date | None) -> str:
    return _in_words(day, _language.get()) if day else ""


@lru_cache(maxsize=4096)
def _in_words(day: date, language: str) -> str:
    return in_words(day, language)


# What a Welsh letter says where an English one says these (addressees, salutations, closes,
# how a copy went). Welsh titles take the soft mutation after "Annwyl" (Pennaeth: Bennaeth)
# and the aspirate after "a" (Cadeirydd: Chadeirydd).
WELSH = {
    "Chair of the Governing Body": "Cadeirydd y Corff Llywodraethu",
    "The Chair of the Governing Body": "Cadeirydd y Corff Llywodraethu",
    "The Chair of Governors": "Cadeirydd y Llywodraethwyr",
    "Chair of Governors": "Gadeirydd y Llywodraethwyr",
    "Head Teacher and Chair of Governors": "Bennaeth a Chadeirydd y Llywodraethwyr",
    "The Head Teacher": "Y Pennaeth",
    "Head Teacher": "Pennaeth",
    "Yours sincerely": "Yn gywir",
    "Yours faithfully": "Yn gywir",
    "by email": "drwy e-bost", "by post": "drwy'r post", "by hand": "â llaw",
}


def _said(text: str) -> str:
    """``text`` in the letter's language (the Welsh of ``WELSH``), else as it is."""
    return WELSH.get(text, text) if _language.get() == "cy" else text


def _and(first: str, second: str) -> str:
    """Two names joined: "and" in English; in Welsh "a", or "ac" before a vowel."""
    return (welsh.listed if _language.get() == "cy" else listed)([first, second])


# Every name a template may use and the attributes it has ("*" marks a list of such items).
CONTEXT: dict[str, frozenset[str]] = {
    "letterhead": frozenset({"authority", "department", "address", "telephone", "email", "signatory_name",
                             "signatory_title", "logo"}),
    "letter": frozenset({"date", "date_in_words", "reference", "language"}),
    "case": frozenset({"id", "stage", "stage_title", "stage_since_in_words", "jurisdiction", "reason",
                       "opened_on_in_words", "lead", "ip", "monitoring"}),
    "school": frozenset({"name", "urn", "type", "type_words", "phase", "address"}),
    "addressee": frozenset({"name", "chair", "lines", "salutation", "closing"}),  # the governing body, through its chair
    "joint": frozenset({"lines", "salutation", "closing"}),  # the head teacher and the chair together
    "trust_board": frozenset({"name", "lines", "salutation", "closing"}),  # an academy's trust; none where no trust is on record
    "head": frozenset({"name"}),
    "action": frozenset(),  # the fields of the action that called for the document (any)
    "notice": frozenset({"act", "section", "section_title", "regime_paragraph", "after_failure", "powers_text", "grounds", "reasons",
                         "required_action", "compliance_days", "compliance_end_in_words", "minded_to", "given_on_in_words",
                         "outcome", "outcome_on_in_words"}),
    "copies": frozenset({"*", "role", "line", "name", "email", "sent_on_in_words", "method"}),  # sent: once issued
    "priorities": frozenset({"*", "number", "title", "success_criteria", "lead", "target_in_words", "resources"}),
    "statement": frozenset({"submitted_on_in_words", "target_removal_in_words", "summary"}),
    # judgements: number, title, rating, rating_name (in the letter's language), rating_words, reason
    "review": frozenset({"held_on_in_words", "attendees", "notes", "judgements"}),
    "meeting": frozenset({"kind", "held_on", "held_on_in_words", "attendees", "notes"}),
    "classifications": frozenset({"inspection", "la_category", "support_level", "concern_stage"}),
    "deadlines": frozenset({"*", "kind", "title", "due", "due_in_words", "status"}),
    "powers": frozenset({"*"}),
    "statement_copies": frozenset({"*", "role", "name", "email"}),
    "intervention": frozenset({"after_intention", "by_category"}),  # what the notice of intention says opens intervention
    "rag_words": frozenset({"green", "yellow", "amber", "red"}),
    "rag_colours": frozenset({"green", "yellow", "amber", "red"}),
}
# The kind of meeting whose latest record a document reports on.
MEETING_OF = {"tig_minutes": MeetingKind.TIG, "note_of_visit": MeetingKind.MONITORING_VISIT,
              "tig_agenda": MeetingKind.TIG}
# The documents that are each of one meeting, review or visit: a second review has its own report.
REPORTED_MEETING = {"tig_minutes": MeetingKind.TIG, "note_of_visit": MeetingKind.MONITORING_VISIT,
                    "progress_review_report": MeetingKind.PROGRESS_REVIEW}


def case_context(session: Session, case: Case, kind: str, head: Letterhead, today: date,
                 wanted: Iterable[str], action: Mapping[str, Any] | None = None, version: int = 1,
                 language: str = "en") -> dict[str, Any]:
    """The parts of the context a template uses, for one case, in ``language`` (``cy``: the
    dates, addressees and the statute's wording in Welsh; what people typed stays as typed).

    ``action`` is the fields of the action producing the document, when it is made as that
    action is taken; a document made again later reads them from the action's audit event.
    A letter an action calls for is dated the day the action took effect; one made on
    demand (an agenda) is dated the day it is made.
    """
    token = _language.set(language)
    try:
        return _context(session, case, kind, head, today, set(wanted), action, version, language)
    finally:
        _language.reset(token)


def _context(session: Session, case: Case, kind: str, head: Letterhead, today: date, needed: set[str],
             action: Mapping[str, Any] | None, version: int, language: str) -> dict[str, Any]:
    school = case.school
    fields = dict(action) if action is not None else _action(session, case, kind)
    if action is not None and language != "en":  # the day it took effect, in the letter's language
        fields["on_in_words"] = _words(fields.get("on") if isinstance(fields.get("on"), date) else None)
    dated = letter_date(fields, today)
    context: dict[str, Any] = {
        "letterhead": head,
        "letter": {"date": dated, "date_in_words": _words(dated), "language": language,
                   "reference": reference_of(case.id, kind, version)},
        "school": {"name": school.name, "urn": school.urn, "type": school.type,
                   "type_words": school.type.replace("_", " "), "phase": school.phase, "address": school.address or ""},
        "addressee": _governing_body(school),
        "joint": _head_and_chair(school),
        "head": {"name": school.head_teacher or _said(STATUTORY_NAMES["head"])},
        "action": fields,
        "rag_words": RAG_WORDS_CY if language == "cy" else RAG_WORDS,
        "rag_colours": RAG_COLOURS,
    }
    builders: dict[str, Callable[[], Any]] = {
        "case": lambda: _case(session, case),
        "priorities": lambda: _priorities(session, case),
        "statement": lambda: _statement(session, case),
        "review": lambda: _review(session, case),
        "meeting": lambda: _meeting(session, case, kind),
        "classifications": lambda: _classifications(session, case),
        "deadlines": lambda: _deadlines(session, case),
        "statement_copies": lambda: statement_copies(case, dated),
        "trust_board": lambda: _trust_board(school),
    }
    for name, build in builders.items():
        if name in needed:
            context[name] = build()
    if needed & {"notice", "copies", "powers", "intervention"}:
        context.update(_notice(session, case, fields, head.authority, language))
    return context


def reference_of(case_id: int, kind: str, version: int) -> str:
    """A letter's reference: the case, the kind's short code, the version ("SCC/12/WN/1")."""
    return f"SCC/{case_id}/{REFERENCE_CODES.get(kind, kind.upper())}/{version}"


def letter_date(fields: Mapping[str, Any], today: date) -> date:
    """The day of the action that called for a letter, else the day it is made."""
    on = fields.get("on")
    return on if isinstance(on, date) else today


def _address_lines(school: School) -> list[str]:
    return [part.strip() for part in (school.address or "").split(",") if part.strip()]


def _governing_body(school: School) -> dict[str, Any]:
    """A letter to the governing body, addressed to its chair by name where one is on record."""
    chair = school.chair.name if school.chair else None
    # One addressee line: the chair by name with their office, or the office alone.
    lines = [*([chair, _said("Chair of the Governing Body")] if chair else [_said("The Chair of the Governing Body")]), school.name,
             *_address_lines(school)]
    return {"name": chair or _said("The Chair of Governors"), "chair": chair or "", "lines": lines,
            "salutation": chair or _said("Chair of Governors"), "closing": _said("Yours sincerely" if chair else "Yours faithfully")}


def _head_and_chair(school: School) -> dict[str, Any]:
    head = school.head_teacher
    chair = school.chair.name if school.chair else None
    welsh = _language.get() == "cy"
    lines = [f"{head}, {_said('Head Teacher')}" if head else _said("The Head Teacher"),
             (f"{chair}, Cadeirydd y Llywodraethwyr" if welsh else f"{chair}, Chair of Governors") if chair
             else _said("The Chair of Governors"), school.name, *_address_lines(school)]
    named = head and chair
    return {"lines": lines, "salutation": _and(head, chair) if head and chair else _said("Head Teacher and Chair of Governors"),
            "closing": _said("Yours sincerely" if named else "Yours faithfully")}


def _trust_board(school: School) -> dict[str, Any] | None:
    """A letter to an academy's responsible body: its trust, through the chair of trustees, at
    the trust's address (the academy's own address is not the trust's)."""
    if not school.trust:
        return None
    lines = ["The Chair of Trustees", school.trust, *[p.strip() for p in (school.trust_address or "").split(",") if p.strip()]]
    return {"lines": lines, "salutation": "Chair of Trustees", "closing": "Yours faithfully", "name": school.trust}


def statement_copies(case: Case, on: date) -> list[dict[str, Any]]:
    """The copies of the authority's statement of action: the inspectorate (EA 2005 s15(2)(e)
    in England; in Wales the statement of s40, to Estyn); for a voluntary aided school also
    whoever appoints the foundation governors and, if different, the appropriate appointing
    authority (the diocesan authority by its proper name)."""
    school = case.school
    outside, role = authority(), "estyn" if case.jurisdiction == "wales" else "chief_inspector"
    body = outside.recipient(role)
    named = outside.recipient_name(role, _language.get()) or body["name"]
    copies = [{"role": "inspectorate", "name": of_the_day(named, on), "email": body.get("email")}]
    if school.type == SchoolType.VOLUNTARY_AIDED:
        diocesan = school.diocesan_body
        appointer = school.foundation_appointer or diocesan or STATUTORY_NAMES["foundation_appointer"]
        copies.append({"role": "foundation_appointer", "name": appointer, "email": None})
        if diocesan and diocesan != appointer:
            copies.append({"role": "appointing_authority", "name": diocesan, "email": None})
    return copies


def _case(session: Session, case: Case) -> dict[str, Any]:
    book = pinned_playbook(session, case.playbook, case.playbook_version)
    return {"id": case.id, "stage": case.stage, "stage_title": book.stages.get(case.stage, case.stage),
            "stage_since_in_words": _words(case.stage_since), "jurisdiction": case.jurisdiction, "reason": case.reason,
            "opened_on_in_words": _words(case.opened_on), "lead": case.lead.name if case.lead else "",
            "ip": case.ip.name if case.ip else "",
            "monitoring": _cadence_of(session, case, book.cadence).monitoring if book.cadence else "progress reviews"}


def _cadence_of(session: Session, case: Case, cadence: Cadence) -> Cadence:
    """The cadence for the school's latest classification under the scheme that chooses it
    (a Staffordshire Stage 1 school is visited termly, a Stage 3 one every half-term)."""
    if cadence.scheme is None:
        return cadence
    value = session.execute(
        select(Classification.value).where(Classification.school_id == case.school_id, Classification.scheme == cadence.scheme,
                                           classification_is_live())
        .order_by(Classification.effective_on.desc(), Classification.id.desc()).limit(1)).scalar()
    return replace(cadence.for_classification(value), variants=()) if value is not None else cadence


def _action(session: Session, case: Case, kind: str) -> dict[str, Any]:
    return made_by_action(session, case, kind)[1]


def made_by_action(session: Session, case: Case, kind: str) -> tuple[ActionSpec | None, dict[str, Any]]:
    """The latest action that called for this kind of document and its fields, from its audit event."""
    events = session.execute(
        select(audit.AuditEvent.action, audit.AuditEvent.after, audit.AuditEvent.effective_on)
        .where(audit.AuditEvent.case_id == case.id).order_by(audit.AuditEvent.seq.desc())
    )
    for action, after, effective_on in events:
        if kind in after.get("documents_due", []):
            spec = pinned_playbook(session, case.playbook, case.playbook_version).actions.get(action)
            return spec, action_context(spec, after.get("fields", {}), effective_on)
    return None, {}


def action_context(spec: ActionSpec | None, fields: Mapping[str, Any], on: date | None) -> dict[str, Any]:
    """An action's fields as a template reads them: as recorded in the audit log, with an
    optional field left out reading as blank, and the day it took effect."""
    optional = {f.name: "" for f in spec.fields} if spec else {}
    return {**optional, **fields, "on": on, "on_in_words": _words(on)}


def _priorities(session: Session, case: Case) -> list[dict[str, Any]]:
    return [{"number": p.number, "title": p.title, "success_criteria": p.success_criteria, "lead": p.lead or "",
             "target_in_words": _words(p.target_on), "resources": p.resources or ""}
            for p in session.execute(select(Priority).where(Priority.case_id == case.id, priority_is_live()).order_by(Priority.number)).scalars()]


def _statement(session: Session, case: Case) -> dict[str, Any] | None:
    found = session.execute(select(StatementOfAction).where(StatementOfAction.case_id == case.id)
                            .order_by(StatementOfAction.id.desc()).limit(1)).scalar()
    if found is None:
        return None
    return {"submitted_on_in_words": _words(found.submitted_on),
            "target_removal_in_words": _words(found.target_removal_on), "summary": found.summary}


def _review(session: Session, case: Case) -> dict[str, Any] | None:
    meeting = session.execute(
        latest_held_meeting(case.id, MeetingKind.PROGRESS_REVIEW)
        .options(selectinload(Meeting.judgements).selectinload(RagJudgement.priority))
    ).scalar()
    if meeting is None or meeting.held_on is None:
        return None
    return {"held_on_in_words": _words(meeting.held_on), "attendees": meeting.attendees or "", "notes": meeting.notes or "",
            "judgements": sorted(({"number": j.priority.number, "title": j.priority.title, "rating": j.rating,
                                   "rating_words": (RAG_WORDS_CY if _language.get() == "cy" else RAG_WORDS)[j.rating],
                                   "rating_name": RAG_NAMES_CY[j.rating] if _language.get() == "cy" else j.rating,
                                   "reason": j.reason or ""}
                                  for j in meeting.judgements), key=lambda j: j["number"])}


def _meeting(session: Session, case: Case, kind: str) -> dict[str, Any] | None:
    meeting_kind = MEETING_OF.get(kind)
    if meeting_kind is None:
        return None
    meeting = session.execute(latest_held_meeting(case.id, meeting_kind)).scalar()
    if meeting is None or meeting.held_on is None:
        return None
    return {"kind": meeting.kind, "held_on": meeting.held_on, "held_on_in_words": _words(meeting.held_on),
            "attendees": meeting.attendees or "", "notes": meeting.notes or ""}


def _classifications(session: Session, case: Case) -> dict[str, str]:
    """The latest value of each classification of the school ('' where none is on record)."""
    latest: dict[str, str] = {scheme.value: "" for scheme in Scheme}
    for scheme, value in session.execute(
        select(Classification.scheme, Classification.value).where(Classification.school_id == case.school_id, classification_is_live())
        .order_by(Classification.effective_on, Classification.id)
    ):
        latest[scheme] = value.replace("_", " ")
    return latest


def _deadlines(session: Session, case: Case) -> list[dict[str, Any]]:
    rules = reminder_rules()
    return [{"kind": d.kind, "title": rules.for_kind(d.kind).title_in(_language.get()),
             "due": d.due, "due_in_words": _words(d.due), "status": d.status}
            for d in session.execute(select(Deadline).where(Deadline.case_id == case.id,
                                                            deadline_is_live())
                                     .order_by(Deadline.due, Deadline.id)).scalars()]


def _notice(session: Session, case: Case, fields: Mapping[str, Any], authority_name: str, language: str) -> dict[str, Any]:
    """The latest warning notice in the words of its section and regime (in ``language`` where
    the playbook words it so), its copies as sent, and the powers a notice of intention names."""
    pinned = pinned_playbook(session, case.playbook, case.playbook_version).notice
    rules = pinned.in_language(language) if pinned else None
    context: dict[str, Any] = {"powers": [rules.powers.get(p, p) if rules else p for p in fields.get("powers") or []]}
    if rules is not None:
        context["intervention"] = {"after_intention": rules.after_intention,
                                   "by_category": rules.by_category.format(school=case.school.name)}
    notice = session.execute(
        select(WarningNotice).where(WarningNotice.case_id == case.id).order_by(WarningNotice.id.desc())
        .options(selectinload(WarningNotice.copies)).limit(1)
    ).scalar()
    if notice is None or rules is None:
        return context
    section = rules.section(notice.section)
    regime = rules.regime_on(notice.given_on, notice.section)
    context["notice"] = {
        "act": rules.act if language != "en" else notice.act, "section": notice.section, "section_title": section.title,
        "regime_paragraph": of_the_day(regime.paragraph.format(initial_period_end=_words(notice.compliance_end),
                                                               authority=authority_name), notice.given_on),
        "after_failure": rules.after_failure.format(minded_to=notice.minded_to, powers_text=section.powers_text),
        "powers_text": section.powers_text,
        "grounds": [rules.grounds.get(g, g) for g in notice.grounds],
        # the draft's text as the lead edited it, until it is issued and the notice keeps it
        "reasons": fields.get("reasons") or notice.reasons,
        "required_action": fields.get("required_action") or notice.required_action, "compliance_days": notice.compliance_days,
        "compliance_end_in_words": _words(notice.compliance_end), "minded_to": notice.minded_to,
        "given_on_in_words": _words(notice.given_on), "outcome": notice.outcome or "",
        "outcome_on_in_words": _words(notice.outcome_on),
    }
    outside = authority()
    context["copies"] = [{"role": c.role, "name": c.name, "email": c.email, "sent_on_in_words": _words(c.sent_on),
                          "method": _said(SENT_BY.get(c.method or "", "")),
                          "line": f"{c.name}, {_said('Head Teacher')}" if c.role == "head" and c.name != "The Head Teacher"
                          else _said(c.name) if c.role == "head"
                          else of_the_day(outside.recipient_name(c.role, language) or c.name, notice.given_on)}
                         for c in notice.copies]
    return context
