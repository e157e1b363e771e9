"""The recurring flows the product runs by itself (``scc serve``, or Prefect deployments).

- ``plan_half_term``: the meetings, visits and report deadlines of the half-term, for
  every case under intervention (models.services.planning);
- ``deadline_sweep``: marks what is overdue, applies the playbooks' escalation rules and
  queues reminders and the weekly digest (models.services.sweep);
- ``send_notifications``: sends the outbox (models.services.outbox).

Each is one flow over the whole caseload, never one flow per case. ``on`` is the day the
flow acts as if it were (``scc flows run NAME --on DATE``); by default today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flows.runtime import configure, untagged

configure()  # Prefect reads its settings when it is imported: they are set first
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from models.db.session import transaction  # noqa: E402
from models.services.outbox import send_due, smtp_settings  # noqa: E402
from models.services.planning import plan_half_term as plan  # noqa: E402
from models.services.sweep import deadline_sweep as sweep  # noqa: E402
from models.services.sweep import queue_reminders  # noqa: E402

__all__ = ["FLOWS", "deadline_sweep", "plan_half_term", "send_notifications", "send_reminders"]

@task(name="plan-cases", cache_policy=NONE, persist_result=False)
def plan_cases(on: date) -> dict[str, Any]:
    with transaction() as session:
        return plan(session, on).as_dict()


@flow(name="plan-half-term")
def plan_half_term(on: date | None = None) -> dict[str, Any]:
    with untagged():
        return plan_cases(on or date.today())


@task(name="sweep-deadlines", cache_policy=NONE, persist_result=False)
def sweep_deadlines(on: date) -> dict[str, Any]:
    with transaction() as session:
        return sweep(session, on).as_dict()


@task(name="send-outbox", cache_policy=NONE, persist_result=False)
def send_outbox(now: datetime | None = None) -> dict[str, Any]:
    return send_due(now).as_dict()


@flow(name="deadline-sweep")
def deadline_sweep(on: date | None = None) -> dict[str, Any]:
    """The daily sweep, then an attempt to send what it queued."""

    smtp_settings()  # a misconfigured mail server is refused before anything is written
    with untagged():
        report = sweep_deadlines(on or date.today())
        report["sent"] = send_outbox()
    return report


@flow(name="send-notifications")
def send_notifications(on: date | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Send the outbox; ``on`` is accepted for a uniform ``scc flows run`` and ignored: what
    is due to send is decided by the clock (``now``), not by a case date."""
    with untagged():
        return send_outbox(now or datetime.now(UTC))


@task(name="queue-reminders", cache_policy=NONE, persist_result=False)
def queue_deadline_reminders(deadline_ids: list[int], on: date) -> int:
    with transaction() as session:
        return queue_reminders(session, on, deadline_ids)


@flow(name="send-reminders")
def send_reminders(deadline_ids: list[int], on: date | None = None) -> dict[str, Any]:
    """A deadline's reminder at its hour (fired by ``scc serve``): queue it, send it."""
    with untagged():
        queued = queue_deadline_reminders(deadline_ids, on or date.today())
        return {"queued": queued, "sent": send_outbox()}


FLOWS = (plan_half_term, deadline_sweep, send_notifications, send_reminders)
