"""The outbox: every email is a row first, sent from there exactly once.

Queuing writes rows keyed by what they are about — (deadline, offset, recipient), (alert,
recipient), (digest week, recipient) — so queuing the same reminder again, from a retried
flow, a second sweep or a scheduler that fired twice, writes nothing. Sending claims each
row (``queued`` → ``sending``) before talking to the mail server and marks it ``sent`` at
once after, each step committed, so two senders never send one row and a restart never
resends what went out. A row that cannot be sent (server down, refused) stays queued with
its error and is retried with back-off; after ``MAX_ATTEMPTS`` it is ``failed`` and listed.
A row whose message cannot even be written (a header with a line break, from data that
predates the input checks) is treated the same way and never stops the rows after it.

The one window left is a crash between the mail server accepting a message and the
``sent`` mark; such a row is requeued after ``STALE_CLAIM`` and may go twice. Each message
carries a Message-ID made from its key, so mail clients show a repeat as the same message.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Any

from sqlalchemy import String, any_, bindparam, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from models.db.authorities import Authority
from models.db.base import table_of
from models.db.bulk import insert_new
from models.db.cases import Case, Document
from models.db.messages import Notification
from models.db.queries import rows_changed
from models.db.schools import School
from models.db.session import transaction
from models.db.storage import file_store
from models.errors import InvalidInput
from models.rules.text import header_safe
from models.settings.environment import environment, load_settings
from models.vocab import NotificationStatus

__all__ = ["SendReport", "SmtpSettings", "queue", "send_due", "smtp_settings"]

MAX_ATTEMPTS = 12
KEY_CHUNK = 500
STALE_CLAIM = timedelta(minutes=15)
DOCX_SUBTYPE = "vnd.openxmlformats-officedocument.wordprocessingml.document"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed attempt, at most 6 hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server: ``SCC_SMTP_*`` variables, else ``[smtp]`` in settings.toml.

    Plain SMTP unless ``tls`` is ``starttls`` or ``ssl``; a login only when a user is set.
    The password is read from ``SCC_SMTP_PASSWORD`` only, never from a file in the repository.
    """

    host: str
    port: int
    sender: str
    tls: str = "none"
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def connect(self) -> smtplib.SMTP:
        if self.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
        if self.username:
            client.login(self.username, self.password or "")
        return client


def smtp_settings() -> SmtpSettings:
    configured = load_settings().get("smtp", {})
    env = environment()
    port_text = env.smtp_port or str(configured.get("port", 25))
    try:
        port = int(port_text)
    except ValueError:
        raise InvalidInput(f"SCC_SMTP_PORT must be a port number like 587, not '{port_text}'") from None
    tls = (env.smtp_tls or str(configured.get("tls", "none"))).lower()
    if tls not in ("none", "starttls", "ssl"):
        raise InvalidInput(f"SCC_SMTP_TLS must be none, starttls or ssl, not '{tls}'")
    return SmtpSettings(
        host=env.smtp_host or str(configured.get("host", "localhost")),
        port=port,
        sender=env.smtp_from or str(configured.get("from", "scc-casework@localhost")),
        tls=tls,
        username=env.smtp_user or configured.get("username"),
        password=env.smtp_password,
    )


def queue(session: Session, rows: Sequence[dict[str, Any]], now: datetime | None = None) -> int:
    """Add the notifications whose key is new; returns how many were added."""
    if not rows:
        return 0
    known = _known_keys(session, [r["key"] for r in rows])
    moment = now or datetime.now(UTC)
    queued = {"status": NotificationStatus.QUEUED, "attempts": 0, "not_before": moment, "created_at": moment}
    fresh: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["key"] not in known and row["key"] not in fresh:
            fresh[row["key"]] = queued | row
    insert_new(session, table_of(Notification), "key", list(fresh.values()))
    return len(fresh)


def _known_keys(session: Session, keys: list[str]) -> set[str]:
    """The keys already queued. PostgreSQL is asked once, the keys as one array, which it
    hashes whatever plan it picks: asked in chunks, a sweep's later lookups against the rows
    it queued moments before (no statistics yet) scanned the table once a chunk, most of the
    sweep's time. SQLite is asked in chunks (its limit on bound parameters)."""
    if session.get_bind().dialect.name == "postgresql":
        wanted = bindparam("keys", keys, type_=postgresql.ARRAY(String))
        return set(session.execute(select(Notification.key).where(Notification.key == any_(wanted))).scalars())
    known: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        known.update(session.execute(
            select(Notification.key).where(Notification.key.in_(keys[start:start + KEY_CHUNK]))
        ).scalars())
    return known


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"sent": len(self.sent), "deferred": len(self.deferred), "failed": len(self.failed),
                "error": self.error, "keys_sent": self.sent}


def _attachment(session: Session, row: Notification) -> tuple[bytes, str] | None:
    """The issued letter an email carries, read back and checked against its sha256: a file
    changed since it was issued is not sent (the row waits with the reason)."""
    if row.document_id is None:
        return None
    document = session.get(Document, row.document_id)
    assert document is not None  # the row's foreign key
    data = file_store(session).get(document.path)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValueError(f"the letter {document.path} was changed after it was issued: run scc doc verify")
    return data, f"{document.reference or document.kind}.docx".replace("/", "-")


