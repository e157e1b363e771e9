"""Alembic environment: migrations run on the connection ``models.db.session.upgrade`` hands in,
or on ``sqlalchemy.url`` when run through the ``alembic`` command."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

import models.db.accounts  # noqa: F401  (registers the tables on Base.metadata)
import models.db.audit  # noqa: F401
import models.db.authorities  # noqa: F401
import models.db.cases  # noqa: F401
import models.db.installation  # noqa: F401
import models.db.messages  # noqa: F401
import models.db.schools  # noqa: F401
from models.db.base import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
