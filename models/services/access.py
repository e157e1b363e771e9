"""Who may see which case and do what: the one home of permission, for the pages, the API,
the command line and the flows alike.

A person holds a role in each authority they work for (``person_role``). In an authority
where they are a lead, a senior officer or a principal IP they see every case; where they are
an improvement partner, only the cases where they are the IP; in any other authority, nothing
at all: its cases, schools and people are not there for them. A case someone may not see does not exist for them:
it is reported as not found, so its number does not reveal that it exists. What each role
may do to a case is the playbook's ``roles`` of each action (checked when the action is
decided); everything else anyone may do is a ``Task`` of the one table below.

Everyone acting is a ``Viewer``: the person signed in, the person an API token acts for, or
the person at the terminal (``acting``). While nobody at all is on record, the terminal acts
as ``SETUP`` to add the first people and schools.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from models.db.authorities import Authority, PersonRole
from models.db.cases import Case
from models.db.queries import anyone_on_record
from models.db.schools import Person, School
from models.db.session import transaction
from models.errors import NotFound, NotPermitted
from models.messages import N_, Words
from models.rules.roles import EVERY_CASE, a_role, roles_in_words
from models.services.accounts import person_for_session, person_for_token
from models.services.cases import acting_person, get_case
from models.services.directory import school_by_urn
from models.vocab import Role

__all__ = [
    "SETUP", "Task", "Viewer", "acting", "authority_visible_to", "case_scope", "case_visible_to", "require", "require_in", "school_for_task",
    "school_visible_to", "session_viewer", "terminal_viewer", "token_viewer", "visible_case", "visible_school",
]


class Task(Enum):
    """What someone may do beyond a case's own actions, and which roles may do it."""

    OPEN_CASE = (N_("open a case"), EVERY_CASE)
    IMPORT_SCHOOLS = (N_("add or import schools"), EVERY_CASE)
    MANAGE_PEOPLE = (N_("add people or change their roles"), frozenset({Role.SENIOR}))
    SEE_DASHBOARD = (N_("see the dashboard"), EVERY_CASE)
    APPLY_TERM_DATES = (N_("move deadlines to changed term dates"), frozenset({Role.SENIOR}))
    MIGRATE_PLAYBOOK = (N_("move running cases to a new playbook version"), frozenset({Role.SENIOR}))
    MAKE_REPORTS = (N_("make letters for many cases or the termly report"), EVERY_CASE)
    RUN_RECURRING = (N_("run the recurring flows or load the demo"), EVERY_CASE)
    MANAGE_ACCESS = (N_("set passwords or API tokens for others"), frozenset({Role.SENIOR}))
    UNDO_ACTION = (N_("undo a case's latest action taken in error"), frozenset({Role.SENIOR}))
    PLAN_CASE = (N_("plan a case's half-term"), EVERY_CASE)
    SEE_SYSTEM = (N_("see the health of the installation"), frozenset({Role.SENIOR}))
    MANAGE_AUTHORITIES = (N_("add an authority to the installation"), frozenset({Role.SENIOR}))

    def __init__(self, words: str, roles: frozenset[Role]) -> None:
        self.words, self.roles = words, roles


