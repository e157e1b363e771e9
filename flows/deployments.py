"""Scaling out: the recurring flows as Prefect deployments, run by workers on other machines.

``scc deploy`` registers ``plan_half_term``, ``deadline_sweep`` and ``send_notifications``
on the Prefect server named by ``PREFECT_API_URL``, with their schedules (London time), in
a ``process`` work pool. A worker (``prefect worker start --pool scc-casework``) on any
machine with this checkout at the same path runs them from it; the database and the
config folder travel with the deployment as job variables, so every worker works on the
same PostgreSQL database. ``scc serve`` is then not needed: the Prefect server schedules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.runtime import configure
from models.errors import InvalidInput
from models.settings.environment import config_dir, database_url

__all__ = ["Schedules", "deploy_recurring"]

PROJECT = Path(__file__).resolve().parent.parent
TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class Schedules:
    plan_half_term: str = "0 6 * * *"
    deadline_sweep: str = "30 6 * * *"
    send_notifications_minutes: int = 5


def _env() -> dict[str, str]:
    """What a worker needs to reach this product's data: the database and the config."""
    env = {"SCC_DATABASE_URL": database_url(), "SCC_CONFIG_DIR": str(config_dir().resolve())}
    for name in ("SCC_DOCUMENTS_DIR", "SCC_SMTP_HOST", "SCC_SMTP_PORT", "SCC_SMTP_FROM", "SCC_SMTP_TLS", "SCC_SMTP_USER"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


def deploy_recurring(pool: str, schedules: Schedules) -> list[dict[str, Any]]:
    """Create the pool if missing and (re)register the three deployments; returns them."""
    if not os.environ.get("PREFECT_API_URL"):
        raise InvalidInput("scc deploy needs a Prefect server: start one with `prefect server start` and set "
                           "PREFECT_API_URL=http://127.0.0.1:4200/api")
    configure()
    from prefect import Flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass
    from datetime import timedelta

    plans: list[tuple[str, Any]] = [
        ("plan_half_term", CronSchedule(cron=schedules.plan_half_term, timezone=TIMEZONE)),
        ("deadline_sweep", CronSchedule(cron=schedules.deadline_sweep, timezone=TIMEZONE)),
        ("send_notifications", IntervalSchedule(interval=timedelta(minutes=schedules.send_notifications_minutes))),
    ]
    made = []
    for name, schedule in plans:
        flow = Flow.from_source(source=str(PROJECT), entrypoint=f"flows/recurring.py:{name}")
        deployment = flow.to_deployment(
            name=f"scc-{name.replace('_', '-')}", work_pool_name=pool, schedules=[schedule],
            job_variables={"env": _env(), "working_dir": str(PROJECT)},
        )
        deployment_id = deployment.apply()
        made.append({"flow": flow.name, "deployment": f"{flow.name}/scc-{name.replace('_', '-')}",
                     "id": str(deployment_id), "schedule": str(getattr(schedule, "cron", None) or schedule.interval)})
    return made
