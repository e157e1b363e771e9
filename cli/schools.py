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
from models.errors import InvalidInput
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


DETAILS_HELP = {
    "trust": "An academy's trust: its letters go to the chair of trustees",
    "trust_address": "The trust's postal address, one line, commas between its parts",
    "diocesan_authority": "The appropriate diocesan authority's proper name, where it is not the Diocesan Board of Education "
                          "(or bishop) of the school's diocese",
    "foundation_appointer": "Who appoints the foundation governors",
    "calendar": "The school's own term dates (a calendar in config/calendars), where it does not follow the authority's",
}


@app.command("add")
def add(
    urn: str = typer.Option(..., help="Unique reference number from GIAS"),
    name: str = typer.Option(...),
    type: str = typer.Option(..., "--type", help="community, foundation, voluntary_aided, voluntary_controlled, foundation_special, "
                                                 "community_special, maintained_nursery, pru, academy, free_school"),
    phase: str = typer.Option(..., help="Primary, Secondary, All-through, Nursery, …"),
    la: str = typer.Option(..., help="The local authority"),
    la_code: Optional[str] = typer.Option(None, "--la-code", help="GIAS's LA (code): places the school in its authority here"),
    authority: Optional[str] = typer.Option(None, "--authority", help="Or the code of the authority whose school it is"),
    diocese: Optional[str] = typer.Option(None, help="Diocese, for schools with a religious character"),
    religious_character: Optional[str] = typer.Option(None, "--religious-character"),
    foundation_appointer: Optional[str] = typer.Option(None, "--foundation-appointer", help="Who appoints the foundation governors"),
    address: Optional[str] = typer.Option(None),
    trust: Optional[str] = typer.Option(None, help=DETAILS_HELP["trust"]),
    trust_address: Optional[str] = typer.Option(None, "--trust-address", help=DETAILS_HELP["trust_address"]),
    calendar: Optional[str] = typer.Option(None, help=DETAILS_HELP["calendar"]),
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
            "trust": trust, "trust_address": trust_address, "calendar": calendar, "head": head, "chair": chair, "clerk": clerk, "ip": ip,
            "la_code": la_code, "authority": authority}

    def here(viewer: Any) -> Any:
        from models.services import administration
        from models.services.directory import SchoolDetails, parse_school_type

        details = SchoolDetails(urn=urn.strip(), name=name.strip(), type=parse_school_type(type), phase=phase.strip(), la=la.strip(),
                                diocese=diocese, religious_character=religious_character,
                                foundation_appointer=foundation_appointer, address=address, trust=trust,
                                trust_address=trust_address, calendar=calendar, la_code=la_code)
        return administration.add_school(viewer, details, {"head": head, "chair": chair, "clerk": clerk, "ip": ip}, authority)

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


@app.command("record")
def record(
    urn: str,
    trust: Optional[str] = typer.Option(None, help=DETAILS_HELP["trust"]),
    trust_address: Optional[str] = typer.Option(None, "--trust-address", help=DETAILS_HELP["trust_address"]),
    diocesan_authority: Optional[str] = typer.Option(None, "--diocesan-authority", help=DETAILS_HELP["diocesan_authority"]),
    foundation_appointer: Optional[str] = typer.Option(None, "--foundation-appointer", help=DETAILS_HELP["foundation_appointer"]),
    calendar: Optional[str] = typer.Option(None, help=DETAILS_HELP["calendar"]),
    language: Optional[str] = typer.Option(None, help="The language of its letters: en, cy (Welsh) or bilingual (a school in Wales)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Record what the register does not hold: an academy's trust, the diocesan authority, the school's own calendar,
    the language of its letters ("" clears one)."""
    given = {"trust": trust, "trust_address": trust_address, "diocesan_authority": diocesan_authority,
             "foundation_appointer": foundation_appointer, "calendar": calendar, "language": language}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise InvalidInput("give at least one of --trust, --trust-address, --diocesan-authority, --foundation-appointer, --calendar, "
                           "--language")

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.record_school_details(viewer, urn, changes)

    data = answer(here, "PATCH", f"/schools/{urn}", as_, json=changes)
    emit(data, as_json, lambda d: console.print(
        f"{d['name']}: " + ", ".join(f"{k.replace('_', ' ')} {d[k] or '(none)'}" for k in changes)))


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
