"""``scc serve``: one scheduler per database; killed and restarted, it sends what it missed once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from models.db.session import engine
from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Mailbox, Scc, free_port

SCC = str(Path(sys.executable).parent / "scc")


def _serve(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # the web pages on a free port of their own
    return subprocess.Popen([SCC, "serve", "--port", str(free_port())], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _until(condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _overdue_notice(scc: Scc, urn: str) -> int:
    """A case whose warning notice's compliance period ended a fortnight ago (working days: any date works)."""
    today = date.today()
    case = open_case(scc, urn, on=(today - timedelta(days=40)).isoformat())
    advance(scc, case, "issue_warning_notice", (today - timedelta(days=30)).isoformat(), "grounds=safety",
            "reasons=r", "required_action=a", "compliance_days=3", "minded_to=appoint additional governors")
    return case


def test_killed_scheduler_restarts_and_sends_missed_reminders_exactly_once(
    la: Scc, smtp: Mailbox, db_url: str, prefect_server: str, tmp_path: Path
) -> None:
    first = _overdue_notice(la, "100001")
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "SCC_SCHEDULER_LEASE_SECONDS": "4"}
    log = tmp_path / "serve.log"

    def queued() -> int:
        with engine(db_url).connect() as connection:
            return connection.execute(text("SELECT count(*) FROM notification WHERE status <> 'sent'")).scalar_one()

    def reminded(case: int) -> bool:
        return any(m["X-SCC-Key"].startswith("deadline:") and f"Case {case}:" in m.get_payload() for m in smtp.to(LEAD))

    server = _serve(env, log)
    try:
        _until(lambda: reminded(first) and queued() == 0, "the catch-up sweep to send the first case's reminders")
        # A second scheduler on the same database is refused, in one line.
        second = subprocess.run([SCC, "serve"], env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert second.stderr.strip().startswith("error: a scheduler already runs on this database")
        assert len(second.stderr.strip().splitlines()) == 1
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        sent_before = Counter(smtp.keys())

        # While it is down, another notice runs out.
        missed = _overdue_notice(la, "100004")
        server = _serve(env, log)
        _until(lambda: reminded(missed) and queued() == 0, "the restarted scheduler to send what it missed")
        time.sleep(2)  # give a wrongly repeated send the chance to show
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    keys = Counter(smtp.keys())
    assert all(count == 1 for count in keys.values()), f"sent twice: {[k for k, n in keys.items() if n > 1]}"
    assert set(sent_before) < set(keys)
    assert any(k.startswith("deadline:") and k.endswith(SENIOR) for k in keys)  # the overdue reminder's second role
    with engine(db_url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notification")).scalar_one() == len(keys)


def test_reminder_jobs_follow_the_deadlines_table(la: Scc) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from flows.scheduler import reconcile

    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", "grounds=safety", "reasons=r", "required_action=a",
            "compliance_days=15", "minded_to=m")
    scheduler = BackgroundScheduler(timezone="Europe/London")
    scheduler.start(paused=True)
    try:
        assert reconcile(scheduler, date(2026, 12, 11)) == (5, 0)
        jobs = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        compliance = next(k for k in jobs if k.endswith(":-5") and jobs[k].date() == date(2026, 12, 24))
        assert jobs[compliance].hour == 8  # reminders go at 08:00, London time
        assert reconcile(scheduler, date(2026, 12, 11)) == (0, 0)  # nothing twice
        advance(la, case, "record_compliance", "2026-12-14", "evidence=done")  # met and cancelled: no more reminders
        # the notice's reminders go; the case entered intervention, whose review, visits and TIG
        # meeting planned that day bring theirs
        assert reconcile(scheduler, date(2026, 12, 14)) == (5, 5)
        assert not any(job.id in jobs for job in scheduler.get_jobs())  # none of the notice's is left
    finally:
        scheduler.shutdown(wait=False)
