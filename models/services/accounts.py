"""Signing in: passwords, single sign-on, sessions, lock-out after repeated failures, API tokens.

Only LA staff sign in (a lead, a senior officer, an IP or a principal IP): the heads,
chairs and bodies on record are written to, never signed in. Passwords are hashed with
argon2 (``argon2-cffi``); a sign-in that fails ``MAX_FAILURES`` times in a row locks the
account for ``LOCK_MINUTES``. An unknown email, a wrong password and a locked account get
one message and the same work (an argon2 check), so neither the page nor its timing says
which emails are staff accounts; the person locked out learns it by email.

A signed-in browser holds a session kept here (``WebSession``): it ends after
``IDLE_HOURS`` without use or ``LONGEST_HOURS`` after signing in, and every session and API
token of a person ends when they sign out (sessions), get a new password, are locked out or
change role (sessions and tokens) — so a copied cookie or a leaked token dies with them.
Signing in and out, failures and locks are audit events.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from models.adapters.mail.templates import render_email
from models.db import audit
from models.db.accounts import ApiToken, CalendarFeed, Credential, PasswordLink, WebSession
from models.db.base import as_utc
from models.db.queries import by_id, rows_changed
from models.db.schools import Person
from models.errors import FieldError, InvalidInput, NotFound, NotPermitted
from models.messages import N_, Words
from models.rules.roles import STAFF
from models.rules.text import in_words
from models.services.directory import email_is, person_by_email
from models.services.outbox import queue
from models.settings.sign_in import sign_in_settings
from models.vocab import Language, Role

__all__ = [
    "ALARM_DAYS", "IDLE_HOURS", "LONGEST_ALARM", "LONGEST_HOURS", "MAX_FAILURES", "STAFF", "SignInRefused", "alarm_days", "create_feed",
    "create_token", "end_access", "link_holder", "request_password_reset", "send_password_link", "set_alarm_days",
    "use_password_link",
    "forget_dead_sessions", "has_feed", "person_for_feed", "person_for_session", "person_for_token", "revoke_feed", "revoke_token", "set_password",
    "sign_in", "sign_in_by_provider", "sign_out", "start_session", "token_owner",
]

MIN_PASSWORD = 12
MAX_PASSWORD = 200
MAX_FAILURES = 5
LOCK_MINUTES = 15
TOKEN_PREFIX = "scc_"
IDLE_HOURS = 2  # a session unused this long ends (ASVS 3.3.2)
LONGEST_HOURS = 12  # and any session ends this long after signing in, used or not
SEEN_EVERY = timedelta(minutes=1)  # a session's last use is written at most this often
# How long a one-time link to choose a password works: an invitation waits for a new member of
# staff to read their email; a forgotten-password link is answered at once (ASVS 2.5.1, 2.3.1).
LINK_HOURS = {"invite": 72, "reset": 1}
RESET_EVERY = timedelta(minutes=5)  # a forgotten-password request sends at most one email this often

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """What an unknown email or a locked account is checked against, so that every refusal
    costs the same argon2 verification as a wrong password (no account enumeration). Made on
    first use, not at import: every command would pay for it."""
    return _hasher.hash(secrets.token_urlsafe(16))


class SignInRefused(NotPermitted):
    """Wrong email or password, or a locked account: said without telling which."""


def _staff(session: Session, email: str) -> Person:
    person = person_by_email(session, email)
    if Role(person.role) not in STAFF:
        raise InvalidInput(N_("%(email)s is a %(role)s: only LA staff (a lead, senior officer, IP or principal IP) sign in"),
                           email=person.email, role=person.role)
    return person


def set_password(session: Session, email: str, password: str, actor: str) -> Person:
    """Give a member of staff a password (or a new one), which also lifts a lock."""
    if not sign_in_settings().passwords:
        raise InvalidInput(N_("passwords are switched off here ([sign_in] passwords = false in settings.toml): staff sign in with "
                              "single sign-on, so there is no password to set"))
    person = _staff(session, email)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(N_("the password must be %(least)s to %(most)s characters long: choose another"), least=MIN_PASSWORD,
                           most=MAX_PASSWORD)
    if password.strip() != password or any(ord(c) < 32 for c in password):
        raise InvalidInput(N_("the password starts or ends with a space or holds a control character: choose another"))
    credential = session.get(Credential, person.id)
    hashed, now = _hasher.hash(password), datetime.now(UTC)
    if credential is None:
        session.add(Credential(person_id=person.id, password_hash=hashed, failed_signins=0, locked_until=None, changed_at=now))
    else:
        credential.password_hash, credential.failed_signins, credential.locked_until, credential.changed_at = hashed, 0, None, now
    session.flush()
    audit.record(session, actor, "password_set", after={"email": person.email})
    end_access(session, person, actor, "a new password")
    return person


def sign_in(session: Session, email: str, password: str, now: datetime | None = None) -> Person:
    """The person, if the password is theirs and the account is not locked; otherwise
    ``SignInRefused`` in one message whatever the reason (the failure counted, and the account
    locked at ``MAX_FAILURES``, its sessions and tokens ended and its owner told by email)."""
    settings = sign_in_settings()
    if not settings.passwords:
        raise SignInRefused(N_("passwords are switched off here: sign in with %(provider)s"), provider=settings.provider_name)
    now = now or datetime.now(UTC)
    wrong = SignInRefused(N_("the email or the password is wrong, or the account is locked for a while: check both and try again, "
                             "or ask a senior officer"))
    person = session.execute(select(Person).where(email_is(email))).scalar_one_or_none()
    credential = session.get(Credential, person.id) if person is not None else None
    if person is None or credential is None or Role(person.role) not in STAFF:
        _verify(_dummy_hash(), password)  # the same work as a real check: timing does not tell who has an account
        raise wrong
    if credential.locked_until is not None and as_utc(credential.locked_until) > now:
        _verify(_dummy_hash(), password)  # and a locked account answers like any other refusal
        audit.record(session, person.email, "sign_in_refused", after={"reason": "locked"})
        raise wrong
    if not _verify(credential.password_hash, password):
        credential.failed_signins += 1
        locked = credential.failed_signins >= MAX_FAILURES
        if locked:
            credential.locked_until, credential.failed_signins = now + timedelta(minutes=LOCK_MINUTES), 0
        audit.record(session, person.email, "sign_in_failed", after={"locked": locked})
        if locked:
            end_access(session, person, person.email, "a lock after failed sign-ins")
            _tell_locked(session, person, as_utc(credential.locked_until or now), now)
        raise wrong
    credential.failed_signins, credential.locked_until = 0, None
    if _hasher.check_needs_rehash(credential.password_hash):
        credential.password_hash = _hasher.hash(password)
    audit.record(session, person.email, "signed_in")
    return person


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _tell_locked(session: Session, person: Person, until: datetime, now: datetime) -> None:
    """The email that tells a locked-out person why, and what to do if it was not them."""
    welsh = person.language == Language.WELSH  # written to in their own language
    body = render_email("account_locked.cy" if welsh else "account_locked", {
        "recipient": {"name": person.name}, "locked_at": f"{now:%H:%M}", "until": f"{until:%H:%M}", "failures": MAX_FAILURES})
    subject = "Mae eich cyfrif SCC Casework wedi'i gloi am ychydig" if welsh else "Your SCC Casework account is locked for a while"
    queue(session, [{"key": f"account-locked:{person.id}:{until.isoformat()}", "kind": "account_locked",
                     "case_id": None, "deadline_id": None, "recipient_email": person.email,
                     "recipient_name": person.name, "subject": subject, "body": body}], now)


# The subject of a password link's email, by its purpose and the person's language.
LINK_SUBJECTS = {("invite", Language.ENGLISH): "You are invited to SCC Casework",
                 ("invite", Language.WELSH): "Gwahoddiad i SCC Casework",
                 ("reset", Language.ENGLISH): "Choose a new SCC Casework password",
                 ("reset", Language.WELSH): "Dewiswch gyfrinair SCC Casework newydd"}


def send_password_link(session: Session, email: str, purpose: str, actor: str, base_url: str,
                       now: datetime | None = None) -> Person:
    """Email a member of staff a one-time link to choose a password: an invitation, or a new
    password. Any earlier link of theirs stops working; the secret is in the email only."""
    if not sign_in_settings().passwords:
        raise InvalidInput(N_("passwords are switched off here: staff sign in with single sign-on, so there is no password to set"))
    person = _staff(session, email)
    now = now or datetime.now(UTC)
    session.execute(update(PasswordLink).where(PasswordLink.person_id == person.id, PasswordLink.used_at.is_(None))
                    .values(used_at=now))
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=LINK_HOURS[purpose])
    session.add(PasswordLink(person_id=person.id, token_hash=_digest(token), purpose=purpose, created_at=now, expires_at=expires))
    spoken = Language.written_to(person.language)
    welsh = spoken == Language.WELSH
    body = render_email("password_link.cy" if welsh else "password_link", {
        "recipient": {"name": person.name}, "invited": purpose == "invite", "link": f"{base_url.rstrip('/')}/set-password/{token}",
        "hours": LINK_HOURS[purpose],
        "expires": f"{expires:%H:%M} UTC ar {in_words(expires.date(), 'cy')}" if welsh else f"{expires:%H:%M} UTC on {expires:%-d %B %Y}"})
    subject = LINK_SUBJECTS[purpose, spoken]
    queue(session, [{"key": f"password-link:{_digest(token)[:32]}", "kind": f"password_{purpose}", "case_id": None,
                     "deadline_id": None, "recipient_email": person.email, "recipient_name": person.name,
                     "subject": subject, "body": body}], now)
    audit.record(session, actor, "password_link_sent", after={"email": person.email, "purpose": purpose,
                                                              "expires_at": expires.isoformat()})
    return person


def request_password_reset(session: Session, email: str, base_url: str, now: datetime | None = None) -> None:
    """A forgotten password: a link for a member of staff, at most one every ``RESET_EVERY``;
    for any other address nothing, and the page says the same either way (no enumeration)."""
    now = now or datetime.now(UTC)
    try:
        person = _staff(session, email)
    except (NotFound, InvalidInput):
        return
    latest = session.execute(select(func.max(PasswordLink.created_at)).where(PasswordLink.person_id == person.id)).scalar()
    if latest is not None and now - as_utc(latest) < RESET_EVERY:
        return
    send_password_link(session, person.email, "reset", person.email, base_url, now)


def _live_link(session: Session, token: str, now: datetime) -> PasswordLink:
    link = session.execute(select(PasswordLink).where(PasswordLink.token_hash == _digest(token))).scalar_one_or_none()
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= now:
        raise InvalidInput(N_("this link has expired or has already been used: ask for a new one from the sign-in page (Forgotten "
                              "your password?) or from a senior officer"))
    return link


def link_holder(session: Session, token: str, now: datetime | None = None) -> Person:
    """Whose live link this is (to greet them on the page), or the refusal naming the way."""
    link = _live_link(session, token, now or datetime.now(UTC))
    person = session.get(Person, link.person_id)
    assert person is not None
    return person


def use_password_link(session: Session, token: str, password: str, now: datetime | None = None) -> Person:
    """The password chosen through a live link; the link is used up with it."""
    now = now or datetime.now(UTC)
    link = _live_link(session, token, now)
    person = session.get(Person, link.person_id)
    assert person is not None
    try:
        set_password(session, person.email, password, person.email)
    except InvalidInput as refused:
        raise FieldError("password", refused.message, **refused.parameters) from None
    link.used_at = now
    return person


def sign_in_by_provider(session: Session, email: str) -> Person:
    """The member of staff the council's identity provider vouched for, matched by email;
    ``SignInRefused`` for an email unknown here or not staff (recorded either way)."""
    address = email.strip().lower()
    person = session.execute(select(Person).where(Person.email == address)).scalar_one_or_none() if address else None
    if person is None or Role(person.role) not in STAFF:
        audit.record(session, address or "(no email)", "sign_in_refused", after={"reason": "not staff here", "by": "single sign-on"})
        raise SignInRefused(N_("%(email)s is not a member of staff here: ask a senior officer to add you with this email, then sign in "
                               "again"), email=address or Words(N_("your account")))
    audit.record(session, person.email, "signed_in", after={"by": "single sign-on"})
    return person


def sign_out(session: Session, person: Person) -> None:
    """Every browser of the person signed out (a copied cookie too); their API tokens, which
    scripts hold rather than browsers, keep working."""
    _end_sessions(session, person.id, datetime.now(UTC))
    audit.record(session, person.email, "signed_out")


def start_session(session: Session, person: Person, now: datetime | None = None) -> str:
    """A new session for a person who has just signed in: its token, for the cookie. A new
    token at every sign-in, so a session id planted before it is worth nothing after."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    session.add(WebSession(person_id=person.id, token_hash=_digest(token), started_at=now, seen_at=now))
    session.flush()
    return token


