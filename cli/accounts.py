"""``scc person set-password`` and ``scc token …``: signing in to the web pages and the API."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit
from models.db.session import transaction
from models.errors import InvalidInput

tokens = typer.Typer(no_args_is_help=True)


def set_password(
    email: str = typer.Argument(..., help="The member of staff's email"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a lead, senior officer or IP a password for the web pages: read from standard
    input (one line), never from the command line, where other users could see it."""
    from models.services.accounts import set_password as store
    from models.services.cases import recorded_by

    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InvalidInput("no password was given on standard input: echo it in, or type it when asked")
    with transaction() as session:
        person = store(session, email, password, recorded_by(session, as_))
        data = {"email": person.email, "password_set": True}
    emit(data, as_json, lambda d: console.print(f"password set for {d['email']}"))


@tokens.command("create")
def create(email: str = typer.Argument(..., help="Whose token: the API acts as this person"),
           as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A new API token, printed once: keep it like a password."""
    from models.services.accounts import create_token
    from models.services.cases import recorded_by

    with transaction() as session:
        token_id, token = create_token(session, email, recorded_by(session, as_))
    emit({"id": token_id, "token": token}, as_json,
         lambda d: console.print(f"token {d['id']} for {email} (shown once):\n{d['token']}", soft_wrap=True))


@tokens.command("revoke")
def revoke(token_id: int = typer.Argument(..., metavar="ID"), as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Stop a token from working (its id is printed by `scc token create`)."""
    from models.services.accounts import revoke_token
    from models.services.cases import recorded_by

    with transaction() as session:
        revoke_token(session, token_id, recorded_by(session, as_))
    emit({"id": token_id, "revoked": True}, as_json, lambda d: console.print(f"token {d['id']} revoked"))
