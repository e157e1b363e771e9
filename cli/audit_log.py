"""``scc audit …``."""

from __future__ import annotations

import typer

from cli.output import JSON_OPTION, console, emit
from models.db.session import transaction
from models.errors import AuditBroken

app = typer.Typer(no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = JSON_OPTION) -> None:
    """Check the hash chain of the whole audit log; exit 1 naming every edited or missing event."""
    from models.db.audit import verify as verify_chain

    with transaction() as session:
        result = verify_chain(session)
    if not result.ok:
        raise AuditBroken(f"the audit log does not verify ({result.events} events): " + "; ".join(result.problems))
    emit({"events": result.events, "ok": True}, as_json,
         lambda d: console.print(f"audit log verified: {d['events']} events, chain intact"))
