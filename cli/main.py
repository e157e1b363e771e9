"""The ``scc`` command: one typer app, one module per command group.

Errors are handled here and only here: any ``CaseworkError`` becomes one line on stderr
and exit code 1, and nothing it touched was committed (each use case is one unit of work).
Each command is one request of the REST API of the ``scc serve`` beside it, or the same use
case run here (``cli.client``); the use cases, Prefect, python-docx and the scheduler are
imported only by the commands that run them here, so a command answered by the server
starts quickly.
"""

from __future__ import annotations

import sys
from typing import Any

import click
import typer
from typer.core import TyperGroup

from cli import accounts, audit_log, authorities, calendar, cases, concerns, documents, flows, outbox, people, playbooks, schools
from models.errors import CaseworkError


class CaseworkGroup(TyperGroup):
    """Turns product errors into one line and a non-zero exit, for every sub-command."""

    def invoke(self, ctx: click.Context) -> Any:  # type: ignore[override]  # typer re-exports click's Context
        try:
            return super().invoke(ctx)  # type: ignore[arg-type]
        except CaseworkError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except Exception as exc:
            # The database layer is loaded only by a command run here (cli.client): an error
            # can be its OperationalError only once it is loaded.
            database = sys.modules.get("sqlalchemy.exc")
            if database is None or not isinstance(exc, database.OperationalError):
                raise
            reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc).splitlines()[0]
            click.echo(f"error: the database cannot be used ({reason}): check SCC_DATABASE_URL and run `scc init`", err=True)
            ctx.exit(1)


app = typer.Typer(
    cls=CaseworkGroup,
    no_args_is_help=True,
    add_completion=False,
    help="SCC Casework: cases, deadlines, letters and reminders for schools causing concern.",
)
app.add_typer(schools.app, name="school", help="Schools: add, import from GIAS, list.")
app.add_typer(authorities.app, name="authority", help="The local authorities this installation serves: add, list.")
app.add_typer(people.app, name="person", help="People: leads, IPs, heads, chairs, clerks…")
app.add_typer(cases.app, name="case", help="Cases: open, act, correct and undo, notes and files, show, list, move in from a spreadsheet.")
app.add_typer(calendar.app, name="calendar", help="Term calendars and day counting.")
app.add_typer(audit_log.app, name="audit", help="The tamper-evident audit log.")
app.add_typer(documents.app, name="doc", help="Letters and documents: render, render-all, list, check-templates.")
app.add_typer(documents.reports, name="report", help="Reports across cases: the termly report.")
app.add_typer(flows.app, name="flows", help="Recurring flows: plan the half-term, sweep deadlines, send notifications.")
app.add_typer(outbox.app, name="outbox", help="Notifications queued, sent and failed.")
app.add_typer(accounts.tokens, name="token", help="API tokens: create, revoke.")
app.add_typer(playbooks.app, name="playbook", help="Playbooks: move running cases to a new version.")
app.add_typer(concerns.app, name="concerns", help="The register of concerns fed by data: import figures, list flagged schools.")
people.app.command("set-password")(accounts.set_password)
app.command("serve")(flows.serve)
app.command("deploy")(flows.deploy)
app.command("init")(schools.init)
app.command("deadlines")(cases.deadlines)
app.command("demo")(cases.demo)
