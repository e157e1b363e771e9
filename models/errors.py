"""Every failure a user can cause, as one tree of exceptions.

The CLI turns any ``CaseworkError`` into one line on stderr and a non-zero exit, in one
place (``cli/main.py``); each message names the problem and the way out, so a lead can fix
their input without reading code. Raising happens before anything is committed, so a
refused command leaves the database as it was.

    CaseworkError
    ├── ConfigError                 a playbook, calendar or settings file is malformed
    │   ├── PlaybookError           (file, line, reason)
    │   └── CalendarError           (file, line, reason)
    ├── NotFound                    unknown school, person, case, playbook, calendar, document
    ├── InvalidInput                a value given on the command line or in a CSV is wrong
    │   └── MissingField            a required action field was not given
    ├── IllegalAction               the action is not open from the case's stage
    ├── GuardFailed                 the action is open but a rule forbids it now
    ├── CaseChanged                 another change to the case was applied while this one was decided
    ├── NotPermitted                the actor's role may not take the action
    ├── OutsideKnownTerms           a school-day count would run past the last term on record
    ├── DatabaseNotReady            the database has no schema or an old one
    ├── AuditBroken                 the audit chain does not verify
    ├── SchedulerBusy               another `scc serve` already runs on this database
    └── DocumentError               a template is missing a value or cannot be rendered
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "AuditBroken",
    "CalendarError",
    "CaseChanged",
    "CaseworkError",
    "ConfigError",
    "DatabaseNotReady",
    "DocumentError",
    "GuardFailed",
    "IllegalAction",
    "InvalidInput",
    "MissingField",
    "NotFound",
    "NotPermitted",
    "OutsideKnownTerms",
    "PlaybookError",
    "SchedulerBusy",
]


class CaseworkError(Exception):
    """Base of every error a user can cause; its message is shown to them as it is.

    Made with a message of the catalog and its parameters
    (``NotFound(N_("no case %(case)s"), case=7)``), a refusal can be said on a page in its
    reader's language (``message`` and ``parameters``); ``str()`` is the English, as the
    command line and the API say it (a date as 2026-10-05).
    """

    def __init__(self, message: str = "", /, **parameters: object) -> None:
        self.message = message
        self.parameters = parameters
        super().__init__(message % parameters if parameters else message)


class ConfigError(CaseworkError):
    """A configuration file is malformed: the message names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


class PlaybookError(ConfigError):
    """A playbook cannot be loaded; no case can be opened or moved with it until fixed."""


class CalendarError(ConfigError):
    """A term calendar cannot be loaded; no deadline can be counted with it until fixed."""


class NotFound(CaseworkError):
    """Something named by the user does not exist; the message says how to list what does."""


class InvalidInput(CaseworkError):
    """A value given by the user is malformed or out of range."""


class MissingField(InvalidInput):
    """An action was asked for without a field its playbook requires."""

    def __init__(self, action: str, missing: Sequence[str], required: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            f"'{action}' needs the field(s) {', '.join(missing)} (its required fields: {', '.join(required)})"
        )


class FieldError(InvalidInput):
    """One field of an action has a value its type refuses; ``field`` names it for a form.

    A message with a ``what`` parameter (the field as the command line names it) is said on
    a form with the field's label in its place."""

    def __init__(self, field: str, message: str, /, **parameters: object) -> None:
        self.field = field
        super().__init__(message, **parameters)
        self.detail = str(self).split(f"field {field} ", 1)[-1]


class IllegalAction(CaseworkError):
    """The action is not open from the case's current stage."""

    def __init__(self, case_id: int, stage: str, action: str, allowed: Sequence[str]) -> None:
        self.allowed = sorted(allowed)
        options = ", ".join(self.allowed) or "none (the case is closed)"
        super().__init__(
            f"case {case_id} is at '{stage}': '{action}' is not allowed; allowed now: {options}"
        )


class GuardFailed(CaseworkError):
    """The action is open from this stage, but a rule of the playbook forbids it now.

    A rule about one field names it (``field``), so a form shows the refusal at that field,
    in ``words`` when the message itself names the command line's syntax (``give rag.3``).
    """

    def __init__(self, message: str, /, field: str | None = None, words: str | None = None, **parameters: object) -> None:
        self.field = field
        self.words = words
        super().__init__(message, **parameters)


class CaseChanged(CaseworkError):
    """Two changes to one case at the same moment: the first applies, this one is refused."""


class NotPermitted(CaseworkError):
    """The person acting does not hold a role the playbook allows for this action."""


class OutsideKnownTerms(CaseworkError):
    """Counting would pass the last (or precede the first) term on record: refuse, never guess."""


class DatabaseNotReady(CaseworkError):
    """The database has no schema yet, or an older one than this version needs."""


class AuditBroken(CaseworkError):
    """The audit log's hash chain does not verify: an event was edited or removed."""


class SchedulerBusy(CaseworkError):
    """One scheduler per database: a second would send every reminder twice."""


class DocumentError(CaseworkError):
    """A document cannot be produced: missing template value, bad template, failed conversion."""


class Unavailable(CaseworkError):
    """A service the product relies on (the virus scanner) does not answer: nothing was done."""


class DocumentAltered(CaseworkError):
    """A stored letter's file no longer matches the sha256 taken when it was made."""
