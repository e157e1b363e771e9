"""``scc calendar …``: counting days the way deadlines are counted."""

from __future__ import annotations

import typer

from cli.common import parse_date
from cli.output import JSON_OPTION, console, emit
from models.errors import InvalidInput

app = typer.Typer(no_args_is_help=True)


@app.command("add-days")
def add_days(
    start: str = typer.Argument(..., metavar="DATE"),
    n: int = typer.Argument(..., metavar="N"),
    calendar: str = typer.Option(None, "--calendar", help="A calendar name from config/calendars, or a path to one"),
    basis: str = typer.Option("working", "--basis", help="calendar, working, school or inspection"),
    as_json: bool = JSON_OPTION,
) -> None:
    """The date N counting days after DATE (DATE itself never counts), with how it was counted."""
    from models.calendar import Basis
    from models.configuration import calendar_named, default_calendar

    try:
        chosen = Basis(basis)
    except ValueError:
        raise InvalidInput(f"--basis must be one of {', '.join(b.value for b in Basis)}, not '{basis}'") from None
    counted = calendar_named(calendar or default_calendar()).add_days(parse_date(start, "DATE"), n, chosen)
    data = {"date": counted.date.isoformat(), "basis": chosen.value, "explanation": counted.explanation}
    emit(data, as_json, lambda d: console.print(f"{d['date']}\n{d['explanation']}"))
