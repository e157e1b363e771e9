"""Every flow of the product by its Prefect name, for what names a flow in data: the recurring
schedules (``flows.schedules``), ``scc flows run NAME`` and the Prefect deployments."""

from __future__ import annotations

from datetime import date
from typing import Any

from flows import case_flows, recurring
from flows.runtime import run
from flows.schedules import RECURRING
from models.errors import InvalidInput
from models.services.access import Task, Viewer, require
from models.settings.environment import today

__all__ = ["FLOWS", "run_recurring"]

FLOWS: dict[str, Any] = {f.name: f for f in (*case_flows.FLOWS, *recurring.FLOWS)}
# ``scc flows run plan_half_term``: the recurring flows by the name a command gives them.
RECURRING_BY_COMMAND = {r.command: r.flow for r in RECURRING}


def run_recurring(viewer: Viewer, name: str, on: date) -> dict[str, Any]:
    """A recurring flow run now, as of ``on`` (today or a past day), for someone who may."""
    require(viewer, Task.RUN_RECURRING)
    if name not in RECURRING_BY_COMMAND:
        raise InvalidInput(f"no recurring flow '{name}': choose one of {', '.join(RECURRING_BY_COMMAND)}")
    if on > today():
        # A sweep "as of" a future day would mark live deadlines overdue and email about them.
        raise InvalidInput(f"--on {on.isoformat()} is after today ({today().isoformat()}): a recurring flow runs as of today "
                           "or a past day; see what is due ahead with `scc deadlines --until DATE`")
    report: dict[str, Any] = run(FLOWS[RECURRING_BY_COMMAND[name]], on=on)
    return report
