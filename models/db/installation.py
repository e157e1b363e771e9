"""Where this database keeps its files: the data root, recorded once in the database.

Documents, the audit log's key and (by default) Prefect's records live under one folder,
``SCC_DATA_DIR`` or ``./var``. The folder is resolved to an absolute path the first time the
database needs it (``scc init``) and recorded in the one-row ``installation`` table, so a
command run from any working folder, or a worker on another machine given the same
database, finds the same files. Document paths are stored relative to the root.

A root belongs to one database: the root holds a marker naming the database's installation
id, and a second database pointed at the same root is refused instead of overwriting the
first one's letters (``case-1`` of one database is not ``case-1`` of another).

Files are private to the account running the product: the root and its folders are created
0700 and the files written in them 0600.
"""

from __future__ import annotations

import os
import secrets
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.db.base import Base
from models.errors import ConfigError
from models.settings.environment import environment

__all__ = [
    "Installation", "claim_data_root", "data_root", "database_id", "file_at", "forget_recorded",
    "private_key", "private_folder", "stored_path", "write_private",
]

MARKER = ".scc-database"


class Installation(Base):
    """One row: this database's id and the data root recorded for it."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    database_id: Mapped[str] = mapped_column(String(36))
    data_dir: Mapped[str] = mapped_column(String(1000))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def private_folder(path: Path) -> Path:
    """Create the folder (and missing parents) readable by this account only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable and writable by this account only, whatever the umask."""
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.chmod(path, 0o600)  # a file that existed before keeps no wider mode


# The installation row of each database this process has read: written once, at the first
# use of a database, and never changed, so it is read once per process, not once per event.
_RECORDED: dict[str, tuple[str, str]] = {}


def _recorded(session: Session) -> tuple[str, str] | None:
    """This database's (id, data folder), or None before the first use recorded them."""
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    if url not in _RECORDED:
        row = session.execute(select(Installation.database_id, Installation.data_dir).where(Installation.id == 1)).one_or_none()
        if row is None:
            return None
        _RECORDED[url] = (row.database_id, row.data_dir)
    return _RECORDED[url]


def database_id(session: Session) -> str | None:
    """This database's id (made at its first use), or None before then."""
    recorded = _recorded(session)
    return recorded[0] if recorded else None


def forget_recorded() -> None:
    """Read the installation rows again (after a database was emptied or replaced in place)."""
    _RECORDED.clear()


def data_root(session: Session) -> Path:
    """The data root: ``SCC_DATA_DIR`` if set, else the one recorded for this database, else
    ``./var`` of the working folder (recorded by ``claim_data_root``)."""
    configured = environment().data_dir
    if configured is not None:
        return configured
    recorded = _recorded(session)
    return Path(recorded[1]) if recorded else environment().default_data_dir


def claim_data_root(session: Session) -> Path:
    """The data root, recorded for this database and marked as its own; refused when the
    folder already belongs to another database."""
    root = data_root(session)
    recorded = _recorded(session)
    if recorded is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(Installation).values(  # two first writers at once: one row
            id=1, database_id=str(uuid.uuid4()), data_dir=str(root), recorded_at=datetime.now(UTC),
        ).on_conflict_do_nothing(index_elements=["id"]))
        # not cached: this transaction may yet roll back
        database_id = session.execute(select(Installation.database_id).where(Installation.id == 1)).scalar_one()
    else:
        database_id = recorded[0]
    _mark(root, database_id)
    return root


@lru_cache(maxsize=16)
def _mark(root: Path, database_id: str) -> None:
    """Check (once per process) that the root is this database's, marking it if it is new."""
    marker = root / MARKER
    try:
        owner = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        owner = None
    except OSError as exc:
        raise ConfigError("SCC_DATA_DIR", None, f"cannot use the data folder {root}: {exc.strerror}") from None
    if owner and owner != database_id:
        raise ConfigError("SCC_DATA_DIR", None, f"the data folder {root} holds another database's documents: "
                          "set SCC_DATA_DIR to a folder of this database's own")
    if owner is None:
        try:
            write_private(marker, f"{database_id}\n".encode())
        except OSError as exc:
            raise ConfigError("SCC_DATA_DIR", None, f"cannot use the data folder {root}: {exc.strerror}") from None


_KEYS: dict[Path, bytes] = {}


def private_key(path: Path, create: bool) -> bytes | None:
    """A 256-bit secret kept in a 0600 file of the data root (the audit log's seal, the web
    sessions' signature), read once per process; made when ``create`` and there is none."""
    if path not in _KEYS:
        if not path.exists():
            if not create:
                return None
            draft = path.with_name(f"{path.name}.{os.getpid()}")
            write_private(draft, secrets.token_hex(32).encode("ascii"))
            try:  # linked whole and only if absent: of two first writers, one key wins, both read it
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        _KEYS[path] = bytes.fromhex(path.read_text(encoding="ascii").strip())
    return _KEYS[path]


def stored_path(root: Path, path: Path) -> str:
    """How a file's path is kept in the database: relative to the data root when inside it
    (so the root can move), absolute when a user wrote the file elsewhere."""
    absolute = path.resolve()
    return str(absolute.relative_to(root)) if absolute.is_relative_to(root) else str(absolute)


def file_at(root: Path, stored: str) -> Path:
    """The file a stored path names, wherever the command runs."""
    path = Path(stored)
    return path if path.is_absolute() else root / path
