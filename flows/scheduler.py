"""The embedded scheduler of ``scc serve``: APScheduler firing the recurring flows and each
deadline's reminders, for one LA on one machine.

Three rules keep it from losing or repeating a reminder:

- **One scheduler per database.** A lease row (``scheduler_lease``) names the holder; it is
  renewed every few seconds, and a second ``scc serve`` is refused while the holder lives.
  A holder that died (killed, machine lost) is taken over once its process is gone (same
  host) or its lease has lapsed (``SCC_SCHEDULER_LEASE_SECONDS``, default 60).
- **The deadlines table is the truth.** APScheduler's own jobs (``apscheduler_jobs`` in the
  product's database) are rebuilt from the live deadlines at start and every few minutes:
  jobs whose deadline was met or cancelled go, new deadlines get theirs. Jobs carry only
  ids, never pickled objects that could fail to load.
- **Catch up once, never twice.** At start the daily sweep runs for today, which queues the
  latest reminder missed while the scheduler was down; the outbox's unique keys make every
  repeat a no-op, so a restart sends what was missed exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time as time_module
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from flows.catalog import FLOWS
from flows.recurring import send_reminders
from flows.runtime import run, server_file, stop_with_this_process
from flows.schedules import RECURRING, TIMEZONE
from models.db.cases import Case, Deadline
from models.db.messages import SchedulerLease
from models.db.queries import case_is_open, deadline_is_live
from models.db.session import engine, transaction
from models.errors import SchedulerBusy
from models.services.health import LEASE_NAME
from models.settings.environment import database_url, environment
from models.settings.files import calendar_named, reminder_rules
from models.settings.server_link import alive

__all__ = ["Lease", "serve"]

LONDON = ZoneInfo(TIMEZONE)
RECONCILE_SECONDS = 300
log = logging.getLogger("scc.scheduler")


def lease_seconds() -> int:
    return int(environment().scheduler_lease_seconds)


@dataclass
class Lease:
    """This process's claim to be the database's one scheduler."""

    holder: str
    host: str
    pid: int

    @classmethod
    def mine(cls) -> Lease:
        return cls(uuid.uuid4().hex, socket.gethostname(), os.getpid())

    def acquire(self) -> None:
        """Take the lease, or raise SchedulerBusy naming who holds it."""
        now = datetime.now(UTC)
        with transaction() as session:
            current = session.execute(
                select(SchedulerLease).where(SchedulerLease.name == LEASE_NAME).with_for_update()
            ).scalar()
            if current is None:
                session.add(SchedulerLease(name=LEASE_NAME, holder=self.holder, host=self.host, pid=self.pid,
                                           renewed_at=now))
                try:
                    session.flush()
                except IntegrityError:
                    raise SchedulerBusy("another `scc serve` started on this database at the same moment: "
                                        "only one scheduler may run per database") from None
                return
            renewed = current.renewed_at if current.renewed_at.tzinfo else current.renewed_at.replace(tzinfo=UTC)
            lapsed = now - renewed > timedelta(seconds=lease_seconds())
            dead_here = current.host == self.host and not alive(current.pid)
            if current.holder != self.holder and not (lapsed or dead_here):
                age = int((now - renewed).total_seconds())
                raise SchedulerBusy(
                    f"a scheduler already runs on this database ({current.host}, pid {current.pid}, renewed {age}s ago): "
                    f"stop it first; if it died on another machine, wait {lease_seconds()}s for its lease to lapse"
                )
            current.holder, current.host, current.pid, current.renewed_at = self.holder, self.host, self.pid, now

    def renew(self) -> bool:
        """Extend the lease; False when another scheduler has taken it (this one must stop)."""
        with transaction() as session:
            renewed = session.execute(
                update(SchedulerLease).where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder)
                .values(renewed_at=datetime.now(UTC))
            )
            return bool(getattr(renewed, "rowcount", 0))

    def release(self) -> None:
        with transaction() as session:
            session.execute(
                update(SchedulerLease).where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder)
                .values(renewed_at=datetime(2000, 1, 1, tzinfo=UTC))
            )


# ------------------------------------------------------------------ jobs (module-level: APScheduler stores their names)

def fire_recurring(name: str) -> None:
    """Run one of the recurring flows (``flows.schedules``) for today."""
    log.info("running %s", name)
    run(FLOWS[name], on=date.today())


def fire_reminder(deadline_id: int) -> None:
    """A deadline's reminder hour has come: queue and send what is due for it today."""
    run(send_reminders, deadline_ids=[deadline_id], on=date.today())


def reminder_jobs(today: date) -> dict[str, datetime]:
    """Job id → fire time for every reminder still ahead of each live deadline."""
    rules = reminder_rules()
    at = time.fromisoformat(environment().reminder_time)
    wanted: dict[str, datetime] = {}
    with transaction() as session:
        rows = session.execute(
            select(Deadline.id, Deadline.kind, Deadline.due, Case.calendar).join(Case, Case.id == Deadline.case_id)
            .where(case_is_open(), deadline_is_live())
        ).all()
    calendars: dict[str, Any] = {}
    for deadline_id, kind, due, calendar_name in rows:
        calendar = calendars.get(calendar_name) or calendars.setdefault(calendar_name, calendar_named(calendar_name))
        rule = rules.for_kind(kind)
        for offset in [-n for n in rule.before] + list(rule.after):
            day = rule.send_on(due, offset, calendar)
            if day >= today:
                wanted[f"reminder:{deadline_id}:{offset:+d}"] = datetime.combine(day, at, LONDON)
    return wanted


