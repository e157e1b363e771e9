"""Connecting to the database, one transaction per command, and schema upgrades.

A command's changes are committed together or not at all (``transaction``), which is what
makes a refused command leave nothing behind. The schema belongs to Alembic
(``migrations/``); ``scc init`` creates or upgrades it, and every other command checks
that it is current and says to run ``scc init`` when it is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models.errors import ConfigError, DatabaseNotReady
from models.settings.environment import database_url

__all__ = ["engine", "head_revision", "newest_revision", "transaction", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@lru_cache(maxsize=16)
def engine(url: str | None = None) -> Engine:
    """One engine per URL per process (the scheduler and the CLI share it)."""
    url = url or database_url()
    try:
        created = create_engine(url, future=True)
    except (ArgumentError, NoSuchModuleError, ImportError):
        raise ConfigError("SCC_DATABASE_URL", None, f"'{url}' is not a database URL: give sqlite:///path/scc.db or "
                          "postgresql+psycopg://user@host/db") from None
    if created.dialect.name == "sqlite":
        event.listen(created, "connect", _sqlite_pragmas)
    return created


@lru_cache(maxsize=16)
def _sessions(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=engine(url), expire_on_commit=False)


@contextmanager
def transaction(url: str | None = None, *, check_schema: bool = True) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    url = url or database_url()
    if check_schema:
        _check_schema(url)
    session = _sessions(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _alembic_config(url: str) -> Any:
    from alembic.config import Config  # Alembic only to migrate: commands check the schema without it (start-up time)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory  # see _alembic_config

    head = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


@lru_cache(maxsize=1)
def newest_revision() -> str:
    """The revision of the newest migration file, read without Alembic: the files are
    numbered in order of a single line of revisions (a test holds it equal to Alembic's
    head), and importing Alembic would cost every command a tenth of a second."""
    newest = max(MIGRATIONS.glob("versions/[0-9][0-9][0-9][0-9]_*.py"))
    found = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", newest.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else ""


@lru_cache(maxsize=16)
def _schema_checked(url: str) -> bool:
    try:
        with engine(url).connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                raise DatabaseNotReady(f"the database {_safe(url)} has no tables yet: run `scc init`")
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, DatabaseError) as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseNotReady(f"cannot use the database {_safe(url)}: {reason}") from None
    if current != newest_revision() and current != head_revision():
        raise DatabaseNotReady(
            f"the database {_safe(url)} is at schema {current}, this version needs {head_revision()}: run `scc init`"
        )
    return True


def _check_schema(url: str) -> None:
    _schema_checked(url)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def upgrade(url: str | None = None) -> str:
    """Create the schema or bring it to the newest revision; returns that revision."""
    from alembic import command  # see _alembic_config

    url = url or database_url()
    try:
        with engine(url).begin() as connection:
            config = _alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (OperationalError, DatabaseError) as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseNotReady(f"cannot use the database {_safe(url)}: {reason}") from None
    _schema_checked.cache_clear()
    _private_sqlite_file(url)
    return head_revision()


def _private_sqlite_file(url: str) -> None:
    """A SQLite database file readable by this account only (its journal files follow it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).chmod(0o600)
