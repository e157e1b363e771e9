"""``scc authority …``: the local authorities one installation serves (a consortium's, or
just one). Adding one is for a senior officer of every authority already here.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit, table

app = typer.Typer(no_args_is_help=True)


@app.command("add")
def add(
    code: str = typer.Argument(..., help="A short name for commands, like cardiff"),
    name: str = typer.Option(..., help="The authority's name, as its letters give it"),
    la_code: Optional[str] = typer.Option(None, "--la-code", help="GIAS's three-digit LA (code): places its schools on import"),
    playbook: Optional[str] = typer.Option(None, help="The playbook its new cases follow (default: the installation's)"),
    calendar: Optional[str] = typer.Option(None, help="Its term dates (default: the installation's)"),
    letterhead: Optional[str] = typer.Option(None, help="Its letterhead, a .toml of the config folder (default: letterhead.toml)"),
    sender: Optional[str] = typer.Option(None, help="The address its emails come from (default: the installation's)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add an authority to the installation."""
    body = {"code": code, "name": name, "la_code": la_code, "playbook": playbook, "calendar": calendar,
            "letterhead": letterhead, "sender": sender}

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.add_authority(viewer, code, name, la_code, playbook, calendar, letterhead, sender)

    data = answer(here, "POST", "/authorities", as_, json=body)
    emit(data, as_json, lambda d: console.print(f"added {d['name']} ({d['code']}): playbook {d['playbook']}, "
                                                f"calendar {d['calendar']}, letterhead {d['letterhead']}"))


@app.command("list")
def list_(as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The authorities you work for."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.authorities(viewer)

    data = answer(here, "GET", "/authorities", as_)
    emit(data, as_json, lambda rows: table(f"{len(rows)} authorities", ["Code", "Name", "LA code", "Playbook", "Calendar", "Letterhead"],
                                           [[r["code"], r["name"], r["la_code"], r["playbook"], r["calendar"], r["letterhead"]]
                                            for r in rows]))


@app.command("change")
def change(
    code: str = typer.Argument(..., help="The authority's code (see scc authority list)"),
    name: Optional[str] = typer.Option(None, help="Its name, as its letters give it"),
    la_code: Optional[str] = typer.Option(None, "--la-code", help="GIAS's three-digit LA (code)"),
    playbook: Optional[str] = typer.Option(None, help="The playbook its new cases follow"),
    calendar: Optional[str] = typer.Option(None, help="The term dates its new cases count on"),
    letterhead: Optional[str] = typer.Option(None, help="Its letterhead, a .toml of the config folder"),
    sender: Optional[str] = typer.Option(None, help="The address its emails come from"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Change an authority's settings (its LA code when a second authority joins, a new
    letterhead); open cases keep the playbook and term dates they were opened on."""
    changes = {k: v for k, v in (("name", name), ("la_code", la_code), ("playbook", playbook), ("calendar", calendar),
                                 ("letterhead", letterhead), ("sender", sender)) if v is not None}

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.change_authority(viewer, code, changes)

    data = answer(here, "PATCH", f"/authorities/{code}", as_, json=changes)
    emit(data, as_json, lambda d: console.print(f"{d['name']} ({d['code']}): LA code {d['la_code'] or 'none'}, playbook "
                                                f"{d['playbook']}, calendar {d['calendar']}, letterhead {d['letterhead']}"))
