"""When the recurring flows run: one table for ``scc serve`` and for ``scc deploy``.

Times are London wall-clock time. The half-term plan runs each morning (it does nothing
on a day that starts no half-term); the sweep follows it; the outbox is tried every
minute so a queued email leaves as soon as the mail server takes it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RECURRING", "TIMEZONE", "Recurring"]

TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class Recurring:
    """A recurring flow, by its Prefect flow name, and when it runs: a cron line or every N minutes."""

    flow: str
    cron: str | None = None
    every_minutes: int | None = None

    @property
    def command(self) -> str:
        """How ``scc flows run`` and the scheduler's job ids name it: plan_half_term."""
        return self.flow.replace("-", "_")


RECURRING: tuple[Recurring, ...] = (
    Recurring("plan-half-term", cron="0 6 * * *"),
    Recurring("deadline-sweep", cron="30 6 * * *"),
    Recurring("send-notifications", every_minutes=1),
)
