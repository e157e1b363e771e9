"""The directory: schools (typed in, or imported from Get Information About Schools) and
the people the product acts for or writes to."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models.db import audit
from models.db.authorities import Authority, PersonRole
from models.db.cases import Case
from models.db.queries import case_has_duties
from models.db.schools import Person, School
from models.errors import InvalidInput, NotFound
from models.messages import N_, Either, Words
from models.rules.roles import IP_PLACE, LEAD_PLACE
from models.rules.text import checked_text, valid_email
from models.services.authorities import authority_for_la_code, grant_role, home_authority, la_code_placer
from models.settings.files import calendar_named, stored_name
from models.vocab import Language, Role, SchoolType

__all__ = [
    "GIAS_TYPES",
    "ImportResult",
    "SchoolDetails",
    "add_person",
    "assign_people",
    "decoded_csv",
    "email_is",
    "add_school",
    "import_schools",
    "person_by_email",
    "record_school_details",
    "school_by_urn",
]

# "TypeOfEstablishment (name)" values of Get Information About Schools, mapped to our types.
GIAS_TYPES: Mapping[str, SchoolType] = {
    "community school": SchoolType.COMMUNITY,
    "foundation school": SchoolType.FOUNDATION,
    "voluntary aided school": SchoolType.VOLUNTARY_AIDED,
    "voluntary controlled school": SchoolType.VOLUNTARY_CONTROLLED,
    "foundation special school": SchoolType.FOUNDATION_SPECIAL,
    "community special school": SchoolType.COMMUNITY_SPECIAL,
    "local authority nursery school": SchoolType.MAINTAINED_NURSERY,
    "pupil referral unit": SchoolType.PRU,
    "academy converter": SchoolType.ACADEMY,
    "academy sponsor led": SchoolType.ACADEMY,
    "academy special converter": SchoolType.ACADEMY,
    "academy special sponsor led": SchoolType.ACADEMY,
    "academy alternative provision converter": SchoolType.ACADEMY,
    "academy alternative provision sponsor led": SchoolType.ACADEMY,
    "academy 16-19 converter": SchoolType.ACADEMY,
    "academy 16 to 19 sponsor led": SchoolType.ACADEMY,
    "free schools": SchoolType.FREE_SCHOOL,
    "free schools special": SchoolType.FREE_SCHOOL,
    "free schools alternative provision": SchoolType.FREE_SCHOOL,
    "free schools 16 to 19": SchoolType.FREE_SCHOOL,
    "studio schools": SchoolType.FREE_SCHOOL,
    "university technical college": SchoolType.FREE_SCHOOL,
}

_URN = re.compile(r"[0-9]{5,8}")  # ASCII digits only: \d would take other scripts' digits
_NO_VALUE = {"", "does not apply", "none", "not applicable", "null"}


@dataclass(frozen=True)
class SchoolDetails:
    urn: str
    name: str
    type: SchoolType
    phase: str
    la: str
    la_code: str | None = None  # GIAS "LA (code)": places the school in its authority of the installation
    diocese: str | None = None
    religious_character: str | None = None
    foundation_appointer: str | None = None
    address: str | None = None
    head_name: str | None = None
    trust: str | None = None
    trust_address: str | None = None
    diocesan_authority: str | None = None
    calendar: str | None = None
    language: str = Language.ENGLISH  # of its letters: en, cy or bilingual


# How a register's language column says a school's language: ours, or the words of the
# Welsh schools' lists (medium of instruction).
LANGUAGE_WORDS = {
    "en": Language.ENGLISH, "english": Language.ENGLISH, "english medium": Language.ENGLISH,
    "cy": Language.WELSH, "welsh": Language.WELSH, "cymraeg": Language.WELSH, "welsh medium": Language.WELSH,
    "bilingual": Language.BILINGUAL, "dwyieithog": Language.BILINGUAL, "dual stream": Language.BILINGUAL,
    "english with significant welsh": Language.BILINGUAL, "transitional": Language.BILINGUAL,
}


def parse_language(value: str | None) -> Language:
    """A school's language from ours (en, cy, bilingual) or a register's words; blank is English."""
    text = (value or "").strip().lower()
    if not text:
        return Language.ENGLISH
    if text not in LANGUAGE_WORDS:
        raise InvalidInput(N_("unknown language '%(value)s': use en (English), cy (Welsh) or bilingual (Welsh first, then English)"),
                           value=value)
    return LANGUAGE_WORDS[text]


def parse_school_type(value: str) -> SchoolType:
    """Our own names (``voluntary_aided``) and GIAS names (``Voluntary aided school``) both work."""
    text = value.strip().lower()
    try:
        return SchoolType(text.replace(" ", "_").replace("/", "_"))
    except ValueError:
        pass
    if text in GIAS_TYPES:
        return GIAS_TYPES[text]
    raise InvalidInput(N_("unknown school type '%(value)s': use one of %(types)s or a Get Information About Schools type such as "
                          "'Community school'"), value=value, types=", ".join(t.value for t in SchoolType))


def school_by_urn(session: Session, urn: str) -> School:
    school = session.execute(select(School).where(School.urn == urn.strip())).scalar_one_or_none()
    if school is None:
        raise NotFound(N_("no school with URN %(urn)s: add or import it first"), urn=urn)
    return school


def email_is(email: str) -> ColumnElement[bool]:
    """The person of this email as someone typed it (emails are kept trimmed and lower-case)."""
    return Person.email == email.strip().lower()


def person_by_email(session: Session, email: str) -> Person:
    person = session.execute(select(Person).where(email_is(email))).scalar_one_or_none()
    if person is None:
        raise NotFound(N_("no person with email %(email)s: add them first"), email=email)
    return person


def _validate(details: SchoolDetails, where: str = "") -> None:
    if not _URN.fullmatch(details.urn):
        raise InvalidInput(N_("%(where)sURN '%(urn)s' is not a 5–8 digit number: give the school's URN from GIAS"), where=where,
                           urn=details.urn)
    if not details.name.strip():
        raise InvalidInput(N_("%(where)sthe school name is empty: give the school's name"), where=where)
    for label, value in (("the school name", details.name), ("the diocese", details.diocese),
                         ("the religious character", details.religious_character),
                         ("the foundation-governor appointer", details.foundation_appointer), ("the trust", details.trust),
                         ("the diocesan authority", details.diocesan_authority),
                         ("the head's name", details.head_name), ("the LA", details.la), ("the phase", details.phase)):
        if value:
            checked_text(value, f"{where}{label}")
    for label, value in (("the address", details.address), ("the trust's address", details.trust_address)):
        if value:
            checked_text(value, f"{where}{label}", limit=500)


# Who may hold each place on a case or a school: a head teacher cannot lead the case about
# their own school, nor an LA officer be recorded as its head.
HOLDERS: Mapping[str, frozenset[Role]] = {
    "lead": LEAD_PLACE,
    "ip": IP_PLACE,
    "head": frozenset({Role.HEAD}),
    "chair": frozenset({Role.CHAIR}),
    "clerk": frozenset({Role.CLERK}),
}


def holder(session: Session, place: str, email: str | None, authority: Authority | None = None) -> Person | None:
    """The person named for a place, refused unless their role fits it: for a school's or a
    case's place, their role in its authority (an IP of one authority is not another's)."""
    if not email:
        return None
    person = person_by_email(session, email)
    allowed = HOLDERS[place]
    role = person.role if authority is None else session.execute(
        select(PersonRole.role).where(PersonRole.person_id == person.id, PersonRole.authority_id == authority.id)).scalar()
    if role is None:
        raise InvalidInput(N_("%(email)s holds no role in %(authority)s: the %(place)s must be a %(roles)s there"), email=person.email,
                           authority=authority.name if authority else Words(N_("this authority")), place=Words(place),
                           roles=Either(sorted(allowed)))
    if Role(role) not in allowed:
        raise InvalidInput(N_("%(email)s is a %(role)s: the %(place)s must be a %(roles)s"), email=person.email, role=Words(role),
                           place=Words(place), roles=Either(sorted(allowed)))
    return person


def add_school(
    session: Session,
    details: SchoolDetails,
    actor: str,
    *,
    head: str | None = None,
    chair: str | None = None,
    clerk: str | None = None,
    ip: str | None = None,
    authority: Authority | None = None,
) -> School:
    """Add a school; its URN must be new. People are given by email and must exist. The school
    is ``authority``'s, else the authority of its LA code."""
    _validate(details)
    details = _with_calendar(details)
    if session.execute(select(School.id).where(School.urn == details.urn)).first():
        raise InvalidInput(N_("a school with URN %(urn)s already exists"), urn=details.urn)
    placed = authority or authority_for_la_code(session, details.la_code)
    school = School(**{k: v for k, v in vars(details).items() if k != "la_code"}, authority=placed)
    for attribute, email in (("head", head), ("chair", chair), ("clerk", clerk), ("ip", ip)):
        if email:
            setattr(school, attribute, holder(session, attribute, email, placed))
    session.add(school)
    session.flush()
    audit.record(session, actor, "school_added", after={"urn": school.urn, "name": school.name, "type": school.type})
    return school


