"""``scc person set-password`` and ``scc token …``: signing in to the web pages and the API.
A member of staff sets their own password and tokens; a senior officer anyone's.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

import sys
from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION
from cli.output import JSON_OPTION, console, emit
from models.errors import InvalidInput

tokens = typer.Typer(no_args_is_help=True)


def set_password(
    email: str = typer.Argument(..., help="The member of staff's email"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a lead, senior officer or IP a password for the web pages: read from standard
    input (one line), never from the command line, where other users could see it."""
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InvalidInput("no password was given on standard input: echo it in, or type it when asked")

    def here(viewer: Any) -> Any:
        from models.services import administration

        return {"email": administration.set_password(viewer, email, password), "password_set": True}

    data = answer(here, "PUT", f"/people/{email}/password", as_, json={"password": password})
    emit(data, as_json, lambda d: console.print(f"password set for {d['email']}"))


@tokens.command("create")
def create(email: str = typer.Argument(..., help="Whose token: the API acts as this person"),
           as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """A new API token, printed once: keep it like a password."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        token_id, token = administration.create_token(viewer, email)
        return {"id": token_id, "token": token}

    data = answer(here, "POST", "/tokens", as_, json={"email": email})
    emit(data, as_json, lambda d: console.print(f"token {d['id']} for {email} (shown once):\n{d['token']}", soft_wrap=True))


@tokens.command("revoke")
def revoke(token_id: int = typer.Argument(..., metavar="ID"), as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Stop a token from working (its id is printed by `scc token create`)."""

    def here(viewer: Any) -> Any:
        from models.services import administration

        administration.revoke_token(viewer, token_id)
        return {"id": token_id, "revoked": True}

    data = answer(here, "DELETE", f"/tokens/{token_id}", as_)
    emit(data, as_json, lambda d: console.print(f"token {d['id']} revoked"))