def forget_dead_sessions(session: Session, now: datetime | None = None) -> int:
    """Delete the rows of sessions that cannot be alive any more (begun more than
    ``LONGEST_HOURS`` and a day ago): they hold nothing the audit log does not, and would
    otherwise grow with every sign-in. Returns how many went."""
    now = now or datetime.now(UTC)
    return rows_changed(session.execute(
        delete(WebSession).where(WebSession.started_at < now - timedelta(hours=LONGEST_HOURS, days=1))
        .execution_options(synchronize_session=False)))


def person_for_session(session: Session, token: str, now: datetime | None = None) -> Person | None:
    """The member of staff a live session belongs to, or None: a session ends after
    ``IDLE_HOURS`` unused or ``LONGEST_HOURS`` after signing in."""
    if not 20 <= len(token) <= 100:
        return None
    now = now or datetime.now(UTC)
    row = session.execute(select(WebSession).where(WebSession.token_hash == _digest(token),
                                                   WebSession.ended_at.is_(None))).scalar_one_or_none()
    if row is None or Role(row.person.role) not in STAFF:
        return None
    if now - as_utc(row.seen_at) > timedelta(hours=IDLE_HOURS) or now - as_utc(row.started_at) > timedelta(hours=LONGEST_HOURS):
        row.ended_at = now
        return None
    if now - as_utc(row.seen_at) > SEEN_EVERY:
        row.seen_at = now
    return row.person