def _with_calendar(details: SchoolDetails) -> SchoolDetails:
    """A school's own calendar, refused now if it is missing or malformed (not at its first deadline)."""
    if not details.calendar:
        return details
    name = stored_name(details.calendar, "calendars")
    calendar_named(name)
    return SchoolDetails(**{**vars(details), "calendar": name})


# What ``record_school_details`` may change: what letters and counts need beyond the register.
RECORDED_DETAILS = ("address", "trust", "trust_address", "diocesan_authority", "foundation_appointer", "calendar", "language")


def record_school_details(session: Session, urn: str, actor: str, changes: Mapping[str, str | None]) -> School:
    """Record what the register does not hold: an academy's trust and its address, the
    diocesan authority's proper name, who appoints the foundation governors, the school's own
    term dates. A blank value clears the entry; the audit log keeps what it was. A new
    calendar applies to cases opened afterwards (an open case keeps the calendar its
    deadlines were counted on; ``scc calendar apply`` moves those)."""
    unknown = sorted(set(changes) - set(RECORDED_DETAILS))
    if unknown:
        raise InvalidInput(N_("cannot record %(unknown)s here: give %(known)s"), unknown=", ".join(unknown), known=", ".join(RECORDED_DETAILS))
    school = school_by_urn(session, urn)
    cleaned: dict[str, str | None] = {k: (v or "").strip() or None for k, v in changes.items()}
    if "language" in cleaned:
        cleaned["language"] = parse_language(cleaned["language"])
    details = SchoolDetails(urn=school.urn, name=school.name, type=school.school_type, phase=school.phase, la=school.la,
                            **cleaned)  # type: ignore[arg-type]  # language is parsed above
    _validate(details)
    details = _with_calendar(details)
    before = {k: getattr(school, k) for k in cleaned}
    for key in cleaned:
        setattr(school, key, getattr(details, key))
    session.flush()
    audit.record(session, actor, "school_details_recorded", before={"urn": school.urn, **before},
                 after={"urn": school.urn, **{k: getattr(school, k) for k in cleaned}})
    return school


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInput(N_("unknown role '%(value)s': use one of %(roles)s"), value=text, roles=", ".join(r.value for r in Role)) from None


