"""Who may see which case: one rule for the web pages and the API.

A lead, a senior officer and a principal IP see every case; an improvement partner sees
only the cases where they are the IP. A case someone may not see does not exist for them:
it is reported as not found, so its number does not reveal that it exists. What each role
may *do* to a case is the playbook's ``roles`` of each action, checked by the use cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from models.db.cases import Case
from models.db.schools import Person
from models.errors import NotFound, NotPermitted
from models.services.cases import get_case
from models.vocab import Role

__all__ = ["EVERY_CASE", "HasRole", "Task", "Viewer", "case_visible_to", "require", "visible_case"]

EVERY_CASE = frozenset({Role.LEAD, Role.SENIOR, Role.PRINCIPAL_IP})


class Task(Enum):
    """What someone signed in may do beyond a case's own actions, and who may do it."""

    OPEN_CASE = ("open a case", EVERY_CASE)
    IMPORT_SCHOOLS = ("import schools", EVERY_CASE)
    MANAGE_PEOPLE = ("add people or change their roles", frozenset({Role.SENIOR}))
    SEE_DASHBOARD = ("see the dashboard", EVERY_CASE)
    APPLY_TERM_DATES = ("move deadlines to changed term dates", frozenset({Role.SENIOR}))
    MIGRATE_PLAYBOOK = ("move running cases to a new playbook version", frozenset({Role.SENIOR}))

    def __init__(self, words: str, roles: frozenset[Role]) -> None:
        self.words, self.roles = words, roles


@dataclass(frozen=True)
class Viewer:
    """The signed-in person (or the person an API token acts for)."""

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


class HasRole(Protocol):
    """Anyone acting: a viewer of the pages, or an ``Actor`` at the terminal."""

    @property
    def email(self) -> str: ...

    @property
    def role(self) -> Role: ...


def require(viewer: HasRole, task: Task) -> None:
    """Refuse, in one line, a task the role of the viewer (or of the person acting at the
    terminal) does not allow."""
    if viewer.role not in task.roles:
        role = viewer.role.value.replace("_", " ")
        raise NotPermitted(f"{'an' if role[0] in 'aeiou' else 'a'} {role} cannot {task.words}: "
                           f"ask a {' or '.join(sorted(r.value.replace('_', ' ') for r in task.roles))}")


def case_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The cases a viewer may see, as a condition for any query over cases."""
    return true() if viewer.sees_every_case else Case.ip_id == viewer.person_id


def visible_case(session: Session, viewer: Viewer, case_id: int) -> Case:
    """The case, or NotFound when it does not exist or the viewer may not see it."""
    case = get_case(session, case_id)
    if not viewer.sees_every_case and case.ip_id != viewer.person_id:
        raise NotFound(f"no case {case_id}")
    return case

