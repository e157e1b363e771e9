"""Signing in and out of the web pages, each a use case with its own unit of work.

A refused sign-in is still committed: the failure counts towards the lock and is audited,
and only then is the refusal raised to the page.
"""

from __future__ import annotations

from models.db.session import transaction
from models.services import accounts
from models.services.access import Viewer
from models.services.accounts import SignInRefused

__all__ = ["sign_in", "sign_in_by_provider", "sign_out"]


def sign_in(email: str, password: str) -> int:
    """The id of the member of staff these credentials sign in; ``SignInRefused`` otherwise."""
    refusal: SignInRefused | None = None
    with transaction() as session:
        try:
            return accounts.sign_in(session, email, password).id
        except SignInRefused as error:
            refusal = error
    raise refusal


def sign_in_by_provider(email: str) -> int:
    """The id of the member of staff the single sign-on provider vouches for."""
    refusal: SignInRefused | None = None
    with transaction() as session:
        try:
            return accounts.sign_in_by_provider(session, email).id
        except SignInRefused as error:
            refusal = error
    raise refusal


def sign_out(viewer: Viewer) -> None:
    with transaction() as session:
        accounts.sign_out(session, viewer.email)
