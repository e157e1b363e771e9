"""Letters as drafts, then issued.

A letter that goes outside the authority (``LETTER_KINDS``: a warning notice, a statement of
action, a category letter …) is made as a draft when its action is taken. The lead reads it
(``preview``: the same .docx shown as HTML), may edit its free text (the action's text
fields, e.g. the notice's reasons) or replace it with the version they edited in Word, and
then **issues** it: its date, reference and content (sha256) are fixed, and how each
recipient was sent it is recorded — by email through the outbox with the letter attached
(where an address is on record), by post or by hand on the day entered. A letter prints
"sent … on …" for its copies only from that record.

A warning notice is given when its letter is issued: if that is not the day the action
recorded, the notice is dated the day of issue and the deadlines counted from it (the
compliance period and the window after it) are counted again from that day and explained.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.adapters.mail.templates import render_email
from models.db import audit
from models.db.cases import Case, Deadline, Document, LetterDelivery, NoticeCopy, WarningNotice
from models.db.messages import Notification
from models.db.queries import by_id
from models.errors import FieldError, GuardFailed, InvalidInput, NotFound
from models.messages import N_, Named, Words
from models.rules.deadlines import plan_deadlines
from models.rules.fields import FieldSpec, FieldType
from models.rules.playbook import LETTER_KINDS, ActionSpec
from models.rules.text import LONG_TEXT, checked_text, day_in_words, in_words
from models.rules.words import words
from models.services import documents
from models.services.access import Viewer, visible_case
from models.services.authorities import name_in
from models.services.letter_context import made_by_action, reference_of
from models.services.outbox import queue
from models.settings.catalog import translated
from models.settings.files import calendar_named, reminder_rules
from models.vocab import DeadlineStatus, Delivery, DocumentStatus, Language, SchoolType

__all__ = ["WORD_LIMIT", "Sending", "draft", "edit_draft", "free_text", "issue", "preview", "upload_final",
           "visible_letter"]

WORD_LIMIT = 5_000_000  # a letter edited in Word: kilobytes, with a logo perhaps
_LINK = re.compile(r"</?a\b[^>]*>")


@dataclass(frozen=True)
class Sending:
    """How one recipient is to be sent the letter, as the person issuing it says: by email
    (on the day of issue), or by post or by hand on ``on`` (the day of issue when not given)."""

    method: Delivery
    on: date | None = None

    @classmethod
    def of(cls, role: str, method: str, on: date | None = None) -> Sending:
        """From what a form, a command or a request says; a method it does not know refused."""
        try:
            return cls(Delivery(method.strip().lower()), on)
        except ValueError:
            raise FieldError(f"how.{role}", N_("'%(method)s' is not a way to send a letter: say email, post or hand"), method=method) from None


def visible_letter(session: Session, viewer: Viewer, document_id: int) -> tuple[Case, Document]:
    """A letter of a case this person may see, with its case; any other id is "no letter"."""
    document = by_id(session, Document, document_id)
    if document is None or document.case_id is None:
        raise NotFound(N_("no letter %(letter)s"), letter=document_id)
    try:
        return visible_case(session, viewer, document.case_id), document
    except NotFound:
        raise NotFound(N_("no letter %(letter)s"), letter=document_id) from None


def draft(session: Session, case: Case, document_id: int) -> Document:
    """The case's letter that may still be edited and issued, or the one line saying why not."""
    document = by_id(session, Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound(N_("case %(case)s has no document %(letter)s"), case=case.id, letter=document_id)
    if document.status == DocumentStatus.ISSUED:
        raise GuardFailed(N_("the %(letter)s (version %(version)s) was issued on %(on)s: an issued letter cannot be changed: make "
                             "a new version"), letter=_named(document), version=document.version, on=day_in_words(document.issued_on or date.min))
    if document.status != DocumentStatus.DRAFT:
        raise GuardFailed(N_("the %(letter)s (version %(version)s) is not a draft: there is nothing to issue"),
                          letter=_named(document), version=document.version)
    newer = session.execute(select(Document.version).where(
        Document.case_id == case.id, Document.kind == document.kind, Document.version > document.version).limit(1)).scalar()
    if newer is not None:
        raise GuardFailed(N_("version %(version)s of the %(letter)s is newer: edit and issue that one"), version=newer,
                          letter=_named(document))
    return document


def _named(document: Document) -> Named:
    """The letter's kind as a refusal names it ("warning notice"), said in the page's language."""
    return Named(document.kind.replace("_", " "))


def free_text(document: Document, spec: ActionSpec | None, fields: Mapping[str, Any]) -> list[tuple[FieldSpec, str]]:
    """The letter's free text — the text fields of ``spec``, the action that called for it
    (``made_by_action``) — with what the draft says now. A letter replaced by its Word version
    is edited in Word."""
    if document.kind not in LETTER_KINDS or document.uploaded_by or spec is None:
        return []
    edits = document.edits or {}
    return [(f, str(edits.get(f.name, fields.get(f.name) or ""))) for f in spec.fields if f.type == FieldType.TEXT]


def _render(session: Session, case: Case, document: Document, fields: Mapping[str, Any], edits: Mapping[str, str],
            on: date | None) -> tuple[bytes, list[dict[str, Any]]]:
    """The letter made again from its action's ``fields`` with the lead's edits (dated ``on`` when issuing)."""
    fields = {**fields, **edits}
    if on is not None:
        fields = {**fields, "on": on, "on_in_words": in_words(on)}
    return documents.render(session, case, document.kind, action=fields, version=document.version)


def edit_draft(session: Session, case: Case, document_id: int, changes: Mapping[str, str], actor: str) -> Document:
    """The draft made again with its free text as edited; each edit audited with what it replaced."""
    document = draft(session, case, document_id)
    spec_of, fields = made_by_action(session, case, document.kind)
    editable = {spec.name: (spec, text) for spec, text in free_text(document, spec_of, fields)}
    if document.uploaded_by:
        raise GuardFailed(N_("the %(letter)s (version %(version)s) was replaced by a version edited in Word: edit that in Word and "
                             "upload it"), letter=_named(document), version=document.version)
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise InvalidInput(N_("the %(letter)s has no free text '%(text)s': its free text is %(texts)s"), letter=_named(document),
                           text=unknown[0], texts=", ".join(editable) or Words(N_("none")))
    edits = dict(document.edits or {})
    before = {}
    for name, value in changes.items():
        spec, now = editable[name]
        text = checked_text(value, name.replace("_", " "), limit=LONG_TEXT, lines=True)
        if not text and spec.required:
            raise FieldError(name, N_("%(what)s cannot be left empty: the letter needs it"), what=f"the {name.replace('_', ' ')}")
        if text != now:
            before[name], edits[name] = now, text
    if not before:
        raise InvalidInput(N_("nothing was changed: edit the text, then save"))
    data, recipients = _render(session, case, document, fields, edits, None)
    documents.replace_file(session, document, data)
    document.edits, document.recipients = edits, recipients
    audit.record(session, actor, "letter_edited", case_id=case.id,
                 before={"kind": document.kind, "version": document.version, **before},
                 after={"kind": document.kind, "version": document.version, "sha256": document.sha256,
                        **{name: edits[name] for name in before}})
    return document


def upload_final(session: Session, case: Case, document_id: int, filename: str, data: bytes, actor: str) -> Document:
    """The draft replaced by the version the lead edited in Word; issued as it is (its copy
    lines are then the lead's own)."""
    document = draft(session, case, document_id)
    if len(data) > WORD_LIMIT:
        raise FieldError("file", N_("the file is %(size)s bytes: a letter may be at most %(limit)s"), size=f"{len(data):,}", limit=f"{WORD_LIMIT:,}")
    if not filename.lower().endswith(".docx") or not _is_word(data):
        raise FieldError("file", N_("the file is not a Word .docx file: save the letter as a Word document (.docx) and upload it"))
    documents.replace_file(session, document, data, suffix="-word")
    document.uploaded_by = actor
    audit.record(session, actor, "letter_uploaded", case_id=case.id,
                 after={"kind": document.kind, "version": document.version, "sha256": document.sha256,
                        "file": checked_text(filename, "the file's name")})
    return document


def _is_word(data: bytes) -> bool:
    """A Word document by its content: a zip holding a main document part and no macros."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return False
    return "word/document.xml" in names and "word/vbaProject.bin" not in names


def preview(document_bytes: bytes) -> str:
    """The letter as HTML, for reading in the browser: the same .docx, its paragraphs,
    headings, lists and tables (mammoth escapes the text). Its links are kept as text: a
    letter uploaded from Word could carry any link, and reading it needs none."""
    import mammoth  # only when a letter is read in the browser (start-up time)

    return _LINK.sub("", str(mammoth.convert_to_html(io.BytesIO(document_bytes)).value))


def issue(session: Session, case: Case, document_id: int, on: date, sendings: Mapping[str, Sending], actor: str,
          today: date) -> Document:
    """Issue the draft: dated ``on``, each recipient sent it as ``sendings`` says (keyed by
    their role), its content fixed; a warning notice given on that day."""
    document = draft(session, case, document_id)
    spec, fields = made_by_action(session, case, document.kind)
    made_on = fields.get("on")
    if on > today:
        raise FieldError("on", N_("the date of issue is %(on)s, a day still to come: a letter is issued on the day it goes"), on=day_in_words(on))
    if isinstance(made_on, date) and on < made_on:
        raise FieldError("on", N_("the date of issue is before %(on)s, the day its action took effect: issue it on or after"),
                         on=day_in_words(made_on))
    deliveries = _deliveries(document, on, sendings, today)
    given = None
    if document.kind == "warning_notice" and spec is not None:
        given = _give_notice(session, case, spec, fields, document.edits or {}, on, deliveries, actor)
    if not document.uploaded_by:
        data, recipients = _render(session, case, document, fields, document.edits or {}, on)
        documents.replace_file(session, document, data)
        document.recipients = recipients
    document.status, document.issued_on, document.issued_by = DocumentStatus.ISSUED, on, actor
    document.reference = reference_of(case.id, document.kind, document.version)
    session.flush()
    queued = _email_copies(session, case, document, deliveries)
    session.add_all(LetterDelivery(document_id=document.id, notification_id=queued.get(d["role"]), **d) for d in deliveries)
    audit.record(session, actor, "letter_issued", case_id=case.id, effective_on=on,
                 after={"kind": document.kind, "version": document.version, "reference": document.reference,
                        "sha256": document.sha256, "issued_on": on.isoformat(), **({"notice": given} if given else {}),
                        "deliveries": [{**d, "sent_on": d["sent_on"].isoformat()} for d in deliveries]})
    return document


def _deliveries(document: Document, on: date, sendings: Mapping[str, Sending], today: date) -> list[dict[str, Any]]:
    """One delivery per recipient, each checked: every recipient said, email only to an address on record."""
    roles = [str(r["role"]) for r in document.recipients]
    unknown = sorted(set(sendings) - set(roles))
    if unknown:
        raise InvalidInput(N_("the letter has no recipient '%(role)s': its recipients are %(roles)s"), role=unknown[0], roles=", ".join(roles))
    rows = []
    for recipient in document.recipients:
        role = str(recipient["role"])
        sending = sendings.get(role)
        if sending is None:
            raise FieldError(f"how.{role}", N_("say how %(name)s is sent the letter: by email, post or hand"), name=recipient["name"])
        if sending.method == Delivery.EMAIL and not recipient.get("email"):
            raise FieldError(f"how.{role}", N_("no email address is on record for %(name)s: send it by post or by hand, or record the "
                                               "address first"), name=recipient["name"])
        sent_on = on if sending.method == Delivery.EMAIL else sending.on or on
        if sent_on < on or sent_on > today:
            raise FieldError(f"on.{role}", N_("the copy to %(name)s is dated %(sent)s: a copy goes on or after the day of issue (%(on)s) "
                                              "and not later than today"), name=recipient["name"], sent=day_in_words(sent_on),
                             on=day_in_words(on))
        rows.append({"role": role, "name": str(recipient["name"]), "method": sending.method.value, "sent_on": sent_on,
                     "email": recipient.get("email") if sending.method == Delivery.EMAIL else None})
    return rows


def _email_copies(session: Session, case: Case, document: Document, deliveries: list[dict[str, Any]]) -> dict[str, int]:
    """An outbox row per emailed copy, the letter attached when it is sent; their ids by role."""
    parts = documents.letter_language(case, document.kind).parts  # the letter's own language(s), Welsh first
    title = {part: translated(words(document.kind), part) for part in parts}
    authority = {part: name_in(case.school.authority, part) for part in parts}
    rows = [{"key": f"letter:{document.id}:{d['role']}", "kind": "letter", "case_id": case.id, "document_id": document.id,
             "recipient_email": d["email"], "recipient_name": d["name"],
             "subject": f"{' / '.join(title.values())}: {case.school.name} ({document.reference})",
             "body": "\n\n".join(render_email("letter.cy" if part == Language.WELSH else "letter", {
                 "recipient": d, "title": title[part], "school": case.school, "reference": document.reference,
                 "issued_on": in_words(d["sent_on"], part), "authority": authority[part]}) for part in parts)}
            for d in deliveries if d["method"] == Delivery.EMAIL]
    if not rows:
        return {}
    queue(session, rows)
    found = session.execute(select(Notification.key, Notification.id).where(Notification.key.in_([r["key"] for r in rows])))
    return {key.rsplit(":", 1)[1]: notification_id for key, notification_id in found}


def _give_notice(session: Session, case: Case, spec: ActionSpec, fields: Mapping[str, Any], edits: Mapping[str, str],
                 on: date, deliveries: list[dict[str, Any]], actor: str) -> dict[str, Any]:
    """The notice as its letter says, given on the day of issue: its free text as edited,
    its copies as sent, and — on another day than its action's — its deadlines counted again.
    Returns what the notice now holds, for the audit event (``audit_replay`` checks it)."""
    notice = session.execute(select(WarningNotice).where(WarningNotice.case_id == case.id, WarningNotice.outcome.is_(None))
                             .order_by(WarningNotice.id.desc()).limit(1)).scalar_one_or_none()
    if notice is None:
        raise GuardFailed(N_("case %(case)s has no live warning notice: this draft can no longer be issued"), case=case.id)
    copies = session.execute(select(NoticeCopy).where(NoticeCopy.notice_id == notice.id)).scalars().all()
    if any(copy.sent_on is not None for copy in copies):
        raise GuardFailed(N_("the warning notice was given on %(on)s: a notice is given once, so a later version is not issued: "
                             "withdraw the notice and give a new one"), on=day_in_words(notice.given_on))
    notice.reasons = edits.get("reasons", notice.reasons)
    notice.required_action = edits.get("required_action", notice.required_action)
    sent = {d["role"]: d for d in deliveries}
    for copy in copies:
        if copy.role in sent:
            copy.sent_on, copy.method = sent[copy.role]["sent_on"], sent[copy.role]["method"]
    if on != notice.given_on:
        _count_again(session, case, spec, fields, notice, on, actor)
    return {"id": notice.id, "reasons": notice.reasons, "required_action": notice.required_action,
            "given_on": notice.given_on.isoformat(), "compliance_end": notice.compliance_end.isoformat()}


def _count_again(session: Session, case: Case, spec: ActionSpec, fields: Mapping[str, Any], notice: WarningNotice,
                 on: date, actor: str) -> None:
    """The deadlines the notice's action set, counted from the day it was given (pure rules:
    ``plan_deadlines``), each move audited with its old and new explanation."""
    planned = {p.kind: p for p in plan_deadlines(spec.deadlines, fields, on, calendar_named(case.calendar),
                                                 SchoolType(case.school.type))}
    titles = reminder_rules()
    events = []
    for deadline in session.execute(select(Deadline).where(
            Deadline.case_id == case.id, Deadline.set_by_action == spec.name, Deadline.kind.in_(list(planned)),
            Deadline.status.in_(DeadlineStatus.LIVE))).scalars():
        new = planned[deadline.kind]
        events.append(audit.Entry(actor, "deadline_recounted", case.id, on,
                                  before={"deadline": deadline.kind, "due": deadline.due.isoformat(),
                                          "explanation": deadline.explanation},
                                  after={"deadline": deadline.kind, "due": new.due.isoformat(), "explanation": new.explanation,
                                         "because": f"the {titles.for_kind(deadline.kind).title.lower()} runs from the day "
                                                    f"the notice was given, {in_words(on)}"}))
        session.execute(update(Deadline).where(Deadline.id == deadline.id).values(
            due=new.due, counted_from=new.counted_from, explanation=new.explanation, calendar_version=new.calendar_version,
            status=DeadlineStatus.OPEN))
    counted_by = next((s.kind for s in spec.deadlines if s.amount_field == "compliance_days"), None)
    notice.given_on = on
    if counted_by in planned:
        notice.compliance_end = planned[counted_by].due
    audit.record_many(session, events)

