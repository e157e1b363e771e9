"""The playbook versions cases were opened with, kept in the database so they never change.

A case is pinned to the resolved playbook it started on (``Playbook.text``); the file may be
edited afterwards, but only under a new version (``pin_playbook`` refuses anything else).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db.cases import PlaybookSnapshot
from models.errors import NotFound, PlaybookError
from models.messages import N_
from models.rules.playbook import Playbook
from models.settings.files import parsed_playbook

__all__ = ["forget_pinned", "pin_playbook", "pinned_playbook"]


def pin_playbook(session: Session, playbook: Playbook) -> None:
    """Keep the exact text of this version so the cases opened with it never change.

    Editing a playbook without changing its version would silently change live cases, so
    it is refused.
    """
    text, digest = playbook.text, playbook.sha256
    stored = session.execute(
        select(PlaybookSnapshot).where(
            PlaybookSnapshot.name == playbook.name, PlaybookSnapshot.version == playbook.version
        )
    ).scalar_one_or_none()
    if stored is None:
        session.add(PlaybookSnapshot(name=playbook.name, version=playbook.version, sha256=digest, text=text))
    elif stored.sha256 != digest:
        raise PlaybookError(
            playbook.source,
            None,
            f"this playbook (or one it extends) changed since cases were opened with version {playbook.version}: "
            "give it a new version so open cases keep the rules they started with",
        )


_pinned: dict[tuple[str, str, str], Playbook] = {}


def forget_pinned() -> None:
    """Read the stored playbook versions again (after a database was emptied in place)."""
    _pinned.clear()


def pinned_playbook(session: Session, name: str, version: str) -> Playbook:
    """The playbook exactly as it was when cases were opened with this version.

    Stored versions never change (``pin_playbook`` refuses an edit without a new version),
    so each is read from the database once per process and database.
    """
    key = (str(session.get_bind().engine.url), name, version)
    if key in _pinned:
        return _pinned[key]
    stored = session.execute(
        select(PlaybookSnapshot).where(PlaybookSnapshot.name == name, PlaybookSnapshot.version == version)
    ).scalar_one_or_none()
    if stored is None:
        raise NotFound(N_("playbook %(name)s version %(version)s is not stored in this database"), name=name, version=version)
    _pinned[key] = parsed_playbook(stored.text, f"{name}.toml@{version}")
    return _pinned[key]
