"""The health of an installation as a senior officer reads it on the System page, and the one
failure every member of staff is warned of on every page: email not going out.

Each check says in one line what it found and, when something is wrong, what to do. Nothing
here changes anything, except the data folder check, which writes and removes a file of its
own to prove the folder is writable.
"""

from __future__ import annotations

import os
import smtplib
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.db.audit import AuditEvent
from models.db.base import as_utc
from models.db.installation import data_root
from models.db.messages import Notification, SchedulerLease
from models.errors import InvalidInput
from models.services.health import LEASE_NAME
from models.services.outbox import smtp_settings
from models.settings.environment import environment
from models.vocab import NotificationStatus

__all__ = ["EMAIL_WARNING_AFTER", "SystemCheck", "email_failing", "system_checks"]

EMAIL_WARNING_AFTER = timedelta(hours=1)  # a mail server restarting is not news; an hour of silence is
SWEEP_DUE_EVERY = timedelta(days=2)  # the sweep runs each morning: two days without one is a fault


@dataclass(frozen=True)
class SystemCheck:
    name: str
    ok: bool
    detail: str


def _when(moment: datetime) -> str:
    return as_utc(moment).strftime("%-d %B %Y %H:%M UTC")


def email_failing(session: Session, now: datetime) -> str | None:
    """What to tell every member of staff while email has been failing for more than an hour:
    the oldest email still waiting after a failed attempt, or failed for good."""
    waiting = (Notification.status == NotificationStatus.FAILED) | (
        (Notification.status == NotificationStatus.QUEUED) & Notification.last_error.is_not(None))
    oldest = session.execute(select(Notification.created_at, Notification.last_error).where(waiting)
                             .order_by(Notification.created_at).limit(1)).first()
    if oldest is None or now - as_utc(oldest.created_at) < EMAIL_WARNING_AFTER:
        return None
    return (f"Email is not being sent: the oldest message waiting was written on {_when(oldest.created_at)}. "
            "Reminders and letters sent by email are held until it is put right: tell the administrator.")


def system_checks(session: Session, now: datetime) -> list[SystemCheck]:
    """Every check of the System page, in the order an administrator would look."""
    return [_mail_server(), _outbox(session, now), _scheduler(session, now), _last(session, now, "deadline_sweep",
            "Daily deadline sweep", SWEEP_DUE_EVERY), _last(session, now, "half_term_planned", "Half-term plan", None),
            _prefect(), _data_folder(session)]


def _mail_server() -> SystemCheck:
    try:
        smtp = smtp_settings()
    except InvalidInput as error:
        return SystemCheck("Mail server", False, str(error))
    try:
        smtp.connect().quit()
    except (OSError, smtplib.SMTPException) as error:
        return SystemCheck("Mail server", False, f"cannot reach the mail server {smtp.host}:{smtp.port} ({error}): "
                                                 "check SCC_SMTP_HOST and SCC_SMTP_PORT, and that the server is up")
    return SystemCheck("Mail server", True, f"{smtp.host}:{smtp.port} answers")


def _outbox(session: Session, now: datetime) -> SystemCheck:
    counts = dict(session.execute(select(Notification.status, func.count()).group_by(Notification.status)).tuples().all())
    queued, failed = counts.get(NotificationStatus.QUEUED, 0), counts.get(NotificationStatus.FAILED, 0)
    latest = session.execute(select(Notification.last_error, Notification.created_at).where(Notification.last_error.is_not(None),
                             Notification.status != NotificationStatus.SENT).order_by(Notification.created_at).limit(1)).first()
    detail = f"{queued} waiting to be sent, {failed} failed for good, {counts.get(NotificationStatus.SENT, 0)} sent"
    if latest is not None:
        detail += f"; the oldest waiting since {_when(latest.created_at)}: {latest.last_error}"
    return SystemCheck("Outbox", email_failing(session, now) is None and failed == 0, detail)


def _scheduler(session: Session, now: datetime) -> SystemCheck:
    lease = session.get(SchedulerLease, LEASE_NAME)
    if lease is None:
        return SystemCheck("Scheduler", False, "no scheduler has run on this database: start the service")
    fresh = now - as_utc(lease.renewed_at) <= timedelta(seconds=int(environment().scheduler_lease_seconds))
    where = f"{lease.holder} on {lease.host} (process {lease.pid}), last renewed {_when(lease.renewed_at)}"
    return SystemCheck("Scheduler", fresh, where if fresh else f"not running: {where}; start the service")


def _last(session: Session, now: datetime, action: str, name: str, due_every: timedelta | None) -> SystemCheck:
    at = session.execute(select(func.max(AuditEvent.at)).where(AuditEvent.action == action)).scalar()
    if at is None:
        return SystemCheck(name, due_every is None, "has not run on this database yet")
    late = due_every is not None and now - as_utc(at) > due_every
    return SystemCheck(name, not late, f"last ran {_when(at)}" + (": the scheduler is not running it" if late else ""))


def _prefect() -> SystemCheck:
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        return SystemCheck("Prefect server", True, "each change runs on a temporary Prefect server of its own process")
    try:
        answer = httpx.get(f"{url.rstrip('/')}/health", timeout=3)
    except httpx.HTTPError as error:
        return SystemCheck("Prefect server", False, f"{url} does not answer ({error}): changes to cases cannot run")
    return SystemCheck("Prefect server", answer.status_code == 200, f"{url} answers ({answer.status_code})")


def _data_folder(session: Session) -> SystemCheck:
    root = data_root(session)
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".system-check-"):
            pass
    except OSError as error:
        return SystemCheck("Data folder", False, f"the data folder cannot be written ({error.strerror}): letters and files cannot be kept")
    return SystemCheck("Data folder", True, "letters and files can be kept")