def change_role(session: Session, email: str, role: str, actor: str) -> Person:
    """Give a person another role, refused while they hold a place the new role cannot: the
    lead or IP of an open case, or a school's head, chair, clerk or IP (name someone else
    there first). A person who is no longer staff can no longer sign in or use a token."""
    person = person_by_email(session, email)
    new = parse_role(role)
    held = []
    for place, column in (("lead", Case.lead_id), ("ip", Case.ip_id)):
        if new not in HOLDERS[place]:
            cases = session.execute(select(Case.id).where(column == person.id, case_has_duties()).order_by(Case.id)).scalars().all()
            held += [f"the {place} of case {c}" for c in cases]
    for place, column in (("head", School.head_id), ("chair", School.chair_id), ("clerk", School.clerk_id), ("ip", School.ip_id)):
        if new not in HOLDERS[place]:
            urns = session.execute(select(School.urn).where(column == person.id).order_by(School.urn)).scalars().all()
            held += [f"the {place} of school {u}" for u in urns]
    if held:
        raise InvalidInput(N_("%(email)s is %(held)s, which a %(role)s cannot be: name someone else there first"), email=person.email,
                           held=", ".join(held[:5]) + (" and more" if len(held) > 5 else ""), role=new.value)
    if person.role == Role.SENIOR and new != Role.SENIOR and _seniors(session) == 1:
        raise InvalidInput(N_("%(email)s is the only senior officer, who alone can add people and change roles: make someone else a "
                              "senior officer first"), email=person.email)
    before = person.role
    person.role = new
    session.flush()
    audit.record(session, actor, "person_role_changed", before={"email": person.email, "role": before},
                 after={"email": person.email, "role": new})
    held_in = session.execute(select(Authority).join(PersonRole, PersonRole.authority_id == Authority.id)
                              .where(PersonRole.person_id == person.id)).scalars().all()
    grant_role(session, person, held_in, new, actor, audited=False)  # the same role in each of their authorities
    return person


