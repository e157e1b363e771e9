"""Finding playbooks and calendars by name (a case's pinned version is in ``models.db.playbooks``).

Files are parsed once per process and per content (the cache key is the file's hash), so
a long-running scheduler sees an edited calendar without restarting, and a benchmark
pays the parsing cost once.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from models.errors import CaseworkError, InvalidInput, NotFound, PlaybookError
from models.messages import N_
from models.rules.calendar import TermCalendar, calendar_from_toml_text
from models.rules.playbook import Playbook
from models.rules.playbook_file import extended_name, parse_playbook
from models.rules.reminders import ReminderRules, reminder_rules_from
from models.rules.toml_text import parse_toml
from models.settings.environment import config_dir, config_file, file_text, load_settings

__all__ = ["calendar_named", "default_calendar", "default_playbook", "glossary", "letterhead_names", "names_in", "parsed_playbook",
           "playbook_named", "reminder_rules"]


@lru_cache(maxsize=64)
def parsed_playbook(text: str, source: str, bases: tuple[tuple[str, str], ...] = ()) -> Playbook:
    return parse_playbook(text, source, bases)


# A playbook extends the statute's (one step, or two for an LA's variant of a local
# playbook); more than this is a loop.
MAX_EXTENDS = 4


@lru_cache(maxsize=64)
def _extends(text: str, source: str) -> str | None:
    """What a playbook's text extends, parsed once per version of the text: ``playbook_named``
    asks on every call (the caseload's planning asks for each case)."""
    return extended_name(text, source)


def _bases(text: str, path: Path) -> tuple[tuple[str, str], ...]:
    """The (text, source) of the playbooks this one extends, nearest first: each found by
    name beside the file, else in the config folder's playbooks."""
    found: list[tuple[str, str]] = []
    seen = {path.stem}
    name = _extends(text, str(path))
    while name is not None:
        if name in seen or len(found) == MAX_EXTENDS:
            raise PlaybookError(str(path), None, f"extends = \"{name}\" leads back to itself: a playbook extends the statute's, "
                                "which extends nothing")
        candidates = [path.parent / f"{name}.toml", config_dir() / "playbooks" / f"{name}.toml"]
        base = next((c for c in candidates if c.exists()), None)
        if base is None:
            return tuple(found)  # the loader refuses the missing playbook with its line
        seen.add(name)
        base_text = file_text(base)
        found.append((base_text, str(base)))
        name = _extends(base_text, str(base))
    return tuple(found)


@lru_cache(maxsize=64)
def _parsed_calendar(text: str, source: str) -> TermCalendar:
    return calendar_from_toml_text(text, source)


def names_in(folder: str) -> list[str]:
    """The names of the playbooks or calendars of the config folder."""
    return sorted(p.stem for p in (config_dir() / folder).glob("*.toml"))


def letterhead_names() -> list[str]:
    """The letterheads an authority may choose: the config folder's ``letterhead.toml`` and
    each .toml of its ``letterheads`` folder."""
    return ["letterhead.toml"] + sorted(f"letterheads/{p.name}" for p in (config_dir() / "letterheads").glob("*.toml"))


def _available(folder: str) -> str:
    return ", ".join(names_in(folder)) or "none"


def _resolve(name: str, folder: str) -> Path:
    """A bare name is looked up in ``<config>/<folder>/NAME.toml``; anything else is a path
    to a .toml file, made absolute so a case finds it from any working folder."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or "/" in name:
        if candidate.suffix != ".toml" or candidate.is_dir():
            raise InvalidInput(N_("'%(name)s' is not a .toml file: give a name from %(folder)s/ or the path of a .toml file"), name=name,
                               folder=folder)
        return candidate.resolve()
    return config_dir() / folder / f"{name}.toml"


def stored_name(name: str, folder: str) -> str:
    """How a case records its calendar: the bare name, or the absolute path of the file."""
    path = _resolve(name, folder)
    return name if path.parent == config_dir() / folder and path.stem == name else str(path)


def playbook_named(name: str) -> Playbook:
    """The current playbook of that name (or path), validated."""
    path = _resolve(name, "playbooks")
    if not path.exists():  # the folder is not said: an API user should not learn it
        raise NotFound(N_("no playbook '%(name)s'; available: %(available)s"), name=name, available=_available("playbooks"))
    text = file_text(path)
    return parsed_playbook(text, str(path), _bases(text, path))


def glossary() -> Mapping[str, str]:
    """How the pages write the words of internal names: the default playbook's ``[glossary]``.
    A configuration with no readable default playbook (being set up) gets plain words: the
    playbook's own error is said where a playbook is used."""
    try:
        return playbook_named(default_playbook()).glossary
    except CaseworkError:
        return {}


def calendar_named(name: str) -> TermCalendar:
    """The term calendar of that name (or path), validated."""
    path = _resolve(name, "calendars")
    if not path.exists():
        raise NotFound(N_("no calendar '%(name)s'; available: %(available)s"), name=name, available=_available("calendars"))
    return _parsed_calendar(file_text(path), str(path))


def default_playbook() -> str:
    """``authority.default_playbook`` in settings.toml (a Welsh LA sets "wales"), else England's."""
    return str(load_settings().get("authority", {}).get("default_playbook") or "england")


def default_calendar() -> str:
    """The calendar a case uses when none is named: settings.toml ``authority.default_calendar``."""
    return str(load_settings().get("authority", {}).get("default_calendar", "default"))


def reminder_rules() -> ReminderRules:
    """``reminders.toml`` of the config folder, falling back to the shipped one; built once
    per version of the file."""
    path = config_file("reminders.toml")
    return _reminder_rules(path, file_text(path))


@lru_cache(maxsize=8)
def _reminder_rules(path: Path, text: str) -> ReminderRules:
    return reminder_rules_from(parse_toml(text, str(path)), path)
