"""``scc concerns …``: the register of concerns fed by data, and the cases it suggests."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from cli.common import AS_OPTION, parse_date
from cli.output import JSON_OPTION, console, emit
from models.db.session import transaction
from models.errors import NotFound

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
    from models.services.cases import recorded_by
    from models.services.concerns import import_indicators

    day = parse_date(on)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotFound(f"cannot read {path}: {exc.strerror}") from None
    with transaction() as session:
        actor = recorded_by(session, as_)
        report = import_indicators(session, path.name, data, actor, day)

    def show(d: dict[str, Any]) -> None:
        console.print(f"imported {path.name}: {d['figures']} figures; {len(d['flagged'])} school(s) flagged")
        for urn, details in d["flagged"].items():
            console.print(f"  {urn} now at {d['stages'][urn].replace('_', ' ')}: {'; '.join(details)}")
    emit(report.as_dict(), as_json, show)


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """Schools the data flags that have no open case, the highest stage of concern first:
    open a case with `scc case open URN`."""
    from models.services.concerns import suggested_cases

    with transaction() as session:
        found = suggested_cases(session)
    data = [{"urn": s.urn, "school": s.name, "stage": s.stage,
             "concerns": [{"raised_on": on.isoformat(), "detail": detail} for on, detail in s.concerns]} for s in found]

    def show(rows: list[dict[str, Any]]) -> None:
        console.print(f"{len(rows)} school(s) flagged without an open case")
        for r in rows:
            console.print(f"[bold]{r['school']}[/bold] ({r['urn']}), {(r['stage'] or 'no stage').replace('_', ' ')}:")
            for concern in r["concerns"]:
                console.print(f"  {concern['raised_on']}: {concern['detail']}")
    emit(data, as_json, show)