def _seniors(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Person).where(Person.role == Role.SENIOR)).scalar_one()


def add_person(session: Session, name: str, email: str, role: str, actor: str, organisation: str | None = None,
               authorities: Sequence[Authority] = ()) -> Person:
    """A new person on record, holding ``role`` in each of ``authorities`` (the installation's
    one authority when none is given)."""
    address = valid_email(email)
    name = checked_text(name, "the name")
    if not name:
        raise InvalidInput(N_("the name is empty: give the person's name"))
    if organisation:
        organisation = checked_text(organisation, "the organisation")
    parsed_role = parse_role(role)
    if session.execute(select(Person.id).where(Person.email == address)).first():
        raise InvalidInput(N_("a person with email %(email)s already exists"), email=address)
    places = list(authorities) or [home_authority(session)]
    person = Person(name=name, email=address, role=parsed_role, organisation=organisation)
    session.add(person)
    session.flush()
    audit.record(session, actor, "person_added", after={"email": address, "name": person.name, "role": parsed_role,
                                                        "authorities": [a.code for a in places]})
    grant_role(session, person, places, parsed_role, actor, audited=False)
    return person


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


_GIAS_COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "type": "TypeOfEstablishment (name)",
    "phase": "PhaseOfEducation (name)",
    "la": "LA (name)",
}
_GIAS_OPTIONAL = {"diocese": "Diocese (name)", "religious_character": "ReligiousCharacter (name)", "trust": "Trusts (name)",
                  "language": "Language"}  # Language: a Welsh register's medium, where the file has it
# What a GIAS file says of a school; an import refreshes these and keeps what was recorded by
# hand (the trust's address, the diocesan authority's proper name, the school's own calendar).
# An optional column the file lacks is kept too, not cleared.
_GIAS_FIELDS = ("urn", "name", "type", "phase", "la", "address", "head_name")


