"""What staff change outside a case: people, schools, access, term dates, playbook versions.

Each use case takes the person acting (``access.Viewer``), opens its own unit of work,
checks the task in the one table of ``models.services.access``, and returns what the entry
points show. The command line, the pages and the API call these alike, so a lead refused
on a page is refused at the terminal too.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from models.db.queries import anyone_on_record
from models.db.schools import Person
from models.db.session import transaction
from models.errors import FieldError, InvalidInput, NotFound, NotPermitted
from models.rules.roles import STAFF
from models.schemas import PersonView, SchoolView, TrackerRow
from models.services import accounts, directory, tracker, views
from models.services.access import SETUP, Task, Viewer, require
from models.services.concerns import ImportedFigures, import_indicators
from models.services.directory import ImportResult, SchoolDetails
from models.services.playbook_versions import CaseMigration, migrate_open_cases, target_playbook
from models.services.recount import DeadlineMove
from models.services.recount import apply_term_dates as move_deadlines
from models.settings.environment import today
from models.settings.sign_in import sign_in_settings
from models.vocab import Role

__all__ = [
    "MAX_UPLOAD", "add_person", "add_school", "alarm_days", "apply_term_dates", "assign_people", "change_role", "create_token",
    "has_feed", "import_indicators_file", "import_schools", "invited", "migrate_playbook", "record_school_contacts",
    "revoke_token", "send_password_link", "set_alarm_days", "set_password", "subscribe", "unsubscribe",
]

MAX_UPLOAD = 5_000_000  # a GIAS export of every school in England is about 4 MB

T = TypeVar("T")


def _as(viewer: Viewer, task: Task, work: Callable[[Session, str], T]) -> T:
    """Run ``work`` in one unit of work once the viewer may do ``task``; the setup actor only
    while nobody is on record (checked again in the same transaction)."""
    with transaction() as session:
        if viewer.email == SETUP.email and anyone_on_record(session):
            raise NotPermitted("people are on record now: name the person acting")
        require(viewer, task)
        return work(session, viewer.email)


def _person(person: object) -> PersonView:
    return PersonView.model_validate(person, from_attributes=True)


def add_person(viewer: Viewer, name: str, email: str, role: str, organisation: str | None = None,
               invite_from: str | None = None) -> PersonView:
    """A new person on record, added by a senior officer (or while setting up). With
    ``invite_from`` (the address of the pages) a member of staff is emailed a one-time link to
    choose their password, in the same unit of work: both happen or neither."""

    def add(session: Session, by: str) -> Person:
        person = directory.add_person(session, name, email, role, by, organisation or None)
        if invite_from and invited(person.role):
            accounts.send_password_link(session, person.email, "invite", by, invite_from)
        return person

    return _as(viewer, Task.MANAGE_PEOPLE, lambda s, by: _person(add(s, by)))


def invited(role: str) -> bool:
    """Whether someone of ``role`` added on the web is sent a link to choose a password: staff,
    where passwords are in use (with single sign-on alone there is none to choose)."""
    return Role(role) in STAFF and sign_in_settings().passwords


def send_password_link(viewer: Viewer, email: str, invite_from: str) -> PersonView:
    """A senior officer sends a member of staff a new one-time link to choose a password."""
    return _as(viewer, Task.MANAGE_ACCESS,
               lambda s, by: _person(accounts.send_password_link(s, email, "invite", by, invite_from)))


def change_role(viewer: Viewer, email: str, role: str) -> PersonView:
    """A person's new role, given by a senior officer."""
    return _as(viewer, Task.MANAGE_PEOPLE, lambda s, by: _person(_role_changed(s, email, role, by)))


def _role_changed(session: Session, email: str, role: str, actor: str) -> Person:
    """A new role starts afresh: every session, token and calendar address of the old one
    ends, so moving someone out of staff and back does not bring back what they held."""
    person = directory.change_role(session, email, role, actor)
    accounts.end_access(session, person, actor, "a change of role", feed=True)
    return person


def add_school(viewer: Viewer, details: SchoolDetails, places: dict[str, str | None]) -> SchoolView:
    """One school added by hand, with the people in its places (head, chair, clerk, IP)."""
    return _as(viewer, Task.IMPORT_SCHOOLS,
               lambda s, by: views.school_view(directory.add_school(s, details, by, **places)))


