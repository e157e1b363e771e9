"""The domain records an action writes besides moving its case: one writer per record type.

A playbook names the records of an action (``record = ["warning_notice"]``) and the loader
checks that the action has every field a record reads (``RECORD_FIELDS``), so a writer can
index its fields without a ``KeyError``. ``write_record`` looks the writer up in
``WRITERS``; each returns a short label the audit event lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models.db.cases import (
    Case,
    Classification,
    Concern,
    Meeting,
    NoticeCopy,
    Priority,
    RagJudgement,
    StatementOfAction,
    WarningNotice,
)
from models.db.queries import priority_is_live
from models.db.schools import School
from models.errors import GuardFailed
from models.messages import N_, Words
from models.rules.deadlines import PlannedDeadline
from models.rules.notice import STATUTORY_NAMES
from models.rules.playbook import Playbook, RecordSpec, RecordType, Step
from models.rules.text import checked_text
from models.rules.titles import of_the_day
from models.settings.environment import authority
from models.vocab import MeetingKind, Scheme, SchoolType

__all__ = ["RecordWrite", "write_record"]


@dataclass(frozen=True)
class RecordWrite:
    """Everything a writer may read: the case, the decided step and its planned deadlines."""

    session: Session
    case: Case
    book: Playbook
    step: Step
    planned: Sequence[PlannedDeadline]
    on: date
    actor_email: str

    @property
    def fields(self) -> Mapping[str, Any]:
        return self.step.fields


def _concern(w: RecordWrite, options: Mapping[str, str]) -> str:
    w.session.add(Concern(school_id=w.case.school_id, case_id=w.case.id, raised_on=w.on, source=w.fields["source"],
                          detail=w.fields["detail"], raised_by=w.actor_email))
    return "concern"


def _classification(w: RecordWrite, options: Mapping[str, str]) -> str:
    scheme = options.get("scheme") or w.fields[options["scheme_field"]]
    value = options["value"] if "value" in options else str(w.fields[options["value_field"]])
    w.session.add(Classification(
        school_id=w.case.school_id, case_id=w.case.id, scheme=Scheme(scheme), value=value, effective_on=w.on,
        set_by=w.actor_email, evidence=w.fields.get("evidence") or w.fields.get("reasons"), dissent=w.fields.get("dissent"),
    ))
    return f"classification {scheme}={value}"


def _priority(w: RecordWrite, options: Mapping[str, str]) -> str:
    number = (w.session.execute(select(func.max(Priority.number)).where(Priority.case_id == w.case.id)).scalar() or 0) + 1
    w.session.add(Priority(case_id=w.case.id, number=number, title=w.fields["title"],
                           success_criteria=w.fields["success_criteria"], lead=w.fields.get("lead"),
                           target_on=w.fields.get("target_on"), resources=w.fields.get("resources")))
    return f"priority {number}"


def _meeting(w: RecordWrite, options: Mapping[str, str]) -> str:
    kind = MeetingKind(options["kind"])
    notes = "\n".join(str(w.fields[k]) for k in ("focus", "notes", "next_steps") if w.fields.get(k))
    meeting = Meeting(case_id=w.case.id, kind=kind, held_on=w.on, attendees=w.fields.get("attendees"), notes=notes or None,
                      recorded_by=w.actor_email)
    w.session.add(meeting)
    w.session.flush()
    if w.fields.get("rag"):
        live = select(Priority.number, Priority.id).where(Priority.case_id == w.case.id, priority_is_live())
        numbers = {r.number: r.id for r in w.session.execute(live)}
        reasons = w.fields.get("reason") or {}
        for number, rating in w.fields["rag"].items():
            w.session.add(RagJudgement(meeting_id=meeting.id, priority_id=numbers[number], rating=rating.value,
                                       reason=reasons.get(number)))
    return f"meeting {kind.value} {meeting.id}"  # the id: a correction finds the action that made it


def _warning_notice(w: RecordWrite, options: Mapping[str, str]) -> str:
    """The notice, its regime on the day it is given, and its copies, each recorded as sent
    when the notice's letter is issued (``services.letters``)."""
    rules = w.book.notice
    if rules is None:
        raise GuardFailed(N_("playbook %(playbook)s has no [notice] section: it cannot record warning notices"), playbook=w.book.name)
    fields = w.fields
    section = rules.section(fields.get("section"))
    counted_by = next(s.kind for s in w.step.action.deadlines if s.amount_field == "compliance_days")
    compliance = next(d for d in w.planned if d.kind == counted_by)
    notice_id = w.session.execute(
        insert(WarningNotice).returning(WarningNotice.id),  # values as parameters: the statement is compiled once
        {"case_id": w.case.id, "act": rules.act, "section": section.name, "regime": rules.regime_on(w.on, section.name).label,
         "grounds": list(fields["grounds"]), "reasons": fields["reasons"], "required_action": fields["required_action"],
         "given_on": w.on, "compliance_days": fields["compliance_days"], "compliance_end": compliance.due,
         "minded_to": fields["minded_to"]},
    ).scalar_one()
    copies: list[dict[str, Any]] = []
    school = w.case.school
    named = str(fields.get("foundation_body") or "").strip()
    for role in rules.copy_roles(SchoolType(school.type), school.religious_character, w.on):
        name, email = _copy_recipient(school, role, named, w.on)
        if all(c["name"] != name for c in copies):  # one body named by two rules is copied once
            copies.append({"notice_id": notice_id, "role": role, "name": name, "email": email, "sent_on": None})
    w.session.execute(insert(NoticeCopy), copies)
    return f"warning notice {notice_id}"


