"""``scc init`` and ``scc school …``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit, table
from models.db.session import transaction, upgrade
from models.settings.environment import database_url

app = typer.Typer(no_args_is_help=True)



def init(as_json: bool = JSON_OPTION) -> None:
    """Create the database, or upgrade it to this version's schema, and record its data
    folder (safe to run again)."""
    from models.db.installation import claim_data_root, private_key

    revision = upgrade()
    with transaction() as session:
        root = claim_data_root(session)
        private_key(root / "session.key", create=True)  # the web sessions' signing key
    emit({"database": database_url(), "schema": revision, "data": str(root)}, as_json,
         lambda d: console.print(f"database ready: {d['database']} (schema {d['schema']}); files in {d['data']}"))


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
    head: Optional[str] = typer.Option(None, help="Email of the head teacher (add them with `scc person add` first)"),
    chair: Optional[str] = typer.Option(None, help="Email of the chair of governors"),
    clerk: Optional[str] = typer.Option(None, help="Email of the clerk to governors"),
    ip: Optional[str] = typer.Option(None, help="Email of the assigned improvement partner"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add one school."""
    from models.services.directory import SchoolDetails, add_school, parse_school_type
    from models.services.views import school_view

    details = SchoolDetails(
        urn=urn.strip(), name=name.strip(), type=parse_school_type(type), phase=phase.strip(), la=la.strip(),
        diocese=diocese, religious_character=religious_character, foundation_appointer=foundation_appointer,
        address=address,
    )
    from models.services.cases import recorded_by

    with transaction() as session:
        actor = recorded_by(session, as_)
        school = add_school(session, details, actor, head=head, chair=chair, clerk=clerk, ip=ip)
        data = school_view(school)
    emit(data, as_json, lambda d: console.print(f"added {d['name']} ({d['urn']}, {d['type']})"))


@app.command("assign")
def assign(
    urn: str,
    head: Optional[str] = typer.Option(None, help="Email of the head teacher"),
    chair: Optional[str] = typer.Option(None, help="Email of the chair of governors"),
    clerk: Optional[str] = typer.Option(None, help="Email of the clerk"),
    ip: Optional[str] = typer.Option(None, help="Email of the improvement partner"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Set the head, chair, clerk or improvement partner of a school."""
    from models.services.cases import recorded_by
    from models.services.directory import assign_people
    from models.services.views import school_view

    with transaction() as session:
        actor = recorded_by(session, as_)
        school = assign_people(session, urn, actor, head=head, chair=chair, clerk=clerk, ip=ip)
        data = school_view(school)
    emit(data, as_json, lambda d: console.print(f"{d['name']}: head {d['head']}, chair {d['chair']}, clerk {d['clerk']}, IP {d['ip']}"))


@app.command("import")
def import_(path: Path = typer.Argument(..., help="CSV exported from Get Information About Schools"),
            as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Import schools from a GIAS CSV: new URNs are added, known ones refreshed; one bad row refuses the file."""
    from models.services.cases import recorded_by
    from models.services.directory import import_schools

    with transaction() as session:
        actor = recorded_by(session, as_)
        result = import_schools(session, path, actor)
    emit(vars(result), as_json, lambda d: console.print(f"imported {path.name}: {d['added']} added, {d['updated']} updated"))


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """Every school on record."""
    from models.services.views import schools

    with transaction() as session:
        data = schools(session)
    emit(data, as_json, lambda rows: table(
        f"{len(rows)} schools", ["URN", "Name", "Type", "Phase", "LA", "IP"],
        [[r["urn"], r["name"], r["type"], r["phase"], r["la"], r["ip"]] for r in rows],
    ))
