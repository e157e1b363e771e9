"""Setting up and identifying an installation: its database, data folder and keys.

``scc init`` creates or upgrades the database and claims the data folder for it; ``scc
serve`` reads the database's id (to record itself for the commands beside it) and the web
sessions' signing key. Each opens its own unit of work.
"""

from __future__ import annotations

from pathlib import Path

from models.db.installation import claim_data_root, database_id, private_key
from models.db.session import transaction, upgrade

__all__ = ["SESSION_KEY", "database_identity", "initialise", "session_key"]

SESSION_KEY = "session.key"


def initialise() -> tuple[str, Path]:
    """The database at this version's schema and its data folder claimed, with the web
    sessions' signing key made: the schema revision and the folder (safe to run again)."""
    revision = upgrade()
    with transaction() as session:
        root = claim_data_root(session)
        private_key(root / SESSION_KEY, create=True)
    return revision, root


def database_identity() -> str:
    """This database's id, made at its first use."""
    with transaction() as session:
        claim_data_root(session)
        found = database_id(session)
    assert found is not None  # claimed just now
    return found


def session_key() -> bytes:
    """The data folder's ``session.key`` (0600), made if missing: web sessions stay valid
    across restarts, and every ``scc serve`` of one database agrees."""
    with transaction() as session:
        key = private_key(claim_data_root(session) / SESSION_KEY, create=True)
    assert key is not None
    return key
