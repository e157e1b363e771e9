"""``scc playbook migrate``: running cases onto a new version of their playbook.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit

app = typer.Typer(no_args_is_help=True)


def _show(report: dict[str, Any]) -> None:
    plans = report["cases"]
    console.print(f"{report['playbook']} → version {report['to']}: {len(plans)} open case(s) on another version")
    for p in plans:
        head = f"  case {p['case_id']} ({p['school']}, {report['playbook']} {p['from_version']})"
        if p["refused"]:
            console.print(f"{head}: [bold]refused[/bold] — {p['refused']}")
            continue
        console.print(f"{head}: stage {p['stage']} → {p['new_stage']}" + ("" if p["stage"] == p["new_stage"] else " (mapped)"))
        if p["actions_added"]:
            console.print(f"      actions open now that were not: {', '.join(p['actions_added'])}")
        if p["actions_removed"]:
            console.print(f"      actions no longer open here: {', '.join(p['actions_removed'])}")
        if p["deadlines_unmet"]:
            console.print(f"      live deadlines no action of {report['to']} meets (kept as they are): {', '.join(p['deadlines_unmet'])}")
    moved, refused = report["moved"], sum(1 for p in plans if p["refused"])
    if report["dry_run"]:
        console.print(f"dry run: nothing changed; {len(plans) - refused} would move, {refused} refused")
    else:
        console.print(f"moved {len(moved)} case(s); {refused} refused and left on their version")


@app.command("migrate")
def migrate(
    name: str = typer.Argument(..., metavar="PLAYBOOK"),
    to: str = typer.Option(..., "--to", metavar="VERSION", help="The version now in the config folder"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would change, and change nothing"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Move the open cases of PLAYBOOK on older versions to VERSION: each case's stage (the
    same name, or the one the new version's [migrations."OLD"] maps it to), the actions that
    open and close for it, and the live deadlines no new action meets. A case whose stage is
    gone without a mapping is refused, never guessed. Each case moves in its own transaction,
    audited. A senior officer's task."""

    def here(viewer: Any) -> Any:
        from dataclasses import asdict

        from models.services import administration

        plans, moved = administration.migrate_playbook(viewer, name, to, apply=not dry_run)
        return {"playbook": name, "to": to, "dry_run": dry_run, "cases": [asdict(p) for p in plans], "moved": moved}

    emit(answer(here, "POST", f"/playbooks/{name}/migrate", as_, params={"to": to, "dry_run": str(dry_run).lower()}), as_json, _show)
