"""Parsing what users type (dates, ``--set FIELD=VALUE`` pairs) and running a command's flow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import typer

from models.errors import InvalidInput
from models.rules.text import parse_day
from models.settings.environment import today

__all__ = ["AS_OPTION", "acting", "parse_date", "parse_sets", "run_flow"]

AS_OPTION = typer.Option(None, "--as", help="Email of the person acting (default: SCC_USER, else the one lead)")


def acting(email: str | None) -> str:
    """The email a change is recorded under, checked before anything is written."""
    from models.db.session import transaction
    from models.services.cases import recorded_by

    with transaction() as session:
        return recorded_by(session, email)


def parse_date(value: str | None, option: str = "--on") -> date:
    """An ISO date, or today when the option was not given."""
    if value is None:
        return today()
    return parse_day(value, option)


def parse_sets(pairs: Sequence[str]) -> dict[str, str]:
    """``--set reasons="..." --set rag.1=green`` into a dict; a repeated name is refused."""
    fields: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--set takes FIELD=VALUE, not '{pair}'")
        if name.strip() in fields:
            raise InvalidInput(f"field {name.strip()} was given twice: give each --set once")
        fields[name.strip()] = value
    return fields


def run_flow(flow: str, /, **parameters: Any) -> Any:
    """Run a flow of ``flows.catalog`` for a command; its result as the JSON-ready data the
    command prints. Handed to the ``scc serve`` running beside the command on the same
    database when there is one (a second instead of several: ``flows.handover``), else run
    here."""
    from cli.output import plain
    from flows.handover import ServerGone, hand_over, running_link
    from models.db.installation import database_id
    from models.db.session import transaction
    from models.settings.environment import database_url

    link = running_link(database_url())
    if link is not None:
        with transaction() as session:
            same_database = database_id(session) == link.database  # not a database made since at the same address
        if same_database:
            try:
                return hand_over(link, flow, parameters)
            except ServerGone:
                pass
    from flows.runtime import run

    return plain(run(flow, **parameters))
