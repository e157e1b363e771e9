"""The authorities of an installation: adding one, finding one, and placing schools and
people in them.

An installation that has never been told of an authority holds the one settings.toml names
(``home_authority``), made the first time a school or a person is recorded: a single-LA
installation needs no step of its own. A consortium adds each of its authorities
(``scc authority add`` or the Authorities page), each with the GIAS LA code that places its
schools on import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.adapters.docx.letterhead import letterhead
from models.db import audit
from models.db.authorities import Authority, PersonRole
from models.db.schools import Person
from models.errors import CaseworkError, FieldError, InvalidInput
from models.messages import N_
from models.rules.text import checked_text, valid_email
from models.settings.environment import config_file, load_settings
from models.settings.files import calendar_named, default_calendar, default_playbook, playbook_named, stored_name
from models.vocab import Language, Role

__all__ = ["SETTINGS", "add_authority", "authority_by_code", "change_authority", "authority_for_la_code", "grant_role", "home_authority",
           "name_in",
           "la_code_placer"]

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_LA_CODE = re.compile(r"[0-9]{3}")  # GIAS's "LA (code)": three digits, e.g. 681 for Cardiff


def _code_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "authority"


def name_in(authority: Authority, language: str) -> str:
    """The authority as an email in ``language`` signs it: in Welsh its letterhead's Welsh name
    (as in English where the letterhead gives none), else its name."""
    return letterhead(authority.letterhead).in_language(language).authority if language == Language.WELSH else authority.name


def home_authority(session: Session) -> Authority:
    """The installation's one authority: made from settings.toml (its name, LA code, default
    playbook and calendar, the config folder's letterhead) when none is on record yet. Refused when
    there are several: the caller must say which."""
    found = session.execute(select(Authority).order_by(Authority.id).limit(2)).scalars().all()
    if len(found) == 1:
        return found[0]
    if found:
        raise FieldError("authority", N_("this installation serves several authorities: choose the authority"))
    settings = load_settings().get("authority", {})
    name = str(settings.get("name", "Local Authority"))
    made = Authority(code=_code_of(name), name=name, la_code=str(settings.get("la_code") or "") or None, playbook=default_playbook(),
                     calendar=default_calendar(), letterhead="letterhead.toml")
    session.add(made)
    session.flush()
    return made


def authority_by_code(session: Session, code: str) -> Authority:
    found = session.execute(select(Authority).where(Authority.code == code.strip().lower())).scalar_one_or_none()
    if found is None:
        known = ", ".join(session.execute(select(Authority.code).order_by(Authority.code)).scalars()) or "none yet"
        raise FieldError("authority", N_("no authority '%(code)s': choose one of %(known)s"), code=code.strip(), known=known)
    return found


def la_code_placer(session: Session) -> Callable[[str | None, str], Authority]:
    """What places a school by its GIAS LA code, the authorities read once (a GIAS file holds
    thousands of schools). An installation of one authority takes every school, as it always
    has; with several, a school of no authority here is refused with its line (``where``)."""
    authorities = session.execute(select(Authority).order_by(Authority.id)).scalars().all()
    only = (authorities[0] if authorities else home_authority(session)) if len(authorities) <= 1 else None
    by_code = {a.la_code: a for a in authorities if a.la_code}

    def place(la_code: str | None, where: str = "") -> Authority:
        if only is not None:
            return only
        code = (la_code or "").strip()
        if code not in by_code:
            served = ", ".join(f"{a.la_code} ({a.name})" for a in authorities if a.la_code) or "none"
            if code:
                raise InvalidInput(N_("%(where)sthe school has LA code %(code)s, which is no authority's here (LA codes served: "
                                      "%(served)s): remove the row, or add its authority first"), where=where, code=code, served=served)
            raise InvalidInput(N_("%(where)sthe school has no LA code, which is no authority's here (LA codes served: %(served)s): "
                                  "remove the row, or add its authority first"), where=where, served=served)
        return by_code[code]

    return place


def authority_for_la_code(session: Session, la_code: str | None, where: str = "") -> Authority:
    """The authority whose schools carry this GIAS LA code (``la_code_placer``)."""
    return la_code_placer(session)(la_code, where)


# What an authority's settings are, and how each is said beside its field.
SETTINGS = ("name", "la_code", "playbook", "calendar", "letterhead", "sender")


def _checked(session: Session, given: Mapping[str, str | None], current: Authority | None) -> dict[str, str | None]:
    """Each setting given, checked and normalised (a blank one takes the installation's
    default, an LA code or sender none); refused beside its field."""
    unknown = sorted(set(given) - set(SETTINGS))
    if unknown:
        raise InvalidInput(N_("cannot set %(unknown)s of an authority: give %(known)s"), unknown=", ".join(unknown), known=", ".join(SETTINGS))
    found: dict[str, str | None] = {}
    if "name" in given:
        name = checked_text(given["name"] or "", "the name").strip()
        if not name:
            raise FieldError("name", N_("the name is empty: give the authority's name, like Cardiff Council"))
        found["name"] = name
    if "la_code" in given:
        la = (given["la_code"] or "").strip() or None
        if la is not None and not _LA_CODE.fullmatch(la):
            raise FieldError("la_code", N_("'%(code)s' is not an LA code: give the three digits of the LA (code) column of GIAS"), code=la)
        taken = session.execute(select(Authority).where(Authority.la_code == la)).scalar() if la else None
        if taken is not None and taken is not current:
            raise FieldError("la_code", N_("LA code %(code)s is already that of %(authority)s: check the code"), code=la, authority=taken.name)
        others = session.execute(select(func.count()).select_from(Authority).where(Authority.id != (current.id if current else -1)))
        if la is None and others.scalar_one():
            raise FieldError("la_code", N_("give the authority's LA code: with more than one authority, it places each imported school"))
        found["la_code"] = la
    if "playbook" in given:
        try:
            found["playbook"] = playbook_named((given["playbook"] or "").strip() or default_playbook()).name
        except CaseworkError as refused:
            raise FieldError("playbook", refused.message, **refused.parameters) from None
    if "calendar" in given:
        try:
            found["calendar"] = stored_name((given["calendar"] or "").strip() or default_calendar(), "calendars")
            calendar_named(found["calendar"] or "")
        except CaseworkError as refused:
            raise FieldError("calendar", refused.message, **refused.parameters) from None
    if "letterhead" in given:
        head = (given["letterhead"] or "").strip() or "letterhead.toml"
        if not head.endswith(".toml") or ".." in head or head.startswith("/") or not config_file(head).exists():
            raise FieldError("letterhead", N_("no letterhead '%(name)s' in the config folder: give the name of a .toml file there, like "
                                "letterheads/cardiff.toml"), name=head)
        try:
            letterhead(head)
        except CaseworkError as refused:
            raise FieldError("letterhead", refused.message, **refused.parameters) from None
        found["letterhead"] = head
    if "sender" in given:
        try:
            found["sender"] = valid_email(given["sender"] or "") if (given["sender"] or "").strip() else None
        except InvalidInput as refused:
            raise FieldError("sender", str(refused)) from None
    return found


def add_authority(session: Session, actor: str, code: str, settings: Mapping[str, str | None]) -> Authority:
    """A new authority of the installation, each of its settings checked before it is written."""
    code = code.strip().lower()
    if not _CODE.fullmatch(code):
        raise FieldError("code", N_("'%(code)s' is not a short name: use lower-case letters, digits and hyphens, like cardiff"), code=code)
    if session.execute(select(Authority.id).where(Authority.code == code)).first():
        raise FieldError("code", N_("an authority '%(code)s' already exists: choose another short name"), code=code)
    found = _checked(session, {key: settings.get(key) for key in SETTINGS}, None)
    made = Authority(code=code, **found)
    session.add(made)
    session.flush()
    audit.record(session, actor, "authority_added", after={"code": code, **found})
    return made


def change_authority(session: Session, actor: str, code: str, changes: Mapping[str, str | None]) -> Authority:
    """Some of an authority's settings changed (its LA code once it joins a consortium, a new
    letterhead); its cases keep the playbook and term dates they were opened on."""
    authority = authority_by_code(session, code)
    found = _checked(session, changes, authority)
    if not found:
        raise InvalidInput(N_("nothing to change: give any of %(known)s"), known=", ".join(SETTINGS))
    before = {key: getattr(authority, key) for key in found}
    for key, value in found.items():
        setattr(authority, key, value)
    session.flush()
    audit.record(session, actor, "authority_changed", before={"code": authority.code, **before}, after={"code": authority.code, **found})
    return authority


def grant_role(session: Session, person: Person, authorities: Iterable[Authority], role: Role, actor: str,
               audited: bool = True) -> None:
    """The person holds ``role`` in each authority (replacing any role they held there);
    ``audited=False`` where the caller's own event says so (adding the person, their new role)."""
    for authority in authorities:
        held = session.get(PersonRole, (person.id, authority.id))
        before = held.role if held else None
        if held is None:
            session.add(PersonRole(person_id=person.id, authority_id=authority.id, role=role))
        elif held.role != role:
            held.role = role
        else:
            continue
        session.flush()
        if audited:
            audit.record(session, actor, "person_role_granted", before={"email": person.email, "authority": authority.code, "role": before},
                         after={"email": person.email, "authority": authority.code, "role": role})
