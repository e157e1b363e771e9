"""Schools and the people around them (heads, chairs, clerks, improvement partners, leads)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db.authorities import Authority
from models.db.base import Base
from models.rules.notice import diocesan_authority
from models.vocab import Role, SchoolType

__all__ = ["Person", "School"]


class Person(Base):
    """Anyone the product writes to or acts for; the email is their identity on the CLI."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[Role] = mapped_column(String(40))
    organisation: Mapped[str | None] = mapped_column(String(200))
    # Days before a deadline their calendar feed reminds them (0: no reminder); None: the default.
    alarm_days: Mapped[int | None] = mapped_column(Integer)
    # The language they are written to in: "en" or "cy" (their emails; a letter follows the school's).
    language: Mapped[str] = mapped_column(String(10), default="en")


class School(Base):
    """A school as recorded in Get Information About Schools, plus who runs and supports it."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[SchoolType] = mapped_column(String(40))
    phase: Mapped[str] = mapped_column(String(60))
    la: Mapped[str] = mapped_column(String(120))
    # The language its letters are written in: "en", "cy" or "bilingual" (a school in Wales may
    # correspond in Welsh; a letter about it is then in Welsh, or in both, Welsh first).
    language: Mapped[str] = mapped_column(String(10), default="en")
    # The authority of the installation whose school it is (placed by its LA code on import).
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    diocese: Mapped[str | None] = mapped_column(String(200))
    religious_character: Mapped[str | None] = mapped_column(String(120))
    foundation_appointer: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(500))
    # An academy's responsible body, to which letters about the academy go (not its governors).
    trust: Mapped[str | None] = mapped_column(String(200))
    trust_address: Mapped[str | None] = mapped_column(String(500))
    # The proper name of the appropriate diocesan authority where it differs from the default
    # (``diocesan_body``), e.g. a board whose registered name is not the statute's description.
    diocesan_authority: Mapped[str | None] = mapped_column(String(200))
    # The school's own term dates where it sets them (a voluntary aided or foundation school
    # may): the holidays "taken by the school in question" of S.I. 2005/2038 reg 2. Cases
    # opened for the school count on it; none means the authority's default calendar.
    calendar: Mapped[str | None] = mapped_column(String(200))
    head_name: Mapped[str | None] = mapped_column(String(200))  # as GIAS names the head, until a person is assigned
    head_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    ip_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    head: Mapped[Person | None] = relationship(foreign_keys=[head_id])
    chair: Mapped[Person | None] = relationship(foreign_keys=[chair_id])
    clerk: Mapped[Person | None] = relationship(foreign_keys=[clerk_id])
    ip: Mapped[Person | None] = relationship(foreign_keys=[ip_id])
    authority: Mapped[Authority] = relationship()

    @property
    def school_type(self) -> SchoolType:
        return SchoolType(self.type)

    @property
    def diocesan_body(self) -> str | None:
        """The appropriate diocesan authority: as recorded, else named from the diocese."""
        return self.diocesan_authority or diocesan_authority(self.diocese, self.religious_character)

    @property
    def head_teacher(self) -> str | None:
        """The head's name: the person assigned as head, else the head GIAS names."""
        return self.head.name if self.head else self.head_name