def assign_people(viewer: Viewer, urn: str, places: dict[str, str | None]) -> SchoolView:
    """Who leads, governs, clerks and supports a school."""
    return _as(viewer, Task.IMPORT_SCHOOLS,
               lambda s, by: views.school_view(directory.assign_people(s, urn, by, **places)))


def record_school_contacts(viewer: Viewer, urn: str, contacts: Mapping[str, tuple[str, str]], ip: str | None,
                           address: str | None = None) -> SchoolView:
    """A school's head, chair and clerk, each by name and email (a new person on record when the
    email is new), its IP and its postal address, in one unit of work: all are recorded or,
    refused, none."""

    def record(session: Session, by: str) -> SchoolView:
        school = directory.school_by_urn(session, urn)
        if address and address.strip() != (school.address or ""):
            try:
                directory.record_school_details(session, urn, by, {"address": address})
            except InvalidInput as refused:
                raise FieldError("address", str(refused)) from None
        places: dict[str, str | None] = {}
        for place, (name, email) in contacts.items():
            if not email.strip():
                if name.strip():
                    raise FieldError(f"{place}_email", f"give the {place}'s email address as well as the name")
                continue
            try:
                mailbox = directory.valid_email(email)
            except InvalidInput as refused:
                raise FieldError(f"{place}_email", str(refused)) from None
            try:
                directory.person_by_email(session, mailbox)
            except NotFound:
                if not name.strip():
                    raise FieldError(f"{place}_name", f"{mailbox} is not on record yet: give the {place}'s name too") from None
                directory.add_person(session, name, mailbox, place, by, school.name)
            try:
                directory.holder(session, place, mailbox)
            except InvalidInput as refused:
                raise FieldError(f"{place}_email", str(refused)) from None
            places[place] = mailbox
        if ip:
            places["ip"] = ip
        if not places:
            if address:
                return views.school_view(school)
            raise InvalidInput("give the address, at least one person's email, or choose an IP")
        return views.school_view(directory.assign_people(session, urn, by, **places))

    return _as(viewer, Task.IMPORT_SCHOOLS, record)


def record_school_details(viewer: Viewer, urn: str, changes: Mapping[str, str | None]) -> SchoolView:
    """What letters and counts need beyond the register: trust, diocesan authority, calendar."""
    return _as(viewer, Task.IMPORT_SCHOOLS,
               lambda s, by: views.school_view(directory.record_school_details(s, urn, by, changes)))


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
        raise InvalidInput(f"'{name or 'the file'}' is neither .csv nor .xlsx: save the tracker as one of them")
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"the file is larger than {MAX_UPLOAD // 1_000_000} MB: a tracker of live cases is far smaller")


def _upload(name: str, data: bytes, what: str) -> str:
    """The file's name made safe, once it is a CSV no larger than ``MAX_UPLOAD``."""
    if not name.lower().endswith(".csv"):
        raise InvalidInput(f"'{name or 'the file'}' is not a CSV file: upload {what}")
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"the file is larger than {MAX_UPLOAD // 1_000_000} MB: upload {what} of your own schools")
    return re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:100] or "upload.csv"


def import_schools(viewer: Viewer, name: str, data: bytes) -> ImportResult:
    """A GIAS export: new URNs added, known ones refreshed; one bad row refuses the file."""
    safe = _upload(name, data, "the .csv export from Get Information About Schools")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        return _as(viewer, Task.IMPORT_SCHOOLS, lambda s, by: directory.import_schools(s, path, by))


def import_indicators_file(viewer: Viewer, name: str, data: bytes, on: date | None = None) -> ImportedFigures:
    """Figures (urn, indicator, value, period) received ``on`` (today by default), checked
    against the triggers; concerns raised."""
    safe = _upload(name, data, "a CSV with the columns urn, indicator, value, period")
    return _as(viewer, Task.OPEN_CASE, lambda s, by: import_indicators(s, safe, data, by, on or today()))


def _own_or(viewer: Viewer, email: str, work: Callable[[Session, str], T]) -> T:
    """Run ``work`` for one's own password, token or calendar address, or for a senior
    officer on anyone's."""
    if email.strip().lower() != viewer.email:
        require(viewer, Task.MANAGE_ACCESS)
    with transaction() as session:
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

