"""Whether the parts of a running installation are up, for ``/readyz`` and a load balancer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from models.db.base import as_utc
from models.db.messages import SchedulerLease
from models.db.session import transaction
from models.settings.environment import environment

__all__ = ["LEASE_NAME", "database_and_scheduler", "database_answers"]

LEASE_NAME = "scheduler"


def database_answers() -> None:
    """Raises unless the database answers a query."""
    with transaction() as session:
        session.execute(text("SELECT 1"))


def database_and_scheduler(now: datetime | None = None) -> dict[str, str]:
    """``database``: answers; ``scheduler``: some ``scc serve`` renewed its lease on this
    database within the lease's time (it renews every third of it)."""
    now = now or datetime.now(UTC)
    with transaction() as session:
        renewed = session.execute(select(SchedulerLease.renewed_at).where(SchedulerLease.name == LEASE_NAME)).scalar()
    fresh = renewed is not None and now - as_utc(renewed) <= timedelta(seconds=int(environment().scheduler_lease_seconds))
    return {"database": "ok", "scheduler": "ok" if fresh else "not running"}