@dataclass(frozen=True)
class Viewer:
    """The person acting: signed in, behind an API token, or at the terminal.

    ``role`` is the person's role as recorded (what the pages call them); ``roles`` the role
    they hold in each authority (authority id, role), which decides what they see and may do
    there. ``everywhere``: they hold a role in every authority of the installation."""

    person_id: int
    email: str
    name: str
    role: Role
    roles: tuple[tuple[int, Role], ...] = ()
    everywhere: bool = False
    letterhead: str = "letterhead.toml"  # their authority's, when they work for one; else the installation's
    language: str = "en"  # of their pages and emails, as recorded

    @classmethod
    def of(cls, session: Session, person: Person) -> Viewer:
        # One query a request: the roles held, each row with the number of authorities there are
        # (a person holds one role an authority, so holding as many as there are is holding all).
        there_are = select(func.count()).select_from(Authority).scalar_subquery()
        held = session.execute(select(PersonRole.authority_id, PersonRole.role, Authority.letterhead, there_are)
                               .join(Authority, Authority.id == PersonRole.authority_id)
                               .where(PersonRole.person_id == person.id).order_by(PersonRole.authority_id)).all()
        return cls(person.id, person.email, person.name, Role(person.role), tuple((a, Role(r)) for a, r, _, _ in held),
                   everywhere=bool(held) and len(held) == held[0][3],
                   letterhead=held[0].letterhead if len(held) == 1 else "letterhead.toml", language=person.language)

    @property
    def authorities(self) -> frozenset[int]:
        """The authorities in which the person holds a role."""
        return frozenset(a for a, _ in self.roles)

    def role_in(self, authority_id: int) -> Role | None:
        """The role held in that authority; None where they hold none."""
        return next((r for a, r in self.roles if a == authority_id), None)

    def within(self, authority_id: int) -> Viewer:
        """The viewer with the role they hold in one authority: what decides the actions and
        letters of that authority's cases they may take."""
        held = self.role_in(authority_id)
        return self if held is None or held == self.role else replace(self, role=held)

    def authorities_for(self, task: Task) -> frozenset[int]:
        """The authorities in which the person's role allows the task."""
        return frozenset(a for a, r in self.roles if r in task.roles)

    @property
    def sees_every_case(self) -> bool:
        """Every case of every authority: a lead, senior officer or principal IP in all of them."""
        return self.everywhere and all(r in EVERY_CASE for _, r in self.roles)

    def may(self, task: Task) -> bool:
        """Whether the pages should offer the task (``require`` refuses it): somewhere the
        person's role allows it."""
        return bool(self.authorities_for(task))


# Setting up: nobody is on record yet, so nobody can be named. Recorded as "setup" in the audit
# log; may do what a senior officer may (add the first people, import the schools).
SETUP = Viewer(person_id=0, email="setup", name="setting up", role=Role.SENIOR, everywhere=True)


def require(viewer: Viewer, task: Task) -> None:
    """Refuse, in one line, a task the viewer's roles allow in no authority."""
    if viewer is not SETUP and not viewer.may(task):
        raise NotPermitted(N_("%(who)s cannot %(task)s: ask a %(roles)s"), who=a_role(viewer.role), task=Words(task.words),
                           roles=roles_in_words(task.roles))


def require_in(viewer: Viewer, task: Task, authority_id: int, authority_name: str = "that authority") -> None:
    """Refuse a task in one authority unless the viewer's role there allows it."""
    if viewer is SETUP or authority_id in viewer.authorities_for(task):
        return
    held = viewer.role_in(authority_id)
    if held:
        raise NotPermitted(N_("%(who)s in %(authority)s cannot %(task)s there: ask a %(roles)s of %(authority)s"), who=a_role(held),
                           authority=authority_name, task=Words(task.words), roles=roles_in_words(task.roles))
    raise NotPermitted(N_("someone without a role in %(authority)s cannot %(task)s there: ask a %(roles)s of %(authority)s"),
                       authority=authority_name, task=Words(task.words), roles=roles_in_words(task.roles))


def _in_authorities(ids: frozenset[int]) -> ColumnElement[bool]:
    return Case.school_id.in_(select(School.id).where(School.authority_id.in_(sorted(ids))))


