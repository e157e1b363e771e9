"""``scc person …``: each command one request of the API (``cli.client``), or the same use
case run here. Adding people and changing roles is a senior officer's task (or, while nobody
is on record, setting up).

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit, table

app = typer.Typer(no_args_is_help=True)

ROLES = "lead, ip, principal_ip, senior, head, chair, clerk, diocese, regional_director, other"


@app.command("add")
def add(
    name: str = typer.Option(...),
    email: str = typer.Option(...),
    role: str = typer.Option(..., help=ROLES),
    organisation: Optional[str] = typer.Option(None),
    authority: list[str] = typer.Option([], "--authority", help="The code of an authority they hold the role in (repeat for "
                                        "several; needed when you work for more than one)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a person; their email is how commands refer to them (--lead, --ip, --as)."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.add_person(viewer, name, email, role, organisation, authority=authority)

    data = answer(here, "POST", "/people", as_, json={"name": name, "email": email, "role": role, "organisation": organisation,
                                                      "authority": authority})
    emit(data, as_json, lambda d: console.print(f"added {d['name']} <{d['email']}> as {d['role']}"))


@app.command("set-role")
def set_role(
    email: str = typer.Argument(...),
    role: str = typer.Argument(..., help=ROLES),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a person another role (refused while they hold a place the new role cannot)."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.change_role(viewer, email, role)

    data = answer(here, "PUT", f"/people/{email}/role", as_, json={"role": role})
    emit(data, as_json, lambda d: console.print(f"{d['name']} <{d['email']}> is now {d['role']}"))


@app.command("set-language")
def set_language(
    email: str = typer.Argument(...),
    language: str = typer.Argument(..., help="en (English) or cy (Welsh, Cymraeg)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """The language of a person's pages and emails (a senior officer's task for anyone else)."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.set_language(viewer, email, language)

    data = answer(here, "PUT", f"/people/{email}/language", as_, json={"language": language})
    emit(data, as_json, lambda d: console.print(f"{d['name']} <{d['email']}> is written to in {'Welsh' if d['language'] == 'cy' else 'English'}"))


@app.command("grant")
def grant(
    email: str = typer.Argument(...),
    authority: str = typer.Option(..., "--authority", help="The code of the authority (see scc authority list)"),
    role: str = typer.Option(..., help="lead, ip, principal_ip or senior"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a member of staff a role in one more authority (or another role there): an IP
    working across a consortium, a senior officer of all its authorities."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        return administration.grant_role(viewer, email, authority, role)

    data = answer(here, "PUT", f"/people/{email}/authorities/{authority}", as_, json={"role": role})
    emit(data, as_json, lambda d: console.print(f"{d['name']} <{d['email']}> is now {role} in {authority}"))


@app.command("list")
def list_(as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Everyone on record."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.people(viewer)

    data = answer(here, "GET", "/people", as_)
    emit(data, as_json, lambda rows: table(f"{len(rows)} people", ["Name", "Email", "Role", "Organisation"],
                                           [[r["name"], r["email"], r["role"], r["organisation"]] for r in rows]))
