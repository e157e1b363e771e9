"""Who may see which case and do what: the one home of permission, for the pages, the API,
the command line and the flows alike.

A lead, a senior officer and a principal IP see every case; an improvement partner sees
only the cases where they are the IP. A case someone may not see does not exist for them:
it is reported as not found, so its number does not reveal that it exists. What each role
may do to a case is the playbook's ``roles`` of each action (checked when the action is
decided); everything else anyone may do is a ``Task`` of the one table below.

Everyone acting is a ``Viewer``: the person signed in, the person an API token acts for, or
the person at the terminal (``acting``). While nobody at all is on record, the terminal acts
as ``SETUP`` to add the first people and schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from models.db.cases import Case
from models.db.queries import anyone_on_record
from models.db.schools import Person
from models.db.session import transaction
from models.errors import NotFound, NotPermitted
from models.rules.roles import EVERY_CASE, a_role, roles_in_words
from models.services.accounts import person_for_session, person_for_token
from models.services.cases import acting_person, get_case
from models.vocab import Role

__all__ = [
    "SETUP", "Task", "Viewer", "acting", "case_visible_to", "require", "session_viewer", "terminal_viewer", "token_viewer", "visible_case",
]


class Task(Enum):
    """What someone may do beyond a case's own actions, and which roles may do it."""

    OPEN_CASE = ("open a case", EVERY_CASE)
    IMPORT_SCHOOLS = ("add or import schools", EVERY_CASE)
    MANAGE_PEOPLE = ("add people or change their roles", frozenset({Role.SENIOR}))
    SEE_DASHBOARD = ("see the dashboard", EVERY_CASE)
    APPLY_TERM_DATES = ("move deadlines to changed term dates", frozenset({Role.SENIOR}))
    MIGRATE_PLAYBOOK = ("move running cases to a new playbook version", frozenset({Role.SENIOR}))
    MAKE_REPORTS = ("make letters for many cases or the termly report", EVERY_CASE)
    RUN_RECURRING = ("run the recurring flows or load the demo", EVERY_CASE)
    MANAGE_ACCESS = ("set passwords or API tokens for others", frozenset({Role.SENIOR}))
    UNDO_ACTION = ("undo a case's latest action taken in error", frozenset({Role.SENIOR}))
    PLAN_CASE = ("plan a case's half-term", EVERY_CASE)
    SEE_SYSTEM = ("see the health of the installation", frozenset({Role.SENIOR}))

    def __init__(self, words: str, roles: frozenset[Role]) -> None:
        self.words, self.roles = words, roles


@dataclass(frozen=True)
class Viewer:
    """The person acting: signed in, behind an API token, or at the terminal."""

    person_id: int
    email: str
    name: str
    role: Role

    @classmethod
    def of(cls, person: Person) -> Viewer:
        return cls(person.id, person.email, person.name, Role(person.role))

    @property
    def sees_every_case(self) -> bool:
        return self.role in EVERY_CASE

    def may(self, task: Task) -> bool:
        """Whether the pages should offer the task (``require`` refuses it)."""
        return self.role in task.roles


# Setting up: nobody is on record yet, so nobody can be named. Recorded as "setup" in the audit
# log; may do what a senior officer may (add the first people, import the schools).
SETUP = Viewer(person_id=0, email="setup", name="setting up", role=Role.SENIOR)


def require(viewer: Viewer, task: Task) -> None:
    """Refuse, in one line, a task the viewer's role does not allow."""
    if viewer.role not in task.roles:
        raise NotPermitted(f"{a_role(viewer.role)} cannot {task.words}: ask a {roles_in_words(task.roles)}")


def case_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The cases a viewer may see, as a condition for any query over cases."""
    return true() if viewer.sees_every_case else Case.ip_id == viewer.person_id


def visible_case(session: Session, viewer: Viewer, case_id: int) -> Case:
    """The case, or NotFound when it does not exist or the viewer may not see it."""
    case = get_case(session, case_id)
    if not viewer.sees_every_case and case.ip_id != viewer.person_id:
        raise NotFound(f"no case {case_id}")
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
        raise NotPermitted("'setup' acts only while nobody is on record: name the person acting")
    return Viewer.of(acting_person(session, email, use_environment))


def terminal_viewer(email: str | None, use_environment: bool = True) -> Viewer:
    """``acting`` in a unit of work of its own: the command line's first step."""
    with transaction() as session:
        return acting(session, email, use_environment)


def token_viewer(token: str) -> Viewer | None:
    """The member of staff a live API token acts for, or None."""
    with transaction() as session:
        person = person_for_token(session, token)
        return Viewer.of(person) if person is not None else None


def session_viewer(token: str) -> Viewer | None:
    """The member of staff a live web session belongs to, or None (ended, expired, unknown,
    or no longer staff)."""
    with transaction() as session:
        person = person_for_session(session, token)
        return Viewer.of(person) if person is not None else None
