"""Many new rows at once, a row whose unique key is already there left as it was.

The daily sweep queues tens of thousands of emails in one transaction. On PostgreSQL they
are streamed in with ``COPY``, which takes a fraction of the time of an ``INSERT`` a row
(measured by ``benchmarks/consortium.py``: the sweep over 50,000 deadlines). ``COPY`` has
no ``ON CONFLICT``, so it runs under a savepoint: when another transaction queued one of
the keys meanwhile (the caller left out those already there), the savepoint is rolled back
and the rows go in again by ``INSERT … ON CONFLICT DO NOTHING``, which skips that one.
A handful of rows (an action's emails) takes the ``INSERT`` at once, one round trip where
``COPY`` under a savepoint takes three; so does SQLite, which has no ``COPY``.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import psycopg
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

__all__ = ["COPY_FROM", "insert_new"]

COPY_FROM = 50  # rows: fewer go in by INSERT


def insert_new(session: Session, table: Table, key: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same columns) into ``table``, skipping any whose
    ``key`` column is already taken. Values are written as the driver adapts them: a
    vocabulary value (a ``StrEnum``) as its text."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        try:
            with session.begin_nested():
                _copy(session, table, rows)
            return
        except psycopg.errors.UniqueViolation:
            pass  # queued meanwhile by another transaction: the INSERT below skips it
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(table).on_conflict_do_nothing(index_elements=[key]), list(rows))


def _copy(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    columns = list(rows[0])
    named = ", ".join(f'"{table.c[c].name}"' for c in columns)  # a column the table lacks is a KeyError here
    statement = f'COPY "{table.name}" ({named}) FROM STDIN'
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, psycopg.Connection)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        values = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        for row in rows:
            copy.write_row(values(row))