def _optional(row: Mapping[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return None if value.lower() in _NO_VALUE else value


def _head_name(row: Mapping[str, str]) -> str | None:
    """"Mrs Jane Smith" from GIAS's HeadTitle (name), HeadFirstName and HeadLastName."""
    parts = [_optional(row, c) for c in ("HeadTitle (name)", "HeadFirstName", "HeadLastName")]
    return " ".join(p for p in parts if p) if parts[2] else None


def _address(row: Mapping[str, str]) -> str | None:
    parts = [_optional(row, c) for c in ("Street", "Locality", "Address3", "Town", "County (name)", "Postcode")]
    return ", ".join(p for p in parts if p) or None


def decoded_csv(path: Path | str, data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252 as GIAS
    exports it. Anything else is refused rather than read with characters replaced."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InvalidInput(N_("%(file)s: the file is neither UTF-8 nor Windows-1252 text: save it from the spreadsheet as CSV (UTF-8)"),
                       file=Path(path).name)


def read_gias_csv(path: Path) -> tuple[list[SchoolDetails], tuple[str, ...]]:
    """Every row checked before anything is written: one bad row refuses the whole file.
    With the rows, the fields of ``SchoolDetails`` the file holds columns for."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotFound(N_("cannot read %(file)s: %(problem)s"), file=path.name, problem=exc.strerror) from None
    reader = csv.DictReader(io.StringIO(decoded_csv(path, data), newline=""))
    missing = [c for c in _GIAS_COLUMNS.values() if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(N_("%(file)s: missing column(s) %(missing)s: export the file from Get Information About Schools"), file=path.name,
                           missing=", ".join(missing))
    try:
        rows = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]  # a short row reads as blanks
    except csv.Error as exc:
        raise InvalidInput(N_("%(file)s:%(line)s: %(problem)s: export the file from Get Information About Schools"), file=path.name,
                           line=reader.line_num, problem=exc) from None
    schools: list[SchoolDetails] = []
    for number, row in enumerate(rows, start=2):
        where = f"{path.name}:{number}: "
        try:
            details = SchoolDetails(
                urn=row[_GIAS_COLUMNS["urn"]].strip(),
                name=row[_GIAS_COLUMNS["name"]].strip(),
                type=parse_school_type(row[_GIAS_COLUMNS["type"]]),
                phase=row[_GIAS_COLUMNS["phase"]].strip() or "Not applicable",
                la=row[_GIAS_COLUMNS["la"]].strip(),
                la_code=_optional(row, "LA (code)"),
                diocese=_optional(row, _GIAS_OPTIONAL["diocese"]),
                religious_character=_optional(row, _GIAS_OPTIONAL["religious_character"]),
                trust=_optional(row, _GIAS_OPTIONAL["trust"]),
                language=parse_language(_optional(row, _GIAS_OPTIONAL["language"])),
                address=_address(row),
                head_name=_head_name(row),
            )
        except InvalidInput as exc:
            raise InvalidInput(N_("%(where)s%(problem)s"), where=where, problem=exc) from None
        _validate(details, where)
        schools.append(details)
    held = _GIAS_FIELDS + tuple(f for f, column in _GIAS_OPTIONAL.items() if column in (reader.fieldnames or []))
    return schools, held


def import_schools(session: Session, path: Path, actor: str, allowed: Callable[[Authority], None] | None = None) -> ImportResult:
    """Add new URNs and refresh the GIAS fields of known ones (people assigned are kept). Each
    school is placed in its authority by its LA code (``la_code_placer``); ``allowed``
    refuses an authority the person importing may not add schools to. Any refusal names the
    file's line and nothing is written."""
    rows, held = read_gias_csv(path)
    urns = [r.urn for r in rows]
    duplicates = sorted(u for u, n in Counter(urns).items() if n > 1)
    if duplicates:
        raise InvalidInput(N_("%(file)s: URN(s) %(urns)s appear more than once: remove the duplicates"), file=path.name,
                           urns=", ".join(duplicates))
    known = {s.urn: s for s in session.execute(select(School).where(School.urn.in_(urns))).scalars()}
    place = la_code_placer(session)
    added = updated = 0
    events = []  # one per school the file added or changed, with what it was and what it became
    for line, details in enumerate(rows, start=2):
        school = known.get(details.urn)
        given = {k: getattr(details, k) for k in held}
        placed = place(details.la_code, f"{path.name}:{line}: ")
        if allowed is not None:
            allowed(placed)
        if school is not None and school.authority_id != placed.id:
            raise InvalidInput(N_("%(file)s:%(line)s: school %(urn)s belongs to %(authority)s, but its LA code places it in %(placed)s: "
                                  "check the row"), file=path.name, line=line, urn=school.urn, authority=school.authority.name,
                               placed=placed.name)
        if school is None:
            session.add(School(**given, authority=placed))
            added += 1
            events.append(audit.Entry(actor, "school_imported", after={"file": path.name, **{k: v for k, v in given.items() if v is not None}}))
            continue
        before = {k: getattr(school, k) for k in given}
        changed = {k for k, v in given.items() if before[k] != v}
        for key in changed:
            setattr(school, key, getattr(details, key))
        updated += 1
        if changed:
            events.append(audit.Entry(actor, "school_imported", before={"urn": school.urn, **{k: before[k] for k in changed}},
                                      after={"file": path.name, "urn": school.urn, **{k: getattr(details, k) for k in changed}}))
    session.flush()
    audit.record_many(session, events)
    return ImportResult(added=added, updated=updated)


def assign_people(
    session: Session,
    urn: str,
    actor: str,
    *,
    head: str | None = None,
    chair: str | None = None,
    clerk: str | None = None,
    ip: str | None = None,
) -> School:
    """Set who leads, governs, clerks and supports a school; letters go to them from now on."""
    school = school_by_urn(session, urn)
    changes = {k: v for k, v in (("head", head), ("chair", chair), ("clerk", clerk), ("ip", ip)) if v}
    if not changes:
        raise InvalidInput(N_("name at least one of the head, chair, clerk or IP"))
    before = {k: getattr(school, k).email if getattr(school, k) else None for k in changes}
    for attribute, email in changes.items():
        setattr(school, attribute, holder(session, attribute, email, school.authority))
    session.flush()
    audit.record(session, actor, "school_people_assigned", before=before, after={"urn": school.urn, **changes})
    return school