def case_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The cases a viewer may see, as a condition for any query over cases: every case of an
    authority where their role sees every case, their own cases where they are an IP."""
    if viewer is SETUP or viewer.sees_every_case:
        return true()
    every = frozenset(a for a, r in viewer.roles if r in EVERY_CASE)
    if viewer.everywhere and not every:  # an IP in every authority: their own cases, wherever they are
        return Case.ip_id == viewer.person_id
    own = viewer.authorities - every
    found = ([_in_authorities(every)] if every else []) + ([and_(Case.ip_id == viewer.person_id, _in_authorities(own))] if own else [])
    return or_(*found) if found else false()


def case_scope(session: Session, viewer: Viewer, authority: str | None) -> tuple[ColumnElement[bool], Authority | None]:
    """The cases a person's figures and reports cover: those they see in the one authority
    ``authority`` names (one of theirs), else across all of theirs; with that authority, or
    their only one, whose letterhead a report carries (None: across several)."""
    if authority:
        found = session.execute(select(Authority).where(Authority.code == authority.strip().lower())).scalar_one_or_none()
        if found is None or not (viewer is SETUP or viewer.everywhere or found.id in viewer.authorities):
            raise NotFound(N_("no authority '%(authority)s' of yours: choose one you work for"), authority=authority)
        return and_(case_visible_to(viewer), _in_authorities(frozenset({found.id}))), found
    mine = viewer.authorities if not viewer.everywhere else frozenset(session.execute(select(Authority.id)).scalars())
    only = session.get(Authority, next(iter(mine))) if len(mine) == 1 else None
    return case_visible_to(viewer), only


def school_visible_to(viewer: Viewer, task: Task | None = None) -> ColumnElement[bool]:
    """The schools a viewer may see: those of the authorities in which they hold a role (with
    ``task``, a role that allows it)."""
    if viewer is SETUP:
        return true()
    if task is None:
        return true() if viewer.everywhere else School.authority_id.in_(sorted(viewer.authorities))
    allowed = viewer.authorities_for(task)
    return true() if viewer.everywhere and allowed == viewer.authorities else School.authority_id.in_(sorted(allowed))


def authority_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The authorities a viewer may see: those in which they hold a role."""
    return true() if viewer is SETUP or viewer.everywhere else Authority.id.in_(sorted(viewer.authorities))


def visible_school(session: Session, viewer: Viewer, urn: str) -> School:
    """The school, or NotFound when it is not on record or is an authority's the viewer holds no role in."""
    school = school_by_urn(session, urn)
    if viewer is not SETUP and not viewer.everywhere and school.authority_id not in viewer.authorities:
        raise NotFound(N_("no school with URN %(urn)s: add or import it first"), urn=urn.strip())
    return school


def school_for_task(session: Session, viewer: Viewer, urn: str, task: Task) -> School:
    """The school, if the viewer may see it and their role in its authority allows the task."""
    school = visible_school(session, viewer, urn)
    require_in(viewer, task, school.authority_id, school.authority.name)
    return school


def visible_case(session: Session, viewer: Viewer, case_id: int) -> Case:
    """The case, or NotFound when it does not exist or the viewer may not see it."""
    case = get_case(session, case_id)
    if viewer is SETUP or viewer.sees_every_case:
        return case
    role = viewer.role_in(case.school.authority_id)
    if role is None or (role not in EVERY_CASE and case.ip_id != viewer.person_id):
        raise NotFound(N_("no case %(case)s"), case=case_id)
    return case


def acting(session: Session, email: str | None, use_environment: bool = True) -> Viewer:
    """Who acts at the terminal, or in a flow started for someone: the person named, else
    ``SCC_USER``, else the one lead on record; ``SETUP`` while nobody is on record and nobody
    is named. An action is never attributed to someone who did not take it. A terminal beside
    the server sends what its own ``--as`` or ``SCC_USER`` named: the server's ``SCC_USER``
    is then not used (``use_environment``)."""
    if email in (None, "", SETUP.email) and not anyone_on_record(session):
        return SETUP
    if email == SETUP.email:
        raise NotPermitted(N_("'setup' acts only while nobody is on record: name the person acting"))
    return Viewer.of(session, acting_person(session, email, use_environment))


def terminal_viewer(email: str | None, use_environment: bool = True) -> Viewer:
    """``acting`` in a unit of work of its own: the command line's first step."""
    with transaction() as session:
        return acting(session, email, use_environment)


def token_viewer(token: str) -> Viewer | None:
    """The member of staff a live API token acts for, or None."""
    with transaction() as session:
        person = person_for_token(session, token)
        return Viewer.of(session, person) if person is not None else None


def session_viewer(token: str) -> Viewer | None:
    """The member of staff a live web session belongs to, or None (ended, expired, unknown,
    or no longer staff)."""
    with transaction() as session:
        person = person_for_session(session, token)
        return Viewer.of(session, person) if person is not None else None
