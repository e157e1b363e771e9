"""``scc audit …``."""

from __future__ import annotations

import typer

from cli.output import JSON_OPTION, console, emit
from models.db.session import transaction
from models.errors import AuditBroken

app = typer.Typer(no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = JSON_OPTION) -> None:
    """Check the audit log end to end and against the records it describes; exit 1 naming
    every edited, missing or unaudited change."""
    from models.db.audit import verify as verify_chain
    from models.services.audit_replay import unaudited_changes

    with transaction() as session:
        result = verify_chain(session)
        behind = unaudited_changes(session) if result.ok else []
    if not result.ok or behind:
        raise AuditBroken(f"the audit log does not verify ({result.events} events): " + "; ".join(result.problems + tuple(behind)))
    emit({"events": result.events, "ok": True}, as_json,
         lambda d: console.print(f"audit log verified: {d['events']} events, chain intact"))
