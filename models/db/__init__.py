"""The database: tables, sessions and the queries several use cases share.

Importing any part of this package registers every table on ``Base.metadata``, so a
foreign key always finds the table it points at, whichever module a process imports first.
"""

from models.db import accounts, audit, authorities, cases, installation, messages, schools  # noqa: F401  (registers the tables)
