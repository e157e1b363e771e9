"""The local authorities one installation serves, and the roles people hold in each.

A consortium (one school-improvement service for several authorities) runs one installation:
each authority keeps its own schools, cases, letterhead, playbook and term dates, and its
people see only their own authorities' records. A single authority is an installation with
one row here.

``person_role`` places everyone on record in an authority: staff by the role that decides
what they may see and do there (an IP in three authorities and a lead in a fourth holds four
rows), heads, chairs and other contacts by their role so that each authority's people list
shows its own.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db.base import Base
from models.vocab import Role

__all__ = ["Authority", "PersonRole"]


class Authority(Base):
    """A local authority: its name, its GIAS LA code, and how its letters and cases are made."""

    __tablename__ = "authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # short name for the command line: "cardiff"
    name: Mapped[str] = mapped_column(String(200))
    # The LA code of Get Information About Schools ("LA (code)"): a school imported with it is
    # this authority's. None: the one authority of an installation takes every school.
    la_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    playbook: Mapped[str] = mapped_column(String(300))  # the playbook a new case follows
    calendar: Mapped[str] = mapped_column(String(300))  # the term dates a case counts on
    letterhead: Mapped[str] = mapped_column(String(300))  # a .toml of the config folder
    sender: Mapped[str | None] = mapped_column(String(320))  # the From of its emails; None: the installation's


class PersonRole(Base):
    """The role a person holds in one authority."""

    __tablename__ = "person_role"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), primary_key=True, index=True)
    role: Mapped[Role] = mapped_column(String(40))
