"""The declarative base shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, MetaData, Table
from sqlalchemy.orm import DeclarativeBase

__all__ = ["Base", "as_utc", "table_of"]

# Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def as_utc(moment: datetime) -> datetime:
    """A time read back from the database, in UTC: SQLite hands back the naive UTC times it was given."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, for Core statements on the hot paths (one INSERT for many
    rows, no ORM bookkeeping)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
