"""``scc init`` and ``scc school …``: each command one request of the API (``cli.client``),
or the same use case run here.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION, read_file
from cli.output import JSON_OPTION, console, emit, table
from models.settings.environment import database_url

app = typer.Typer(no_args_is_help=True)


def init(as_json: bool = JSON_OPTION) -> None:
    """Create the database, or upgrade it to this version's schema, and record its data
    folder (safe to run again)."""
    from models.services.installation import initialise

    revision, root = initialise()
    emit({"database": database_url(), "schema": revision, "data": str(root)}, as_json,
         lambda d: console.print(f"database ready: {d['database']} (schema {d['schema']}); files in {d['data']}"))


PLACES_HELP = {"head": "Email of the head teacher (add them with `scc person add` first)", "chair": "Email of the chair of governors",
               "clerk": "Email of the clerk to governors", "ip": "Email of the assigned improvement partner"}


@app.command("add")
def add(
    urn: str = typer.Option(..., help="Unique reference number from GIAS"),
    name: str = typer.Option(...),
    type: str = typer.Option(..., "--type", help="community, foundation, voluntary_aided, voluntary_controlled, foundation_special, "
                                                 "community_special, maintained_nursery, pru, academy, free_school"),
    phase: str = typer.Option(..., help="Primary, Secondary, All-through, Nursery, …"),
    la: str = typer.Option(..., help="The local authority"),
    diocese: Optional[str] = typer.Option(None, help="Diocese, for schools with a religious character"),
    religious_character: Optional[str] = typer.Option(None, "--religious-character"),
    foundation_appointer: Optional[str] = typer.Option(None, "--foundation-appointer", help="Who appoints the foundation governors"),
    address: Optional[str] = typer.Option(None),
    head: Optional[str] = typer.Option(None, help=PLACES_HELP["head"]),
    chair: Optional[str] = typer.Option(None, help=PLACES_HELP["chair"]),
    clerk: Optional[str] = typer.Option(None, help=PLACES_HELP["clerk"]),
    ip: Optional[str] = typer.Option(None, help=PLACES_HELP["ip"]),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add one school."""
    body = {"urn": urn, "name": name, "type": type, "phase": phase, "la": la, "diocese": diocese,
            "religious_character": religious_character, "foundation_appointer": foundation_appointer, "address": address,
            "head": head, "chair": chair, "clerk": clerk, "ip": ip}

    def here(viewer: Any) -> Any:
        from models.services import administration
        from models.services.directory import SchoolDetails, parse_school_type

        details = SchoolDetails(urn=urn.strip(), name=name.strip(), type=parse_school_type(type), phase=phase.strip(), la=la.strip(),
                                diocese=diocese, religious_character=religious_character,
                                foundation_appointer=foundation_appointer, address=address)
        return administration.add_school(viewer, details, {"head": head, "chair": chair, "clerk": clerk, "ip": ip})

    data = answer(here, "POST", "/schools", as_, json=body)
    emit(data, as_json, lambda d: console.print(f"added {d['name']} ({d['urn']}, {d['type']})"))


@app.command("assign")
def assign(
    urn: str,
    head: Optional[str] = typer.Option(None, help=PLACES_HELP["head"]),
    chair: Optional[str] = typer.Option(None, help=PLACES_HELP["chair"]),
    clerk: Optional[str] = typer.Option(None, help=PLACES_HELP["clerk"]),
    ip: Optional[str] = typer.Option(None, help=PLACES_HELP["ip"]),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Set the head, chair, clerk or improvement partner of a school."""
    places = {"head": head, "chair": chair, "clerk": clerk, "ip": ip}

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.assign_people(viewer, urn, places)

    data = answer(here, "PUT", f"/schools/{urn}/people", as_, json=places)
    emit(data, as_json, lambda d: console.print(f"{d['name']}: head {d['head']}, chair {d['chair']}, clerk {d['clerk']}, IP {d['ip']}"))


@app.command("import")
def import_(path: Path = typer.Argument(..., help="CSV exported from Get Information About Schools"),
            as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Import schools from a GIAS CSV: new URNs are added, known ones refreshed; one bad row refuses the file."""
    data = read_file(path)

    def here(viewer: Any) -> Any:
        from models.services import administration

        result = administration.import_schools(viewer, path.name, data)
        return {"added": result.added, "updated": result.updated}

    result = answer(here, "POST", "/schools/import", as_, files={"file": (path.name, data, "text/csv")})
    emit(result, as_json, lambda d: console.print(f"imported {path.name}: {d['added']} added, {d['updated']} updated"))


@app.command("list")
def list_(as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Every school on record."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.schools(viewer)

    data = answer(here, "GET", "/schools", as_)
    emit(data, as_json, lambda rows: table(
        f"{len(rows)} schools", ["URN", "Name", "Type", "Phase", "LA", "IP"],
        [[r["urn"], r["name"], r["type"], r["phase"], r["la"], r["ip"]] for r in rows],
    ))
