"""``scc person …``."""

from __future__ import annotations

from typing import Optional

import typer

from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit, table
from models.db.session import transaction

app = typer.Typer(no_args_is_help=True)


@app.command("add")
def add(
    name: str = typer.Option(...),
    email: str = typer.Option(...),
    role: str = typer.Option(..., help="lead, ip, principal_ip, senior, head, chair, clerk, diocese, regional_director, other"),
    organisation: Optional[str] = typer.Option(None),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a person; their email is how commands refer to them (--lead, --ip, --as)."""
    from models.services.cases import recorded_by
    from models.services.directory import add_person

    with transaction() as session:
        person = add_person(session, name, email, role, recorded_by(session, as_), organisation)
        data = {"name": person.name, "email": person.email, "role": person.role}
    emit(data, as_json, lambda d: console.print(f"added {d['name']} <{d['email']}> as {d['role']}"))


@app.command("set-role")
def set_role(
    email: str = typer.Argument(...),
    role: str = typer.Argument(..., help="lead, ip, principal_ip, senior, head, chair, clerk, diocese, regional_director, other"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a person another role (refused while they hold a place the new role cannot)."""
    from models.services.cases import recorded_by
    from models.services.directory import change_role

    with transaction() as session:
        person = change_role(session, email, role, recorded_by(session, as_))
        data = {"name": person.name, "email": person.email, "role": person.role}
    emit(data, as_json, lambda d: console.print(f"{d['name']} <{d['email']}> is now {d['role']}"))


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """Everyone on record."""
    from models.services.views import people

    with transaction() as session:
        data = people(session)
    emit(data, as_json, lambda rows: table(f"{len(rows)} people", ["Name", "Email", "Role", "Organisation"],
                                           [[r["name"], r["email"], r["role"], r["organisation"]] for r in rows]))
