"""Correcting an action taken with a wrong field or a mistyped date: the action's fields and
day amended, with a reason, and everything that followed from them put right.

The records the action wrote take the corrected values (a review's RAG and notes, a
visit's date, a classification's value and day, a statement of action's target, a concern's
detail); the deadlines it set are counted again from the corrected day and fields, each move
explained in the timeline; the deadlines it met are met on the corrected day; documents it
made are marked "made before a correction" until they are made again. The audit log keeps the
action as first recorded and the amendment, which names it (``corrects``) and holds the
fields and day as they now stand, so a second amendment starts from the first.

Not amended here: a priority (corrected on its own, ``corrections.amend_priority``) and a
warning notice (its wording is edited on its draft letter; undo it while the letter is a
draft; once issued, the playbook's own action withdraws it). An action whose letter has been
issued is not amended either: the letter has gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.db import audit
from models.db.audit import AuditEvent
from models.db.cases import Case, Classification, Concern, Deadline, Document, Meeting, Priority, RagJudgement, StatementOfAction, WarningNotice
from models.db.queries import live_deadlines_set_by
from models.errors import FieldError, GuardFailed, InvalidInput, NotFound
from models.messages import N_, Named, Words
from models.rules.deadlines import plan_deadlines
from models.rules.fields import FieldType, parse_fields
from models.rules.guards import FIELD_GUARDS, CaseFacts, check_guard
from models.rules.playbook import ActionSpec
from models.rules.text import day_in_words
from models.services.cases import case_playbook
from models.services.corrections import correction_reason, may_correct
from models.settings.files import calendar_named
from models.vocab import DocumentStatus, Role, SchoolType

__all__ = ["AMENDED", "amend_action", "amendable", "recorded_fields"]

AMENDED = "action_amended"
# What an action may have written that is corrected another way (see the module's docstring).
CORRECTED_ELSEWHERE = ("priority ", "warning notice ")


def amendable(after: Mapping[str, Any]) -> bool:
    """Whether the event of an action (its ``after``) may be amended here: an action of a
    playbook (it recorded its fields and records) that wrote no priority or warning notice."""
    labels = after.get("records")
    return isinstance(after.get("fields"), dict) and isinstance(labels, list) and "corrects" not in after \
        and not any(str(label).startswith(CORRECTED_ELSEWHERE) for label in labels)


@dataclass(frozen=True)
class _AsNow:
    """An action as it now stands: as first recorded, or as its latest amendment left it."""

    event: AuditEvent
    spec: ActionSpec
    fields: dict[str, Any]  # as recorded (JSON values)
    on: date
    dues: list[dict[str, str]]  # the deadlines it set: kind and due day


def recorded_fields(spec: ActionSpec, recorded: Mapping[str, Any]) -> dict[str, str]:
    """An action's recorded fields as the NAME=VALUE strings a form or ``--set`` gives."""
    raw: dict[str, str] = {}
    for f in spec.fields:
        value = recorded.get(f.name)
        if value is None or value == {}:
            continue
        if f.type in (FieldType.RAG, FieldType.PER_PRIORITY):
            raw.update({f"{f.name}.{n}": str(v) for n, v in value.items()})
        elif f.type == FieldType.CHOICES:
            raw[f.name] = ",".join(map(str, value))
        else:
            raw[f.name] = str(value)
    return raw


def action_as_now(session: Session, case: Case, seq: int) -> _AsNow:
    """The action recorded as event ``seq`` of this case, with its latest amendment applied."""
    book = case_playbook(session, case)
    event = session.execute(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.seq == seq)).scalar_one_or_none()
    if event is None or event.action not in book.actions or "fields" not in (event.after or {}):
        raise NotFound(N_("case %(case)s has no action recorded as event %(event)s: see the case's history"), case=case.id, event=seq)
    latest = session.execute(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == AMENDED)
                             .order_by(AuditEvent.seq.desc())).scalars()
    amended = next((e for e in latest if (e.after or {}).get("corrects") == seq), None)
    now = amended.after if amended is not None else event.after
    on = date.fromisoformat(now["on"]) if amended is not None else event.effective_on
    assert on is not None  # every action's event carries the day it took effect
    return _AsNow(event, book.actions[event.action], dict(now["fields"]), on,
                  [{"kind": d["kind"], "due": d["due"]} for d in (now.get("dues") if amended is not None else now.get("deadlines")) or []])


