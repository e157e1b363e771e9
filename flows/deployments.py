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
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flows.runtime import configure
from flows.schedules import RECURRING, TIMEZONE, Recurring
from models.errors import InvalidInput
from models.settings.environment import config_dir, database_url, environment

__all__ = ["deploy_recurring"]

PROJECT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    """What a worker needs to reach this product's data: the database and the config."""
    return {"SCC_DATABASE_URL": database_url(), "SCC_CONFIG_DIR": str(config_dir().resolve()), **environment().forwarded()}


def deploy_recurring(pool: str, overrides: Mapping[str, Recurring] | None = None) -> list[dict[str, Any]]:
    """Create the pool if missing and (re)register one deployment per recurring flow, on the
    schedules of ``flows.schedules`` unless ``overrides`` (by flow name) says otherwise."""
    if not os.environ.get("PREFECT_API_URL"):
        raise InvalidInput("scc deploy needs a Prefect server: start one with `prefect server start` and set "
                           "PREFECT_API_URL=http://127.0.0.1:4200/api")
    configure()
    # After configure(): Prefect reads its settings when imported (see flows.runtime).
    from prefect import Flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
    from prefect.exceptions import ObjectAlreadyExists

    from flows.catalog import FLOWS

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass
    made = []
    for recurring in RECURRING:
        recurring = (overrides or {}).get(recurring.flow, recurring)
        schedule: Any = (CronSchedule(cron=recurring.cron, timezone=TIMEZONE) if recurring.cron
                         else IntervalSchedule(interval=timedelta(minutes=recurring.every_minutes or 1)))
        entrypoint = f"flows/recurring.py:{FLOWS[recurring.flow].fn.__name__}"
        flow: Any = Flow.from_source(source=str(PROJECT), entrypoint=entrypoint)  # sync here: no running event loop
        name = f"scc-{recurring.flow}"
        deployment = flow.to_deployment(
            name=name, work_pool_name=pool, schedules=[schedule],
            job_variables={"env": _env(), "working_dir": str(PROJECT)},
        )
        deployment_id = deployment.apply()
        made.append({"flow": flow.name, "deployment": f"{flow.name}/{name}",
                     "id": str(deployment_id), "schedule": recurring.cron or f"every {recurring.every_minutes} min"})
    return made