def reconcile(scheduler: Any, today: date) -> tuple[int, int]:
    """Make the scheduler's reminder jobs match the live deadlines; returns (added, removed)."""
    wanted = reminder_jobs(today)
    present = {job.id for job in scheduler.get_jobs() if job.id.startswith("reminder:")}
    removed = 0
    for job_id in present - set(wanted):
        scheduler.remove_job(job_id)
        removed += 1
    added = 0
    for job_id, run_at in wanted.items():
        if job_id not in present:
            deadline_id = int(job_id.split(":")[1])
            scheduler.add_job(fire_reminder, "date", run_date=run_at, args=[deadline_id], id=job_id,
                              replace_existing=True, misfire_grace_time=None, coalesce=True)
            added += 1
    return added, removed


def _keep_lease(lease: Lease, stop: threading.Event) -> None:
    """Renew the lease a few times per lease period, from start-up on (the catch-up sweep
    may take a while); stop the scheduler if another one has taken the database."""
    while not stop.wait(max(lease_seconds() / 4, 0.5)):
        if not lease.renew():
            log.error("another scheduler took over this database: stopping")
            stop.set()


def _start_prefect_server() -> subprocess.Popen[bytes] | None:
    """A Prefect server for this PREFECT_HOME, unless one is named (PREFECT_API_URL) or
    already recorded alive; its address is recorded for the ``scc`` commands beside it."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    log_file = (server_file().parent / "scc-prefect-server.log").open("ab")
    # Only what shows and records the flow runs made here: the services for deployments,
    # workers and automations (run on a shared Prefect server when scaled out) would take
    # CPU from the pages for nothing. A value set in the environment wins.
    quiet = {f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in (
        "SCHEDULER", "LATE_RUNS", "FOREMAN", "TRIGGERS", "PAUSE_EXPIRATIONS", "CANCELLATION_CLEANUP", "REPOSSESSOR",
        "EVENT_LOGGER")}
    process = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log_file, stderr=subprocess.STDOUT, env={**quiet, **os.environ})
    deadline = time_module.monotonic() + 120
    while time_module.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                break
        except OSError:
            time_module.sleep(0.5)
    else:
        process.terminate()
        log.error("the Prefect server did not start (see %s): flows use a temporary one", log_file.name)
        return None
    stop_with_this_process(process.pid)  # a SIGKILLed `scc serve` takes its Prefect server with it
    server_file().write_text(json.dumps({"url": url, "pid": process.pid}), encoding="utf-8")
    os.environ["PREFECT_API_URL"] = url
    return process


def _send_last_flow_logs(timeout: float = 10) -> None:
    """Send what Prefect still holds of this process's flow runs (logs, events) while its
    server is up; a no-op when no flow ran here."""
    if "prefect.logging.handlers" in sys.modules:
        from prefect.logging.handlers import APILogWorker  # only once Prefect itself is loaded

        APILogWorker.drain_all(timeout=timeout)
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker  # only once Prefect itself is loaded

        EventsWorker.drain_all(timeout=timeout)


def serve(stop: threading.Event | None = None, on_ready: Callable[[str], None] | None = None,
          prefect_server: bool = True, on_stop: Callable[[], None] | None = None) -> None:
    """Run the scheduler until SIGINT/SIGTERM (or ``stop``); raises SchedulerBusy first if
    another one holds this database. With ``prefect_server``, also runs a Prefect server
    (its UI shows every flow run) that the ``scc`` commands beside it report to.

    On the way out, ``on_stop`` runs first (the web server finishes the requests in
    flight, whose flows report to the Prefect server), then the flow runs' last logs and
    events are sent, and only then does the Prefect server stop: a process left waiting
    to send logs to a server that has gone would never exit."""

    lease = Lease.mine()
    lease.acquire()
    stop = stop or threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    threading.Thread(target=_keep_lease, args=(lease, stop), name="scc-lease", daemon=True).start()
    server = _start_prefect_server() if prefect_server else None
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine(database_url()))},
        executors={"default": ThreadPoolExecutor(1)},  # one job at a time: flows write to one database
        job_defaults={"coalesce": True, "misfire_grace_time": 6 * 3600, "max_instances": 1},
        timezone=LONDON,
    )
    try:
        scheduler.start(paused=True)
        for recurring in RECURRING:
            trigger = (CronTrigger.from_crontab(recurring.cron, timezone=LONDON) if recurring.cron
                       else IntervalTrigger(minutes=recurring.every_minutes or 1))
            scheduler.add_job(fire_recurring, trigger, args=[recurring.flow], id=recurring.command,
                              replace_existing=True)
        added, removed = reconcile(scheduler, date.today())
        if on_ready:
            on_ready(f"scheduler running (pid {lease.pid}); {added} reminder jobs added, {removed} removed; "
                     f"flow runs at {os.environ.get('PREFECT_API_URL') or 'a temporary Prefect server'}; catching up")
        fire_recurring("deadline-sweep")  # what was missed while down, once
        scheduler.resume()
        while not stop.wait(RECONCILE_SECONDS):  # new and closed deadlines since the last look
            reconcile(scheduler, date.today())
    finally:
        if on_stop is not None:
            on_stop()
        if scheduler.running:
            scheduler.shutdown(wait=True)
        _send_last_flow_logs()
        lease.release()
        if server is not None:
            server_file().unlink(missing_ok=True)
            server.terminate()
            server.wait(timeout=30)
