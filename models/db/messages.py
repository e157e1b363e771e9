"""The outbox of notifications and the alerts raised on cases.

Reminders are written to the outbox first and sent from it, so a mail server that is down
loses nothing: a row stays queued and is retried with back-off. Each row has a unique
``key`` (deadline, offset, recipient — or digest week and recipient), so queuing the same
reminder twice, from a retried flow or a scheduler that fired twice, writes it once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db.base import Base
from models.vocab import NotificationStatus

__all__ = ["Alert", "Notification", "SchedulerLease"]


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id"))  # not indexed: deadlines are never deleted
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))  # a letter sent attached
    recipient_email: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=NotificationStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Alert(Base):
    """Something the right person must know about a case (an escalation rule fired)."""

    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("case_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(120))
    raised_on: Mapped[date] = mapped_column(Date)
    to_role: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    detail_cy: Mapped[str | None] = mapped_column(Text)  # the same, in Welsh, for a case on Welsh term dates
    resolved_on: Mapped[date | None] = mapped_column(Date)


class SchedulerLease(Base):
    """Who runs the one embedded scheduler of this database (see ``scc serve``)."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    renewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
