"""The append-only, tamper-evident audit log.

Every change is an event (actor, time, action, before/after). Each event stores the hash
of the one before it and its own hash over its contents, so editing any event breaks its
own hash and deleting one breaks the link of the next; the one-row ``audit_head`` holds
the newest hash and count, so removing the last events is caught as well. Writers take
the head row ``FOR UPDATE``, which makes concurrent writers on PostgreSQL chain one after
the other instead of forking the chain.

The head is anchored outside the rows it protects: it carries a seal, an HMAC of its count
and hash under a key kept in the data root (``audit.key``, 0600, made with the first event).
Someone who can edit the database but not read that file cannot delete the newest events
and fix the head, recompute the whole chain after an edit, or empty the log unnoticed: the
seal no longer matches, or the key exists while the log is empty.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, bindparam, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.db.base import Base, as_utc, table_of
from models.db.installation import claim_data_root, data_root, private_key

__all__ = ["AuditEvent", "AuditHead", "Entry", "Verification", "record", "record_many", "verify"]

GENESIS = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id"), index=True)
    effective_on: Mapped[date | None] = mapped_column(Date)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the number of events and the hash of the newest."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(64))  # HMAC of seq and hash under the data root's key


KEY_FILE = "audit.key"


def newest_seq(session: Session) -> int:
    """The number of the newest event (0 before any): it moves with every change recorded,
    so a view of the records can be kept until it does."""
    return int(session.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar() or 0)


def _seal(key: bytes, seq: int, digest: str) -> str:
    return hmac.new(key, f"{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def _digest(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    case_id: int | None,
    effective_on: date | None,
    before: dict[str, Any],
    after: dict[str, Any],
    prev_hash: str,
) -> str:
    at_utc = as_utc(at)
    body = json.dumps(
        [
            seq,
            at_utc.astimezone(UTC).isoformat(timespec="microseconds"),
            actor,
            action,
            case_id,
            effective_on.isoformat() if effective_on else None,
            before,
            after,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def jsonable(value: dict[str, Any]) -> dict[str, Any]:
    """Dates and enums become strings so the stored JSON and the hashed JSON agree."""
    result: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return result


@dataclass(frozen=True)
class Entry:
    """One event to append: who, what, on which case, and the change."""

    actor: str
    action: str
    case_id: int | None = None
    effective_on: date | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    case_id: int | None = None,
    effective_on: date | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Append one event; it is committed with the change it describes, or not at all.
    Returns the event's sequence number."""
    return record_many(session, [Entry(actor, action, case_id, effective_on, before, after)])


# Compiled once: every change moves the head.
_MOVE_HEAD = (update(table_of(AuditHead)).where(table_of(AuditHead).c.id == 1)
              .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"), seal=bindparam("new_seal")))


# SQLite has no FOR UPDATE, and its driver begins a transaction only at the first write: without
# this no-op write first, two processes (a page and the scheduler's sweep) can read the same head
# and the second to commit is refused for a sequence number already taken.
_CLAIM_HEAD = (update(table_of(AuditHead)).where(table_of(AuditHead).c.id == 1)
               .values(seq=table_of(AuditHead).c.seq))


def record_many(session: Session, entries: list[Entry]) -> int:
    """Append events in order, chained, with one statement for all of them.

    Written with Core statements rather than the unit of work: every action writes an
    event, and the daily sweep may write one per case, so this is on the hot path. Returns
    the sequence number of the last event.
    """
    session.flush()  # the change first, so a failing change never leaves an event behind
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_CLAIM_HEAD)
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one_or_none()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    if not entries:
        return seq
    rows = []
    for entry in entries:
        seq += 1
        before_json, after_json = jsonable(entry.before or {}), jsonable(entry.after or {})
        at = datetime.now(UTC)
        digest = _digest(seq, at, entry.actor, entry.action, entry.case_id, entry.effective_on, before_json, after_json, prev)
        rows.append({"seq": seq, "at": at, "actor": entry.actor, "action": entry.action, "case_id": entry.case_id,
                     "effective_on": entry.effective_on, "before": before_json, "after": after_json,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(table_of(AuditEvent)), rows)
    key = private_key(claim_data_root(session) / KEY_FILE, create=True)
    assert key is not None
    sealed = {"new_seq": seq, "new_hash": prev, "new_seal": _seal(key, seq, prev)}
    if head is None:
        session.execute(insert(AuditHead).values(id=1, seq=seq, hash=prev, seal=sealed["new_seal"]))
    else:
        session.execute(_MOVE_HEAD, sealed)
    return seq



@dataclass(frozen=True)
class Verification:
    events: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> Verification:
    """Walk the chain from the first event; report every edited, missing or extra event."""
    problems: list[str] = []
    prev, expected_seq, count = GENESIS, 1, 0
    for event in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        count += 1
        if event.seq != expected_seq:
            problems.append(f"events {expected_seq}..{event.seq - 1} are missing (deleted)")
        if event.prev_hash != prev:
            problems.append(f"event {event.seq} does not follow the event before it (one was deleted or edited)")
        digest = _digest(
            event.seq, event.at, event.actor, event.action, event.case_id,
            event.effective_on, event.before, event.after, event.prev_hash,
        )
        if digest != event.hash:
            problems.append(f"event {event.seq} ({event.action} by {event.actor}) was edited after it was written")
        prev, expected_seq = event.hash, event.seq + 1
    problems += _anchor_problems(session, expected_seq - 1, prev)
    return Verification(events=count, problems=tuple(problems))


def _anchor_problems(session: Session, last_seq: int, last_hash: str) -> list[str]:
    """What the head and its seal say about the end of the chain."""
    head = session.get(AuditHead, 1)
    key = private_key(data_root(session) / KEY_FILE, create=False)
    if head is None:
        if key is not None:
            return ["the log's head is gone though this database has written events (its audit key exists): "
                    "events were deleted"]
        return []
    problems = []
    if head.seq != last_seq or head.hash != last_hash:
        problems.append(f"the log should end at event {head.seq} but ends at {last_seq}: the newest events were deleted")
    if key is None:
        if head.seal is not None:
            problems.append(f"the audit key {KEY_FILE} is missing from the data folder: the end of the log cannot be checked")
    elif head.seal is None or not hmac.compare_digest(head.seal, _seal(key, head.seq, head.hash)):
        problems.append("the log's head was not written by SCC Casework: events were deleted or the chain was recomputed")
    return problems
