"""A case — one period of intervention in one school — and everything recorded on it.

The case row holds only its position (playbook, pinned version, stage); what happened is in
the records below and in the audit log. Dates a user gives (``--on``) are ``*_on`` columns;
``*_at`` columns are when the product wrote the row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db.base import Base
from models.db.schools import Person, School
from models.vocab import DeadlineStatus, DocumentStatus

__all__ = [
    "Case",
    "CaseNote",
    "Classification",
    "Concern",
    "Deadline",
    "Document",
    "Evidence",
    "Meeting",
    "NoticeCopy",
    "PlaybookSnapshot",
    "Priority",
    "RagJudgement",
    "StatementOfAction",
    "WarningNotice",
]


class PlaybookSnapshot(Base):
    """The exact text of each playbook version a case was opened with, so that editing the
    file never rewrites a live case (a case is pinned to its version)."""

    __tablename__ = "playbook_snapshot"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class Case(Base):
    __tablename__ = "case_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    playbook: Mapped[str] = mapped_column(String(80))
    playbook_version: Mapped[str] = mapped_column(String(40))
    jurisdiction: Mapped[str] = mapped_column(String(20))
    calendar: Mapped[str] = mapped_column(String(500))
    stage: Mapped[str] = mapped_column(String(80), index=True)
    stage_since: Mapped[date] = mapped_column(Date)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    ip_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # moved by every action (services.cases.claim)
    closed_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    # The year after exit: a closed case whose school is watched "at risk" (001:L693) until
    # this day, with support so improvement is sustained (001:L782) and its reviews still due;
    # cleared when the watch ends or intervention is reopened.
    watch_until: Mapped[date | None] = mapped_column(Date)
    reopened_from: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"))  # the case whose watch this reopened

    school: Mapped[School] = relationship()
    lead: Mapped[Person | None] = relationship(foreign_keys=[lead_id])
    ip: Mapped[Person | None] = relationship(foreign_keys=[ip_id])
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="case", order_by="Deadline.due", cascade="all, delete-orphan"
    )
    notices: Mapped[list[WarningNotice]] = relationship(
        back_populates="case", order_by="WarningNotice.id"
    )
    priorities: Mapped[list[Priority]] = relationship(order_by="Priority.number")
    meetings: Mapped[list[Meeting]] = relationship(order_by="Meeting.held_on")


class Concern(Base):
    """The register of concerns (risk register, 001:L729–732): every concern about a school."""

    __tablename__ = "concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(String(320))
    # A concern raised by data: the rule of config/triggers.toml that flagged it, and the
    # latest period of the figures that did (models.services.concerns).
    rule: Mapped[str | None] = mapped_column(String(80))
    period: Mapped[str | None] = mapped_column(String(40))


class IndicatorValue(Base):
    """One figure about a school for one period, as imported by ``scc concerns import``
    (attendance against the average for a quarter, a budget's variance for a year…)."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("school_id", "indicator", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    imported_on: Mapped[date] = mapped_column(Date)


class Classification(Base):
    """One dated classification of a school under one scheme (inspection status, LA
    category, support level), with its evidence and any dissenting view (001:L671)."""

    __tablename__ = "classification"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"))
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80))
    effective_on: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(320))
    evidence: Mapped[str | None] = mapped_column(Text)
    dissent: Mapped[str | None] = mapped_column(Text)
    # Recorded in error (the wrong school, the wrong category): withdrawn, never deleted.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class Priority(Base):
    """A priority of the statement of action, with its success criteria."""

    __tablename__ = "priority"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    success_criteria: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(String(200))
    target_on: Mapped[date | None] = mapped_column(Date)
    resources: Mapped[str | None] = mapped_column(Text)
    # A priority added in error or no longer pursued is withdrawn, never deleted: it leaves
    # the reviews, the guards and the reports; the audit log keeps why.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class Meeting(Base):
    """A TIG meeting, progress review, IP monitoring visit or summative meeting: planned
    (``held_on`` empty) or held."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    planned_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    attendees: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(320))
    # A meeting recorded in error (the wrong case, the wrong day) is withdrawn, never deleted:
    # it leaves the reviews' history, the reports and the guards; the duty it met is due again.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    judgements: Mapped[list[RagJudgement]] = relationship(order_by="RagJudgement.priority_id")


class RagJudgement(Base):
    """Progress on one priority judged at one review: red needs an explanation, green hard
    evidence (002:L977–1025)."""

    __tablename__ = "rag_judgement"
    __table_args__ = (UniqueConstraint("meeting_id", "priority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id"))
    rating: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)

    priority: Mapped[Priority] = relationship()


class WarningNotice(Base):
    """A statutory warning notice with its contents, regime and outcome."""

    __tablename__ = "warning_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    act: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(20))
    regime: Mapped[str] = mapped_column(Text)
    grounds: Mapped[list[Any]] = mapped_column(JSON)
    reasons: Mapped[str] = mapped_column(Text)
    required_action: Mapped[str] = mapped_column(Text)
    given_on: Mapped[date] = mapped_column(Date)
    compliance_days: Mapped[int] = mapped_column(Integer)
    compliance_end: Mapped[date] = mapped_column(Date)
    minded_to: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(40))
    outcome_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="notices")
    copies: Mapped[list[NoticeCopy]] = relationship(order_by="NoticeCopy.id")

    @property
    def live(self) -> bool:
        return self.outcome is None


class NoticeCopy(Base):
    """A copy of a notice sent, as the statute requires, at the same time as the notice."""

    __tablename__ = "notice_copy"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("warning_notice.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    sent_on: Mapped[date | None] = mapped_column(Date)  # none until the notice's letter is issued
    method: Mapped[str | None] = mapped_column(String(10))


class StatementOfAction(Base):
    """The LA's statement of action (England) or action plan, due 10 working days after a
    category is given (003:L805–811)."""

    __tablename__ = "statement_of_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    target_removal_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)


class Deadline(Base):
    """A dated duty on a case, stored with how it was counted so it can explain itself.

    Deadlines of the half-term plan carry a ``plan_key`` (half-term, duty, number), unique
    per case, so planning the same half-term twice adds nothing.
    """

    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("case_id", "plan_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(80))
    counted_from: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(20))
    due: Mapped[date] = mapped_column(Date, index=True)
    calendar: Mapped[str] = mapped_column(String(200))
    calendar_version: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text)
    # A planned duty's placing in Welsh (it cannot be counted again from the row); a count in
    # days or months is said in Welsh from the row itself (``welsh_explanation``).
    explanation_cy: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=DeadlineStatus.OPEN, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(String(200))  # met or cancelled by which action, or the case closed
    set_by_action: Mapped[str] = mapped_column(String(80))
    plan_key: Mapped[str | None] = mapped_column(String(120))

    case: Mapped[Case] = relationship(back_populates="deadlines")


class Document(Base):
    """A generated letter or document, versioned per (case, kind)."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("case_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The audit event of a correction to what this document was made from, made after it: the
    # document is "made before a correction" until a new version is made.
    corrected_by: Mapped[int | None] = mapped_column(Integer)
    # A letter is a draft until issued (models.services.letters); other documents are final.
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.FINAL)
    edits: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a draft's free text as the lead edited it
    uploaded_by: Mapped[str | None] = mapped_column(String(320))  # a final version edited in Word and uploaded
    issued_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[str | None] = mapped_column(String(320))
    reference: Mapped[str | None] = mapped_column(String(60))
    # The meeting, review or visit a report or minutes is of: each has its own document, and
    # its versions are that document made again.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))

    deliveries: Mapped[list[LetterDelivery]] = relationship(order_by="LetterDelivery.id", viewonly=True)


class LetterDelivery(Base):
    """How and when one recipient of an issued letter was sent it: the record its copy lines
    are read from."""

    __tablename__ = "letter_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    method: Mapped[str] = mapped_column(String(10))
    sent_on: Mapped[date] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(320))
    notification_id: Mapped[int | None] = mapped_column(Integer)  # the outbox row of an emailed copy


class CaseNote(Base):
    """A dated, attributed note on a case: what a phone call, a visit or a meeting told the
    case team that no action records. Seen by whoever sees the case."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    written_on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Evidence(Base):
    """A file kept with a case (an inspection report, governors' minutes, a photo of work):
    its type checked by its content, scanned when a scanner is set, stored with its sha256."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # pdf, word, excel, powerpoint, png, jpeg, gif
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(1000))  # under the data root
    description: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(320))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    scanned: Mapped[bool] = mapped_column(Boolean)  # by clamd, which found nothing

