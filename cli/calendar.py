"""``scc calendar …``: counting days the way deadlines are counted.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION, parse_date
from cli.output import JSON_OPTION, console, emit
from models.errors import InvalidInput
from models.rules.fields import MAX_FIELD_NUMBER
from models.rules.text import parse_whole

app = typer.Typer(no_args_is_help=True)


@app.command("add-days")
def add_days(
    start: str = typer.Argument(..., metavar="DATE"),
    n: str = typer.Argument(..., metavar="N"),
    calendar: str = typer.Option(None, "--calendar", help="A calendar name from config/calendars, or a path to one"),
    basis: str = typer.Option("working", "--basis", help="calendar, working, school or inspection"),
    as_json: bool = JSON_OPTION,
) -> None:
    """The date N counting days after DATE (DATE itself never counts), with how it was counted."""
    from models.settings.files import calendar_named, default_calendar
    from models.vocab import Basis

    try:
        chosen = Basis(basis)
    except ValueError:
        raise InvalidInput(f"--basis must be one of {', '.join(b.value for b in Basis)}, not '{basis}'") from None
    days = parse_whole(n, "N", minimum=0, maximum=MAX_FIELD_NUMBER)
    counted = calendar_named(calendar or default_calendar()).add_days(parse_date(start, "DATE"), days, chosen)
    data = {"date": counted.date.isoformat(), "basis": chosen.value, "explanation": counted.explanation}
    emit(data, as_json, lambda d: console.print(f"{d['date']}\n{d['explanation']}"))


def _show_moves(moves: list[dict[str, Any]]) -> None:
    if not moves:
        console.print("no live deadline would move: the term dates they were counted on are current")
        return
    console.print(f"{len(moves)} live deadline(s) would move:")
    for m in moves:
        to = m["new_due"] or f"cannot be counted ({m['problem']})"
        console.print(f"  case {m['case_id']} ({m['school']}), {m['title']}: {m['old_due']} → {to}")
        if m["new_due"]:
            console.print(f"      {m['new_explanation']}")


@app.command("check")
def check(
    name: Optional[str] = typer.Argument(None, metavar="[CALENDAR]", help="One calendar (default: every calendar in use)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """The live deadlines whose dates would move because a calendar's term dates changed,
    old → new with the new explanation. Changes nothing; met and overdue deadlines never move."""

    def here(viewer: Any) -> Any:
        from dataclasses import asdict

        from models.services import reading

        return [asdict(m) for m in reading.term_date_moves(viewer, name)]

    emit(answer(here, "GET", "/term-dates/moves", as_, params={"calendar": name} if name else {}), as_json, _show_moves)


@app.command("apply")
def apply(
    name: str = typer.Argument(..., metavar="CALENDAR"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Move the deadlines `scc calendar check CALENDAR` lists, in one go (all or none): each
    move is an audit event, each case's lead and IP are told once by email. A senior officer's task."""

    def here(viewer: Any) -> Any:
        from dataclasses import asdict

        from models.services import administration

        return [asdict(m) for m in administration.apply_term_dates(viewer, name)]

    emit(answer(here, "POST", f"/term-dates/{name}/apply", as_), as_json, lambda rows: console.print(
        f"moved {len(rows)} deadline(s) to the term dates of '{name}'" if rows else "nothing to move: the deadlines are current"))


@app.command("subscribe")
def subscribe(
    person: str = typer.Argument(..., metavar="EMAIL"),
    base: str = typer.Option("http://localhost:8000", "--base", help="The address of the web pages (scc serve)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """A secret calendar address for Outlook (any earlier one of theirs stops working); shown
    once. One's own, or anyone's for a senior officer."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        return {"token": administration.subscribe(viewer, person)}

    token = answer(here, "POST", f"/people/{person}/calendar", as_)["token"]
    emit({"url": f"{base.rstrip('/')}/ics/{token}.ics"}, as_json, lambda d: console.print(d["url"], soft_wrap=True))


@app.command("unsubscribe")
def unsubscribe(person: str = typer.Argument(..., metavar="EMAIL"), as_: Optional[str] = AS_OPTION,
                as_json: bool = JSON_OPTION) -> None:
    """Stop a person's calendar address from working."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        administration.unsubscribe(viewer, person)
        return {"email": person, "revoked": True}

    emit(answer(here, "DELETE", f"/people/{person}/calendar", as_), as_json,
         lambda d: console.print(f"the calendar address of {d['email']} no longer works"))


@app.command("ics")
def ics(
    person: str = typer.Option(..., "--person", metavar="EMAIL", help="Whose deadlines and meetings"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the feed here instead of to stdout"),
    as_: Optional[str] = AS_OPTION,
) -> None:
    """An iCalendar feed of a person's deadlines and meetings (subscribe to it in Outlook):
    one's own, or anyone's for a senior officer."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return {"feed": reading.calendar_feed_of(viewer, person).decode()}

    feed = str(answer(here, "GET", f"/people/{person}/calendar.ics", as_)["feed"]).encode()
    if output is None:
        typer.echo(feed.decode(), nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(feed)
    console.print(f"wrote {output}")
