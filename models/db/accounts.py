"""Who may sign in to the web pages and call the API: passwords, API tokens, and the secret
addresses of the calendar feeds.

Kept apart from ``person`` because most people on record (heads, chairs, dioceses) are
written to, never signed in: only LA staff hold a credential. A password is stored as an
argon2 hash; a token as the sha256 of a random 256-bit value, so neither can be read back
from the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db.base import Base
from models.db.schools import Person

__all__ = ["ApiToken", "CalendarFeed", "Credential", "PasswordLink", "WebSession"]


class Credential(Base):
    """A person's password, and the failed sign-ins that lock it for a while."""

    __tablename__ = "credential"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_signins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship()


class ApiToken(Base):
    """A bearer token for the REST API, acting as its person."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship()


class CalendarFeed(Base):
    """A person's secret calendar address (``/ics/<token>.ics``): one live at a time."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship()


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, this row its sha256.

    Kept on the server so that a session can end for good (signing out, a new password, a new
    role, a lock) rather than live as long as a signed cookie does."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship()


class PasswordLink(Base):
    """A one-time link that lets a member of staff choose a password: sent when they are
    invited, or when a password is forgotten. Only the sha256 of the link's secret is kept;
    it works once (``used_at``) and until ``expires_at``, and a newer link ends the older."""

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))  # "invite" or "reset"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
