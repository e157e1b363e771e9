"""``scc outbox …``: the notifications queued, sent and failed.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION
from cli.output import JSON_OPTION, emit, table

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_(
    status: Optional[str] = typer.Option(None, help="Only queued, sending, sent or failed"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Every notification with its recipient, status, attempts and last error."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.notifications(viewer, status)

    data = answer(here, "GET", "/notifications", as_, params={"status": status} if status else {})
    emit(data, as_json, lambda rows: table(
        f"{len(rows)} notifications", ["id", "status", "to", "subject", "attempts", "sent", "last error"],
        [[r["id"], r["status"], r["to"], r["subject"], r["attempts"], r["sent_at"], r["last_error"]] for r in rows]))