def amend_action(session: Session, case: Case, seq: int, changes: Mapping[str, str], on: date | None, reason: str,
                 actor: str, role: Role, today: date) -> int:
    """Amend the fields and day of the action recorded as event ``seq``; returns the amendment's event."""
    found = action_as_now(session, case, seq)
    spec, event = found.spec, found.event
    may_correct(case_playbook(session, case), spec.name, role)
    why = correction_reason(reason)
    labels: list[str] = list((event.after or {}).get("records") or [])
    _refuse_what_is_not_amended_here(session, case, event, labels)
    raw = recorded_fields(spec, found.fields)
    raw.update({name: value.strip() for name, value in changes.items()})
    fields = parse_fields(spec.name, spec.fields, {k: v for k, v in raw.items() if v})
    judged = frozenset(int(n) for n in (found.fields.get("rag") or {}))
    facts = CaseFacts(case_id=case.id, school_type=SchoolType(case.school.type), on=on or found.on, priority_numbers=judged)
    for guard in spec.guards:
        if guard in FIELD_GUARDS:
            check_guard(guard, facts, fields)
    new_on = on or found.on
    _check_day(session, case, event, found.on, new_on, today)
    recorded = audit.jsonable({k: v for k, v in fields.items() if v not in (None, {})})
    changed = sorted(k for k in set(recorded) | set(found.fields) if recorded.get(k) != found.fields.get(k))
    if not changed and new_on == found.on:
        raise InvalidInput(N_("'%(action)s' already says that: nothing to correct"), action=Words(spec.title))
    for label in labels:
        _amend_record(session, case, label, spec, fields, found.on, new_on)
    dues, moves = _count_again(session, case, spec, found, fields, new_on)
    _meet_on(session, case, event, new_on)
    if case.stage_since == found.on and _is_latest_action(session, case, event):
        case.stage_since = new_on
    amendment = audit.record(
        session, actor, AMENDED, case_id=case.id, effective_on=today,
        before={"action": spec.name, "on": found.on.isoformat(), "fields": {k: found.fields.get(k) for k in changed}},
        after={"action": spec.name, "on": new_on.isoformat(), "changed": {k: recorded.get(k) for k in changed}, "reason": why,
               "corrects": seq, "fields": recorded, "dues": dues},
    )
    if moves:
        audit.record_many(session, [audit.Entry(actor, "deadline_recounted", case.id, today, before=b,
                                                after={**a, "because": f"'{spec.title}' was corrected"}) for b, a in moves])
    _mark_documents(session, case, list((event.after or {}).get("documents_due") or []), amendment)
    return amendment


def _refuse_what_is_not_amended_here(session: Session, case: Case, event: AuditEvent, labels: list[str]) -> None:
    if any(label.startswith(CORRECTED_ELSEWHERE[0]) for label in labels):
        raise GuardFailed(N_("a priority is corrected on its own: use Correct beside the priority (scc case correct-priority)"))
    if any(label.startswith(CORRECTED_ELSEWHERE[1]) for label in labels):
        raise GuardFailed(N_("a warning notice is not amended: change its wording on its draft letter, undo it while the letter "
                             "is a draft, or withdraw it once issued"))
    kinds = list((event.after or {}).get("documents_due") or [])
    issued = session.execute(select(Document.kind, Document.issued_on).where(
        Document.case_id == case.id, Document.kind.in_(kinds), Document.status == DocumentStatus.ISSUED,
        Document.generated_at >= event.at).limit(1)).first()
    if issued is not None:
        raise GuardFailed(N_("the %(letter)s it made was issued on %(on)s: the letter has gone, so the action is not amended: take the "
                             "playbook's own action instead"), letter=Named(issued.kind.replace("_", " ")), on=day_in_words(issued.issued_on))


def _check_day(session: Session, case: Case, event: AuditEvent, old: date, new: date, today: date) -> None:
    """The corrected day keeps the case's history in order: not after today, not before the
    action before it nor after the action after it."""
    if new == old:
        return
    if new > today:
        raise FieldError("effective_on", N_("the action cannot have taken effect on %(on)s, after today"), on=day_in_words(new))
    actions = set(case_playbook(session, case).actions)
    days = [(e.seq, e.effective_on) for e in session.execute(select(AuditEvent).where(
        AuditEvent.case_id == case.id, AuditEvent.action.in_(actions), AuditEvent.seq != event.seq)).scalars()]
    before = max((d for s, d in days if s < event.seq and d is not None), default=case.opened_on)
    after = min((d for s, d in days if s > event.seq and d is not None), default=None)
    if new < before:
        raise FieldError("effective_on", N_("%(on)s is before %(step)s, when the case's previous step was taken"), on=day_in_words(new),
                         step=day_in_words(before))
    if after is not None and new > after:
        raise FieldError("effective_on", N_("%(on)s is after %(step)s, when the case's next step was taken"), on=day_in_words(new),
                         step=day_in_words(after))