def _end_sessions(session: Session, person_id: int, now: datetime) -> int:
    return rows_changed(session.execute(update(WebSession).where(WebSession.person_id == person_id,
                                                                 WebSession.ended_at.is_(None)).values(ended_at=now)))


def end_access(session: Session, person: Person, actor: str, why: str, *, feed: bool = False) -> None:
    """End every session and revoke every API token of a person (and with ``feed`` their
    calendar address): after a new password, a lock or a change of role, nothing issued
    before it still lets anyone in as them."""
    now = datetime.now(UTC)
    sessions = _end_sessions(session, person.id, now)
    ended = {"sessions": sessions}
    for secret in (ApiToken, CalendarFeed) if feed else (ApiToken,):
        ended[secret.__tablename__] = rows_changed(session.execute(
            update(secret).where(secret.person_id == person.id, secret.revoked_at.is_(None)).values(revoked_at=now)))
    if any(ended.values()):
        audit.record(session, actor, "access_ended", after={"email": person.email, "why": why, **ended})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, email: str, actor: str) -> tuple[int, str]:
    """A new API token for a member of staff: its id and the token, shown this once."""
    person = _staff(session, email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(person_id=person.id, token_hash=_digest(token), created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    audit.record(session, actor, "api_token_created", after={"email": person.email, "token": row.id})
    return row.id, token


def token_owner(session: Session, token_id: int) -> str:
    """The email of the person a live token acts for; NotFound otherwise."""
    row = by_id(session, ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        raise NotFound(N_("no live API token %(token)s"), token=token_id)
    return row.person.email


def revoke_token(session: Session, token_id: int, actor: str) -> None:
    row = by_id(session, ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        raise NotFound(N_("no live API token %(token)s"), token=token_id)
    row.revoked_at = datetime.now(UTC)
    audit.record(session, actor, "api_token_revoked", after={"token": token_id})


def person_for_token(session: Session, token: str) -> Person | None:
    """The person a live token acts for, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return _staff_holding(session, ApiToken, token)


Secret = TypeVar("Secret", ApiToken, CalendarFeed)


def _staff_holding(session: Session, secret: type[Secret], token: str) -> Person | None:
    """The member of staff a live (unrevoked) secret of this kind belongs to, or None."""
    row = session.execute(
        select(secret).where(secret.token_hash == _digest(token), secret.revoked_at.is_(None))
    ).scalar_one_or_none()
    return row.person if row is not None and Role(row.person.role) in STAFF else None


def create_feed(session: Session, email: str, actor: str) -> str:
    """A new secret calendar address for a member of staff; any earlier one stops working.
    Returns the token, shown this once."""
    person = _staff(session, email)
    now = datetime.now(UTC)
    session.execute(update(CalendarFeed).where(CalendarFeed.person_id == person.id, CalendarFeed.revoked_at.is_(None))
                    .values(revoked_at=now))
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(person_id=person.id, token_hash=_digest(token), created_at=now))
    session.flush()
    audit.record(session, actor, "calendar_feed_created", after={"email": person.email})
    return token


LONGEST_ALARM = 30  # days: a reminder a month ahead is the most a calendar needs
ALARM_DAYS = 2  # a reminder two days before each deadline, unless the person chose otherwise


def set_alarm_days(session: Session, email: str, days: int, actor: str) -> None:
    """How many days before each deadline the person's calendar reminds them (0: never)."""
    if not 0 <= days <= LONGEST_ALARM:
        raise FieldError("alarm_days", N_("a reminder is from 0 (none) to %(most)s days before, not %(value)s"), most=LONGEST_ALARM,
                         value=days)
    _set_preference(session, email, "alarm_days", days, actor, "calendar_reminder_set", "days")


def set_language(session: Session, email: str, language: str, actor: str) -> Person:
    """The language of a person's pages and emails: en or cy."""
    if language not in (Language.ENGLISH, Language.WELSH):
        raise FieldError("language", N_("'%(value)s' is not a language of emails: choose en (English) or cy (Welsh, Cymraeg)"),
                         value=language)
    return _set_preference(session, email, "language", language, actor, "language_set", "language")


def _set_preference(session: Session, email: str, column: str, value: object, actor: str, event: str, said_as: str) -> Person:
    """One of a person's own settings changed, and the change audited with what it was."""
    person = person_by_email(session, email)
    before = getattr(person, column)
    setattr(person, column, value)
    audit.record(session, actor, event, before={"person": email, said_as: before}, after={"person": email, said_as: value})
    return person


def alarm_days(person: Person) -> int:
    """How many days before each deadline the person's calendar reminds them."""
    return ALARM_DAYS if person.alarm_days is None else person.alarm_days


def has_feed(session: Session, email: str) -> bool:
    person = person_by_email(session, email)
    return session.execute(select(CalendarFeed.id).where(CalendarFeed.person_id == person.id,
                                                         CalendarFeed.revoked_at.is_(None))).first() is not None


def revoke_feed(session: Session, email: str, actor: str) -> None:
    """Stop a person's calendar address from working."""
    person = person_by_email(session, email)
    stopped = rows_changed(session.execute(
        update(CalendarFeed).where(CalendarFeed.person_id == person.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))))
    if not stopped:
        raise NotFound(N_("%(email)s has no calendar address to stop"), email=person.email)
    audit.record(session, actor, "calendar_feed_revoked", after={"email": person.email})


def person_for_feed(session: Session, token: str) -> Person | None:
    """The member of staff a live calendar address belongs to, or None."""
    if not 20 <= len(token) <= 100:
        return None
    return _staff_holding(session, CalendarFeed, token)
