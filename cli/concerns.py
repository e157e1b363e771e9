"""``scc concerns …``: the register of concerns fed by data, and the cases it suggests.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION, parse_date, read_file
from cli.output import JSON_OPTION, console, emit

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="CSV with the columns urn, indicator, value, period"),
    on: Optional[str] = typer.Option(None, help="Date the figures were received (default today)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Import figures about schools and flag those the rules of triggers.toml find: each a
    concern on the register; a school flagged again moves up a stage of concern. One bad
    row refuses the whole file."""
    day = parse_date(on)
    data = read_file(path)

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.import_indicators_file(viewer, path.name, data, day).as_dict()

    report = answer(here, "POST", "/concerns/import", as_, params={"on": day.isoformat()},
                    files={"file": (path.name, data, "text/csv")})

    def show(d: dict[str, Any]) -> None:
        console.print(f"imported {path.name}: {d['figures']} figures; {len(d['flagged'])} school(s) flagged")
        for urn, details in d["flagged"].items():
            console.print(f"  {urn} now at {d['stages'][urn].replace('_', ' ')}: {'; '.join(details)}")
    emit(report, as_json, show)


@app.command("list")
def list_(as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Schools the data flags that have no open case, the highest stage of concern first:
    open a case with `scc case open URN`."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.flagged_schools(viewer)

    data = answer(here, "GET", "/concerns", as_)

    def show(rows: list[dict[str, Any]]) -> None:
        console.print(f"{len(rows)} school(s) flagged without an open case")
        for r in rows:
            console.print(f"[bold]{r['school']}[/bold] ({r['urn']}), {(r['stage'] or 'no stage').replace('_', ' ')}:")
            for concern in r["concerns"]:
                console.print(f"  {concern['raised_on']}: {concern['detail']}")
    emit(data, as_json, show)
