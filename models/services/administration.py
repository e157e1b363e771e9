"""What staff change outside a case: people, schools, access, term dates, playbook versions.

Each use case takes the person acting (``access.Viewer``), opens its own unit of work,
checks the task in the one table of ``models.services.access``, and returns what the entry
points show. The command line, the pages and the API call these alike, so a lead refused
on a page is refused at the terminal too.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db.authorities import Authority, PersonRole
from models.db.queries import anyone_on_record
from models.db.schools import Person
from models.db.session import transaction
from models.errors import FieldError, InvalidInput, NotFound, NotPermitted
from models.messages import N_, Words
from models.rules.roles import STAFF
from models.rules.text import valid_email
from models.schemas import AuthorityView, PersonView, SchoolView, TrackerRow
from models.services import accounts, authorities, directory, tracker, views
from models.services.access import SETUP, Task, Viewer, require, require_in, school_for_task, school_visible_to
from models.services.concerns import ImportedFigures, import_indicators
from models.services.directory import ImportResult, SchoolDetails
from models.services.playbook_versions import CaseMigration, migrate_open_cases, target_playbook
from models.services.recount import DeadlineMove
from models.services.recount import apply_term_dates as move_deadlines
from models.settings.environment import today
from models.settings.sign_in import sign_in_settings
from models.vocab import Role

__all__ = [
    "MAX_UPLOAD", "add_authority", "add_person", "add_school", "alarm_days", "apply_term_dates", "assign_people", "change_role",
    "change_authority", "chosen_authorities", "create_token", "grant_role", "has_feed", "import_indicators_file", "import_schools", "invited",
    "language_of", "migrate_playbook", "record_school_contacts",
    "revoke_token", "send_password_link", "set_alarm_days", "set_language", "set_password", "subscribe", "unsubscribe",
]

MAX_UPLOAD = 5_000_000  # a GIAS export of every school in England is about 4 MB

T = TypeVar("T")


def _as(viewer: Viewer, task: Task, work: Callable[[Session, str], T]) -> T:
    """Run ``work`` in one unit of work once the viewer may do ``task``; the setup actor only
    while nobody is on record (checked again in the same transaction)."""
    with transaction() as session:
        if viewer.email == SETUP.email and anyone_on_record(session):
            raise NotPermitted(N_("people are on record now: name the person acting"))
        require(viewer, task)
        return work(session, viewer.email)


def _person(person: object) -> PersonView:
    return PersonView.model_validate(person, from_attributes=True)


def chosen_authorities(session: Session, viewer: Viewer, codes: Sequence[str], task: Task) -> list[Authority]:
    """The authorities named (each one where the viewer's role allows the task), else the one
    authority where it does; with several, the person must choose."""
    if codes:
        found = [authorities.authority_by_code(session, code) for code in dict.fromkeys(c for c in codes if c.strip())]
        for authority in found:
            require_in(viewer, task, authority.id, authority.name)
        if found:
            return found
    allowed = sorted(viewer.authorities_for(task))
    if viewer is SETUP or len(allowed) == 0:
        return [authorities.home_authority(session)]
    if len(allowed) > 1:
        raise FieldError("authority", N_("you work for several authorities: choose the authority"))
    return [session.get_one(Authority, allowed[0])]


def _in_reach(session: Session, viewer: Viewer, email: str, task: Task) -> Person:
    """The person, if the viewer's role allows the task in every authority the person holds a
    role in (a senior officer of one authority does not manage another's people)."""
    person = directory.person_by_email(session, email)
    if viewer is SETUP:
        return person
    held = session.execute(select(PersonRole.authority_id, Authority.name).join(Authority, Authority.id == PersonRole.authority_id)
                           .where(PersonRole.person_id == person.id)).all()
    if not held or not any(a in viewer.authorities for a, _ in held):
        raise NotFound(N_("no person with email %(email)s: add them first"), email=email)
    for authority_id, name in held:
        require_in(viewer, task, authority_id, name)
    return person


def add_person(viewer: Viewer, name: str, email: str, role: str, organisation: str | None = None,
               invite_from: str | None = None, authority: Sequence[str] = ()) -> PersonView:
    """A new person on record, added by a senior officer (or while setting up), holding their
    role in the authorities named (in a consortium, the one the officer manages, else those
    chosen). With ``invite_from`` (the address of the pages) a member of staff is emailed a
    one-time link to choose their password, in the same unit of work: both happen or neither."""

    def add(session: Session, by: str) -> Person:
        places = chosen_authorities(session, viewer, authority, Task.MANAGE_PEOPLE)
        person = directory.add_person(session, name, email, role, by, organisation or None, places)
        if invite_from and invited(person.role):
            accounts.send_password_link(session, person.email, "invite", by, invite_from)
        return person

    return _as(viewer, Task.MANAGE_PEOPLE, lambda s, by: _person(add(s, by)))


def invited(role: str) -> bool:
    """Whether someone of ``role`` added on the web is sent a link to choose a password: staff,
    where passwords are in use (with single sign-on alone there is none to choose)."""
    return Role(role) in STAFF and sign_in_settings().passwords


def add_authority(viewer: Viewer, code: str, name: str, la_code: str | None = None, playbook: str | None = None,
                  calendar: str | None = None, letterhead: str | None = None, sender: str | None = None) -> AuthorityView:
    """A new authority of the installation, added by a senior officer of every authority it
    already has (a consortium's), who becomes a senior officer of the new one too."""

    def add(session: Session, by: str) -> AuthorityView:
        existing = session.execute(select(Authority)).scalars().all()
        if viewer is not SETUP:
            for authority in existing:
                require_in(viewer, Task.MANAGE_AUTHORITIES, authority.id, authority.name)
        made = authorities.add_authority(session, by, code, {"name": name, "la_code": la_code, "playbook": playbook,
                                                             "calendar": calendar, "letterhead": letterhead, "sender": sender})
        if viewer is not SETUP:
            authorities.grant_role(session, directory.person_by_email(session, viewer.email), [made], Role.SENIOR, by)
        return AuthorityView.model_validate(made, from_attributes=True)

    return _as(viewer, Task.MANAGE_AUTHORITIES, add)


def change_authority(viewer: Viewer, code: str, changes: Mapping[str, str | None]) -> AuthorityView:
    """An authority's settings changed by one of its senior officers."""

    def change(session: Session, by: str) -> AuthorityView:
        [authority] = chosen_authorities(session, viewer, [code], Task.MANAGE_AUTHORITIES)
        changed = authorities.change_authority(session, by, authority.code, changes)
        return AuthorityView.model_validate(changed, from_attributes=True)

    return _as(viewer, Task.MANAGE_AUTHORITIES, change)


def send_password_link(viewer: Viewer, email: str, invite_from: str) -> PersonView:
    """A senior officer sends a member of staff a new one-time link to choose a password."""

    def send(session: Session, by: str) -> PersonView:
        _in_reach(session, viewer, email, Task.MANAGE_ACCESS)
        return _person(accounts.send_password_link(session, email, "invite", by, invite_from))

    return _as(viewer, Task.MANAGE_ACCESS, send)


def change_role(viewer: Viewer, email: str, role: str) -> PersonView:
    """A person's new role in each of their authorities, given by a senior officer of them all."""

    def change(session: Session, by: str) -> PersonView:
        _in_reach(session, viewer, email, Task.MANAGE_PEOPLE)
        return _person(_role_changed(session, email, role, by))

    return _as(viewer, Task.MANAGE_PEOPLE, change)


def grant_role(viewer: Viewer, email: str, authority: str, role: str) -> PersonView:
    """A member of staff takes a role in one more authority (or another role there): an IP
    working across a consortium, a senior officer of all its authorities. Their sessions and
    tokens end, as with any new role."""

    def grant(session: Session, by: str) -> PersonView:
        [place] = chosen_authorities(session, viewer, [authority], Task.MANAGE_PEOPLE)
        person = directory.person_by_email(session, email)
        new = directory.parse_role(role)
        if new not in STAFF:
            raise FieldError("role", N_("a %(role)s is not staff: a role in another authority is a lead, senior, ip or principal_ip"),
                             role=new.value)
        authorities.grant_role(session, person, [place], new, by)
        accounts.end_access(session, person, by, "a change of role", feed=True)
        return _person(person)

    return _as(viewer, Task.MANAGE_PEOPLE, grant)


def _role_changed(session: Session, email: str, role: str, actor: str) -> Person:
    """A new role starts afresh: every session, token and calendar address of the old one
    ends, so moving someone out of staff and back does not bring back what they held."""
    person = directory.change_role(session, email, role, actor)
    accounts.end_access(session, person, actor, "a change of role", feed=True)
    return person


def add_school(viewer: Viewer, details: SchoolDetails, places: dict[str, str | None], authority: str | None = None) -> SchoolView:
    """One school added by hand, with the people in its places (head, chair, clerk, IP): in
    the authority named, else the one of its LA code, else the one the person works for."""

    def add(session: Session, by: str) -> SchoolView:
        if authority or not details.la_code:
            [placed] = chosen_authorities(session, viewer, [authority] if authority else [], Task.IMPORT_SCHOOLS)
        else:
            placed = authorities.authority_for_la_code(session, details.la_code)
            require_in(viewer, Task.IMPORT_SCHOOLS, placed.id, placed.name)
        return views.school_view(directory.add_school(session, details, by, **places, authority=placed))

    return _as(viewer, Task.IMPORT_SCHOOLS, add)


def _school_work(viewer: Viewer, urn: str, work: Callable[[Session, str], T]) -> T:
    """``work`` on one school, once the viewer may change the schools of its authority."""

    def checked(session: Session, by: str) -> T:
        school_for_task(session, viewer, urn, Task.IMPORT_SCHOOLS)
        return work(session, by)

    return _as(viewer, Task.IMPORT_SCHOOLS, checked)


def assign_people(viewer: Viewer, urn: str, places: dict[str, str | None]) -> SchoolView:
    """Who leads, governs, clerks and supports a school."""
    return _school_work(viewer, urn, lambda s, by: views.school_view(directory.assign_people(s, urn, by, **places)))


# A school's contact as a refusal names it ("give the email address of the clerk").
_CONTACT_WORDS = {"head": N_("head"), "chair": N_("chair"), "clerk": N_("clerk")}


def record_school_contacts(viewer: Viewer, urn: str, contacts: Mapping[str, tuple[str, str]], ip: str | None,
                           address: str | None = None, language: str | None = None) -> SchoolView:
    """A school's head, chair and clerk, each by name and email (a new person on record when the
    email is new), its IP and its postal address, in one unit of work: all are recorded or,
    refused, none."""

    def record(session: Session, by: str) -> SchoolView:
        school = directory.school_by_urn(session, urn)
        changed = {key: value for key, value in (("address", address), ("language", language))
                   if value and value.strip() != (getattr(school, key) or "")}
        for key, value in changed.items():  # each refused beside its own field
            try:
                directory.record_school_details(session, urn, by, {key: value})
            except InvalidInput as refused:
                raise FieldError(key, refused.message, **refused.parameters) from None
        places: dict[str, str | None] = {}
        for place, (name, email) in contacts.items():
            if not email.strip():
                if name.strip():
                    raise FieldError(f"{place}_email", N_("give the %(place)s's email address as well as the name"),
                                     place=Words(_CONTACT_WORDS[place]))
                continue
            try:
                mailbox = valid_email(email)
            except InvalidInput as refused:
                raise FieldError(f"{place}_email", refused.message, **refused.parameters) from None
            try:
                directory.person_by_email(session, mailbox)
            except NotFound:
                if not name.strip():
                    raise FieldError(f"{place}_name", N_("%(email)s is not on record yet: give the %(place)s's name too"), email=mailbox,
                                     place=Words(_CONTACT_WORDS[place])) from None
                directory.add_person(session, name, mailbox, place, by, school.name, [school.authority])
            try:
                directory.holder(session, place, mailbox, school.authority)
            except InvalidInput as refused:
                raise FieldError(f"{place}_email", refused.message, **refused.parameters) from None
            places[place] = mailbox
        if ip:
            places["ip"] = ip
        if not places:
            if address or "language" in changed:
                return views.school_view(school)
            raise InvalidInput(N_("give the address, at least one person's email, or choose an IP"))
        return views.school_view(directory.assign_people(session, urn, by, **places))

    return _school_work(viewer, urn, record)


def record_school_details(viewer: Viewer, urn: str, changes: Mapping[str, str | None]) -> SchoolView:
    """What letters and counts need beyond the register: trust, diocesan authority, calendar."""
    return _school_work(viewer, urn, lambda s, by: views.school_view(directory.record_school_details(s, urn, by, changes)))


def check_tracker(viewer: Viewer, name: str, data: bytes) -> list[TrackerRow]:
    """The dry run of moving a tracker in: per row, the case it would open or why not."""
    require(viewer, Task.OPEN_CASE)
    _tracker_file(name, data)
    return [p.view() for p in tracker.read_tracker(name, data, today())]


def import_tracker(viewer: Viewer, name: str, data: bytes) -> list[TrackerRow]:
    """Open the tracker's cases, each in its own transaction; refused while any row is."""
    require(viewer, Task.OPEN_CASE)
    _tracker_file(name, data)
    return [p.view() for p in tracker.import_tracker(name, data, viewer.email, today())]


def _tracker_file(name: str, data: bytes) -> None:
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidInput(N_("'%(name)s' is neither .csv nor .xlsx: save the tracker as one of them"), name=name or Words(N_("the file")))
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(N_("the file is larger than %(limit)s MB: a tracker of live cases is far smaller"), limit=MAX_UPLOAD // 1_000_000)


def _upload(name: str, data: bytes, what: str) -> str:
    """The file's name made safe, once it is a CSV no larger than ``MAX_UPLOAD``."""
    if not name.lower().endswith(".csv"):
        raise InvalidInput(N_("'%(name)s' is not a CSV file: upload %(what)s"), name=name or Words(N_("the file")), what=Words(what))
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(N_("the file is larger than %(limit)s MB: upload %(what)s of your own schools"), limit=MAX_UPLOAD // 1_000_000,
                           what=Words(what))
    return re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:100] or "upload.csv"


def import_schools(viewer: Viewer, name: str, data: bytes) -> ImportResult:
    """A GIAS export: new URNs added, known ones refreshed; one bad row refuses the file."""
    safe = _upload(name, data, N_("the .csv export from Get Information About Schools"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        return _as(viewer, Task.IMPORT_SCHOOLS, lambda s, by: directory.import_schools(
            s, path, by, lambda placed: require_in(viewer, Task.IMPORT_SCHOOLS, placed.id, placed.name)))


def import_indicators_file(viewer: Viewer, name: str, data: bytes, on: date | None = None) -> ImportedFigures:
    """Figures (urn, indicator, value, period) received ``on`` (today by default), checked
    against the triggers; concerns raised."""
    safe = _upload(name, data, N_("a CSV with the columns urn, indicator, value, period"))
    return _as(viewer, Task.OPEN_CASE, lambda s, by: import_indicators(s, safe, data, by, on or today(),
                                                                                 school_visible_to(viewer, Task.OPEN_CASE)))


def _own_or(viewer: Viewer, email: str, work: Callable[[Session, str], T]) -> T:
    """Run ``work`` for one's own password, token or calendar address, or for a senior
    officer on anyone's."""
    if email.strip().lower() != viewer.email:
        require(viewer, Task.MANAGE_ACCESS)
    with transaction() as session:
        if email.strip().lower() != viewer.email:
            _in_reach(session, viewer, email, Task.MANAGE_ACCESS)
        return work(session, viewer.email)


def set_password(viewer: Viewer, email: str, password: str) -> str:
    """A password for the web pages (a new one lifts a lock); the person's email."""
    return _own_or(viewer, email, lambda s, by: accounts.set_password(s, email, password, by).email)


def create_token(viewer: Viewer, email: str) -> tuple[int, str]:
    """A new API token acting for ``email``: its id and the token, shown this once."""
    return _own_or(viewer, email, lambda s, by: accounts.create_token(s, email, by))


def revoke_token(viewer: Viewer, token_id: int) -> None:
    """Stop a token working: one's own, or anyone's for a senior officer."""
    with transaction() as session:
        owner = accounts.token_owner(session, token_id)
        if owner != viewer.email:
            require(viewer, Task.MANAGE_ACCESS)
        accounts.revoke_token(session, token_id, viewer.email)


def subscribe(viewer: Viewer, email: str) -> str:
    """A new secret calendar address for ``email`` (one's own, or anyone's for a senior
    officer); any earlier one stops working. The token, shown this once."""
    return _own_or(viewer, email, lambda s, by: accounts.create_feed(s, email, by))


def set_alarm_days(viewer: Viewer, days: int) -> None:
    """How many days before each deadline one's own calendar reminds one (0: never)."""
    with transaction() as session:
        accounts.set_alarm_days(session, viewer.email, days, viewer.email)


def set_language(viewer: Viewer, email: str, language: str) -> PersonView:
    """The language of a person's pages and emails: one's own, or anyone's for a senior officer of theirs."""
    return _own_or(viewer, email, lambda s, by: _person(accounts.set_language(s, email, language.strip().lower(), by)))


def language_of(viewer: Viewer) -> str:
    """The language of one's own pages and emails."""
    with transaction() as session:
        return directory.person_by_email(session, viewer.email).language


def alarm_days(viewer: Viewer) -> int:
    with transaction() as session:
        return accounts.alarm_days(directory.person_by_email(session, viewer.email))


def has_feed(viewer: Viewer) -> bool:
    with transaction() as session:
        return accounts.has_feed(session, viewer.email)


def unsubscribe(viewer: Viewer, email: str) -> None:
    """Stop a person's calendar address from working."""
    _own_or(viewer, email, lambda s, by: accounts.revoke_feed(s, email, by))


def apply_term_dates(viewer: Viewer, calendar: str) -> list[DeadlineMove]:
    """Move the deadlines of one calendar's cases to its term dates as they are now."""
    with transaction() as session:
        return move_deadlines(session, calendar, viewer, today())


def migrate_playbook(viewer: Viewer, name: str, to: str, *, apply: bool = True) -> tuple[list[CaseMigration], list[int]]:
    """Where each open case of a playbook would go on its version ``to`` and, with
    ``apply``, move those that can: the plans and the ids moved."""
    require(viewer, Task.MIGRATE_PLAYBOOK)
    return migrate_open_cases(target_playbook(name, to), viewer, today(), apply=apply)

