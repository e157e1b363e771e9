"""``scc audit …``.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit

app = typer.Typer(no_args_is_help=True)


@app.command("verify")
def verify(as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Check the audit log end to end and against the records it describes; exit 1 naming
    every edited, missing or unaudited change."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.verify_audit(viewer)

    emit(answer(here, "GET", "/audit/verify", as_), as_json,
         lambda d: console.print(f"audit log verified: {d['events']} events, chain intact"))
