"""``scc outbox …``: the notifications queued, sent and failed."""

from __future__ import annotations

from typing import Optional

import typer

from cli.output import JSON_OPTION, emit, table
from models.db.session import transaction

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_(
    status: Optional[str] = typer.Option(None, help="Only queued, sending, sent or failed"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every notification with its recipient, status, attempts and last error."""
    from models.services.views import notification_rows

    with transaction() as session:
        data = notification_rows(session, status)
    emit(data, as_json, lambda rows: table(
        f"{len(rows)} notifications", ["id", "status", "to", "subject", "attempts", "sent", "last error"],
        [[r["id"], r["status"], r["to"], r["subject"], r["attempts"], r["sent_at"], r["last_error"]] for r in rows]))