def _amend_record(session: Session, case: Case, label: str, spec: ActionSpec, fields: Mapping[str, Any], old: date,
                  new: date) -> None:
    """One record the action wrote, as its writer (``services.records``) would write it now."""
    kind = label.split(" ", 1)[0]
    if kind == "meeting":
        parts = label.split(" ")
        meeting = session.get(Meeting, int(parts[2])) if len(parts) > 2 else None
        if meeting is None or meeting.case_id != case.id:
            raise GuardFailed(N_("this meeting was recorded before meetings could be corrected: withdraw it and record it again"))
        meeting.held_on = new
        meeting.attendees = fields.get("attendees")
        meeting.notes = "\n".join(str(fields[k]) for k in ("focus", "notes", "next_steps") if fields.get(k)) or None
        if fields.get("rag"):
            numbers = dict(session.execute(select(Priority.number, Priority.id).where(Priority.case_id == case.id)).tuples().all())
            for judgement in session.execute(select(RagJudgement).where(RagJudgement.meeting_id == meeting.id)).scalars():
                session.delete(judgement)
            session.flush()
            reasons = fields.get("reason") or {}
            session.add_all(RagJudgement(meeting_id=meeting.id, priority_id=numbers[n], rating=r.value, reason=reasons.get(n))
                            for n, r in fields["rag"].items())
    elif kind == "classification":
        scheme, _, value = label.split(" ", 1)[1].partition("=")
        found = session.execute(select(Classification).where(
            Classification.case_id == case.id, Classification.scheme == scheme, Classification.effective_on == old,
            Classification.withdrawn_on.is_(None)).order_by(Classification.id.desc())).scalars().first()
        if found is not None:
            spec_of = next(r for r in spec.records if r.type.value == "classification").options
            found.value = spec_of["value"] if "value" in spec_of else str(fields[spec_of["value_field"]])
            found.effective_on = new
            found.evidence, found.dissent = fields.get("evidence") or fields.get("reasons"), fields.get("dissent")
    elif kind == "concern":
        concern = session.execute(select(Concern).where(Concern.case_id == case.id, Concern.raised_on == old)
                                  .order_by(Concern.id.desc())).scalars().first()
        if concern is not None:
            concern.raised_on, concern.source, concern.detail = new, fields["source"], fields["detail"]
    elif label == "statement of action":
        statement = session.execute(select(StatementOfAction).where(StatementOfAction.case_id == case.id,
                                                                    StatementOfAction.submitted_on == old)).scalars().first()
        if statement is not None:
            statement.submitted_on, statement.target_removal_on = new, fields["target_removal_on"]
            statement.summary = fields["summary"]
    elif kind == "notice":  # "notice N complied": the day of the outcome
        session.execute(update(WarningNotice).where(WarningNotice.id == int(label.split(" ")[1])).values(outcome_on=new))
    session.flush()


def _count_again(session: Session, case: Case, spec: ActionSpec, found: _AsNow, fields: Mapping[str, Any],
                 on: date) -> tuple[list[dict[str, str]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    """The live deadlines the action set, counted from the corrected day and fields (the pure
    rule: ``plan_deadlines``); the dues as they now stand, and each move's before and after."""
    planned = {p.kind: p for p in plan_deadlines(spec.deadlines, fields, on, calendar_named(case.calendar),
                                                 SchoolType(case.school.type))}
    live_by_kind = {d.kind: d for d in live_deadlines_set_by(session, case.id, spec.name,
                                                             [(d["kind"], date.fromisoformat(d["due"])) for d in found.dues])}
    dues, moves = [], []
    for set_by in found.dues:
        new, live = planned.get(set_by["kind"]), live_by_kind.get(set_by["kind"])
        if new is None or live is None:
            dues.append(set_by)  # met, cancelled or no longer set by these fields: left as it is
            continue
        dues.append({"kind": new.kind, "due": new.due.isoformat()})
        if new.due != live.due or new.explanation != live.explanation:
            moves.append(({"deadline": live.kind, "due": live.due.isoformat(), "explanation": live.explanation},
                          {"deadline": live.kind, "due": new.due.isoformat(), "explanation": new.explanation}))
            live.due, live.counted_from, live.explanation = new.due, new.counted_from, new.explanation
            live.amount, live.calendar_version = new.amount, new.calendar_version
    return dues, moves


def _meet_on(session: Session, case: Case, event: AuditEvent, on: date) -> None:
    """The deadlines the action met are met on the corrected day."""
    ids = [deadline_id for deadline_id, _ in (event.after or {}).get("closed_deadlines") or []]
    if ids:
        session.execute(update(Deadline).where(Deadline.id.in_(ids), Deadline.case_id == case.id,
                                               Deadline.closed_reason == f"met by {event.action}").values(closed_on=on))


def _is_latest_action(session: Session, case: Case, event: AuditEvent) -> bool:
    actions = set(case_playbook(session, case).actions)
    later = session.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.case_id == case.id, AuditEvent.action.in_(actions), AuditEvent.seq > event.seq)).scalar_one()
    return later == 0


def _mark_documents(session: Session, case: Case, kinds: list[str], amendment: int) -> None:
    """The latest version of each document the action made is now made before a correction."""
    for kind in kinds:
        latest = session.execute(select(func.max(Document.version)).where(Document.case_id == case.id,
                                                                            Document.kind == kind)).scalar()
        if latest is not None:
            session.execute(update(Document).where(Document.case_id == case.id, Document.kind == kind,
                                                   Document.version == latest).values(corrected_by=amendment))