# The bodies a notice must be copied to that only the school's record can name (EIA 2006
# s60(6)(b)-(c); SSO(W)A 2013 s3(3)): the column a body named on the form is kept in, and how
# a refusal describes the one missing.
BODY_ON_RECORD = {"diocese": ("diocesan_authority", N_("appropriate diocesan authority")),
                  "religious_body": ("diocesan_authority", N_("appropriate religious body")),
                  "foundation_appointer": ("foundation_appointer", N_("person who appoints the foundation governors"))}


def _on_record(school: School, role: str) -> str | None:
    return school.foundation_appointer if role == "foundation_appointer" else school.diocesan_body


def _copy_recipient(school: School, role: str, named: str, on: date) -> tuple[str, str | None]:
    """Who a copy goes to. A copy to a body the school's record does not name cannot be
    sent, so it stops the notice (never recorded as sent to "the person who appoints…"),
    unless the form names the body, which the school's record then keeps."""
    if role == "head":
        return school.head_teacher or STATUTORY_NAMES["head"], school.head.email if school.head else None
    if role in BODY_ON_RECORD:
        column, words = BODY_ON_RECORD[role]
        if not _on_record(school, role) and named:
            setattr(school, column, checked_text(named, "the body to copy"))
        body = _on_record(school, role)
        if not body:
            raise GuardFailed(N_("the record of %(school)s names no %(who)s, who must be sent a copy of this notice: give "
                                 "foundation_body (who they are), or record them on the school first"), school=school.name, who=Words(words))
        return body, None
    outside = authority().recipient(role)
    return of_the_day(outside["name"], on), outside.get("email")


def _notice_outcome(w: RecordWrite, options: Mapping[str, str]) -> str:
    notice = w.session.execute(
        select(WarningNotice).where(WarningNotice.case_id == w.case.id, WarningNotice.outcome.is_(None))
        .order_by(WarningNotice.id.desc())
    ).scalars().first()
    assert notice is not None  # the playbook's live_warning_notice guard has checked
    notice.outcome, notice.outcome_on = options["outcome"], w.on
    return f"notice {notice.id} {options['outcome']}"


def _statement_of_action(w: RecordWrite, options: Mapping[str, str]) -> str:
    w.session.add(StatementOfAction(case_id=w.case.id, submitted_on=w.on, target_removal_on=w.fields["target_removal_on"],
                                    summary=w.fields["summary"]))
    return "statement of action"


def _trust(w: RecordWrite, options: Mapping[str, str]) -> str:
    """A letter to an academy goes to its trust, the responsible body, at the trust's address.
    A trust the school's record does not name cannot be written to, so the action stops,
    unless the form names it, which the school's record then keeps."""
    school = w.case.school
    for column, words in (("trust", N_("academy trust")), ("trust_address", N_("address of its trust"))):
        given = str(w.fields.get(column) or "").strip()
        if given and not getattr(school, column):
            setattr(school, column, checked_text(given, f"the {words}", limit=500))
        if not getattr(school, column):
            raise GuardFailed(N_("the record of %(school)s names no %(who)s, to which this letter goes: give %(column)s, or record it on "
                                 "the school first"), school=school.name, who=Words(words), column=column)
    return f"trust {school.trust}"


WRITERS: Mapping[RecordType, Callable[[RecordWrite, Mapping[str, str]], str]] = {
    RecordType.CONCERN: _concern,
    RecordType.CLASSIFICATION: _classification,
    RecordType.PRIORITY: _priority,
    RecordType.MEETING: _meeting,
    RecordType.WARNING_NOTICE: _warning_notice,
    RecordType.NOTICE_OUTCOME: _notice_outcome,
    RecordType.STATEMENT_OF_ACTION: _statement_of_action,
    RecordType.TRUST: _trust,
}


def write_record(write: RecordWrite, record: RecordSpec) -> str:
    """Write one record the action declares; returns its label for the audit event."""
    return WRITERS[record.type](write, record.options)
