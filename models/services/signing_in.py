"""Signing in and out of the web pages, each a use case with its own unit of work.

A sign-in returns the token of a new session (``accounts.start_session``), which the page
puts in its cookie. A refused sign-in is still committed: the failure counts towards the
lock and is audited, and only then is the refusal raised to the page.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from models.db.schools import Person
from models.db.session import transaction
from models.services import accounts
from models.services.accounts import SignInRefused

__all__ = ["choose_password", "forgotten_password", "link_holder", "sign_in", "sign_in_by_provider", "sign_out"]


def _signed_in(check: Callable[[Session], Person]) -> str:
    refusal: SignInRefused | None = None
    with transaction() as session:
        try:
            return accounts.start_session(session, check(session))
        except SignInRefused as error:
            refusal = error
    raise refusal


def sign_in(email: str, password: str) -> str:
    """The session token for the member of staff these credentials sign in; ``SignInRefused`` otherwise."""
    return _signed_in(lambda session: accounts.sign_in(session, email, password))


def sign_in_by_provider(email: str) -> str:
    """The session token for the member of staff the single sign-on provider vouches for."""
    return _signed_in(lambda session: accounts.sign_in_by_provider(session, email))


def sign_out(token: str) -> None:
    """End every session of the person this session belongs to (nothing, if it has ended)."""
    with transaction() as session:
        person = accounts.person_for_session(session, token)
        if person is not None:
            accounts.sign_out(session, person)


def forgotten_password(email: str, invite_from: str) -> None:
    """Email a one-time link to choose a new password, if ``email`` is a member of staff's."""
    with transaction() as session:
        accounts.request_password_reset(session, email, invite_from)


def link_holder(token: str) -> str:
    """The name of the person a live password link was sent to; the refusal otherwise."""
    with transaction() as session:
        return accounts.link_holder(session, token).name


def choose_password(token: str, password: str) -> str:
    """The password chosen through a one-time link; the person's email."""
    with transaction() as session:
        return accounts.use_password_link(session, token, password).email