def _message(row: Notification, sender: str, attachment: tuple[bytes, str] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((header_safe(row.recipient_name), row.recipient_email))
    message["Subject"] = header_safe(row.subject)
    message["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or "scc-casework"
    message["Message-ID"] = f"<{hashlib.sha256(row.key.encode()).hexdigest()[:32]}@{domain}>"
    message["X-SCC-Key"] = row.key
    message.set_content(row.body)
    if attachment is not None:
        message.add_attachment(attachment[0], maintype="application", subtype=DOCX_SUBTYPE, filename=attachment[1])
    return message


def _defer(session: Session, ids: Iterable[int], error: str, now: datetime, report: SendReport) -> None:
    for row in session.execute(select(Notification).where(Notification.id.in_(list(ids)))).scalars():
        row.attempts += 1
        row.last_error = error[:2000]
        row.claimed_at = None
        if row.attempts >= MAX_ATTEMPTS:
            row.status = NotificationStatus.FAILED
            report.failed.append(row.key)
        else:
            row.status = NotificationStatus.QUEUED
            row.not_before = now + backoff(row.attempts)
            report.deferred.append(row.key)


def send_due(now: datetime | None = None, smtp: SmtpSettings | None = None, limit: int = 500) -> SendReport:
    """Send what is queued and due, each row claimed and marked in its own commit."""
    now = now or datetime.now(UTC)
    smtp = smtp or smtp_settings()
    report = SendReport()
    due = _due(now, limit)
    if not due:
        return report
    client = _connect(smtp, report)
    if client is None:
        with transaction() as session:
            _defer(session, due, report.error or "", now, report)
        return report
    try:
        for notification_id in due:
            if not _send_one(client, notification_id, smtp.sender, now, report):
                break  # the connection is gone: the rest wait for the next run, unclaimed
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return report


def _due(now: datetime, limit: int) -> list[int]:
    """Release claims a crashed sender left behind, then list what is due, oldest first."""
    with transaction() as session:
        session.execute(
            update(Notification)
            .where(Notification.status == NotificationStatus.SENDING, Notification.claimed_at < now - STALE_CLAIM)
            .values(status=NotificationStatus.QUEUED, claimed_at=None)
        )
        return list(session.execute(
            select(Notification.id)
            .where(Notification.status == NotificationStatus.QUEUED, Notification.not_before <= now)
            .order_by(Notification.not_before, Notification.id).limit(limit)
        ).scalars())


def _connect(smtp: SmtpSettings, report: SendReport) -> smtplib.SMTP | None:
    """A logged-in connection, or None with the reason in ``report.error``."""
    try:
        return smtp.connect()
    except smtplib.SMTPAuthenticationError as exc:
        report.error = (f"the mail server {smtp.host}:{smtp.port} refused the login of {smtp.username} ({exc.smtp_code}): "
                        "check SCC_SMTP_USER and SCC_SMTP_PASSWORD")
    except (OSError, smtplib.SMTPException) as exc:
        report.error = f"cannot reach the mail server {smtp.host}:{smtp.port}: {exc}"
    return None


def _sender_of(session: Session, row: Notification) -> str | None:
    """The From of a case's mail: its authority's own sender where it has one (each authority of
    a consortium writes as itself); None for the installation's."""
    if row.case_id is None:
        return None
    return session.execute(select(Authority.sender).join(School, School.authority_id == Authority.id)
                           .join(Case, Case.school_id == School.id).where(Case.id == row.case_id)).scalar()


def _send_one(client: smtplib.SMTP, notification_id: int, sender: str, now: datetime, report: SendReport) -> bool:
    """Claim, send and mark one row; False when the connection is lost and sending must stop."""
    with transaction() as session:
        claimed = rows_changed(session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.status == NotificationStatus.QUEUED)
            .values(status=NotificationStatus.SENDING, claimed_at=now)
        ))
    if not claimed:
        return True  # another sender has it
    try:
        with transaction() as session:
            row = session.get(Notification, notification_id)
            assert row is not None
            message = _message(row, _sender_of(session, row) or sender, _attachment(session, row))
    except OSError as exc:  # the letter's file is not in the data folder
        with transaction() as session:
            _defer(session, [notification_id], f"the letter cannot be read: {exc}", now, report)
        return True
    except (ValueError, TypeError) as exc:  # a header the email library will not write, an altered letter
        with transaction() as session:
            _defer(session, [notification_id], f"the message cannot be written: {exc}", now, report)
        return True
    try:
        client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        with transaction() as session:
            _defer(session, [notification_id], f"{type(exc).__name__}: {exc}", now, report)
        return not isinstance(exc, (OSError, smtplib.SMTPServerDisconnected))
    with transaction() as session:
        session.execute(
            update(Notification).where(Notification.id == notification_id)
            .values(status=NotificationStatus.SENT, sent_at=datetime.now(UTC), last_error=None,
                    attempts=Notification.attempts + 1)
        )
    report.sent.append(message["X-SCC-Key"])
    return True
