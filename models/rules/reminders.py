"""Reminder rules (``config/reminders.toml``): when, before and after a deadline, who is told.

Offsets are working days (England or Wales bank holidays of the case's calendar) because
that is how leads and IPs plan their week. A reminder is identified by its deadline, its
offset and its recipient; ``ReminderRule.offset_due`` picks, for a day, the one reminder
that should have gone out most recently, so a sweep that ran late (a server that was down
over a weekend) sends the latest reminder once instead of a backlog of stale ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from models.errors import ConfigError
from models.rules.calendar import TermCalendar
from models.vocab import Basis, Role

__all__ = ["DigestRule", "ReminderRule", "ReminderRules", "reminder_rules_from"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class ReminderRule:
    kind: str
    title: str
    before: tuple[int, ...]
    after: tuple[int, ...]
    to: tuple[Role, ...]
    title_cy: str = ""  # the title in Welsh, for someone written to in Welsh; none: the English

    def title_in(self, language: str) -> str:
        return self.title_cy or self.title if language == "cy" else self.title

    def send_on(self, due: date, offset: int, calendar: TermCalendar) -> date:
        """The day the reminder at ``offset`` goes (negative: working days before due)."""
        if offset < 0:
            return calendar.days_before(due, -offset, Basis.WORKING)
        return calendar.add_days(due, offset, Basis.WORKING).date

    def offset_due(self, due: date, on: date, calendar: TermCalendar) -> int | None:
        """The reminder to send on ``on``: the latest whose day has come, before the due
        date while it is ahead and after it once it has passed; None when none is due."""
        if on <= due:
            passed = [-n for n in self.before if self.send_on(due, -n, calendar) <= on]
            return max(passed) if passed else None  # -1 is later than -5
        passed = [n for n in self.after if self.send_on(due, n, calendar) <= on]
        return max(passed) if passed else None


@dataclass(frozen=True)
class DigestRule:
    weekday: int  # Monday is 0
    days_ahead: int
    to: tuple[Role, ...]


@dataclass(frozen=True)
class ReminderRules:
    default: ReminderRule
    kinds: dict[str, ReminderRule]
    digest: DigestRule

    def for_kind(self, kind: str) -> ReminderRule:
        return self.kinds.get(kind) or ReminderRule(
            kind, kind.replace("_", " ").capitalize(), self.default.before, self.default.after, self.default.to
        )


def _rule(kind: str, spec: Any, fallback: ReminderRule | None, path: Path) -> ReminderRule:
    where = f"[kinds.{kind}]" if fallback else "[default]"
    if not isinstance(spec, dict):
        raise ConfigError(path, None, f"{where} must be a table")
    try:
        before = tuple(int(n) for n in spec.get("before", fallback.before if fallback else ()))
        after = tuple(int(n) for n in spec.get("after", fallback.after if fallback else ()))
        to = tuple(Role(r) for r in spec.get("to", fallback.to if fallback else ("lead",)))
    except (TypeError, ValueError) as exc:
        raise ConfigError(path, None, f"{where}: {exc}: before/after are lists of working days, "
                                      f"to a list of roles ({', '.join(r.value for r in Role)})") from None
    if any(n < 1 for n in before + after):
        raise ConfigError(path, None, f"{where}: offsets are working days, 1 or more")
    return ReminderRule(kind, str(spec.get("title", kind.replace("_", " ").capitalize())), before, after, to,
                        str(spec.get("title_cy", "")))


def reminder_rules_from(data: dict[str, Any], path: Path) -> ReminderRules:
    """The rules of a parsed ``reminders.toml``; a wrong value is refused naming the file."""
    default = _rule("default", data.get("default", {}), None, path)
    kinds = {kind: _rule(kind, spec, default, path) for kind, spec in data.get("kinds", {}).items()}
    digest = data.get("digest", {})
    weekday = str(digest.get("weekday", "monday")).lower()
    if weekday not in WEEKDAYS:
        raise ConfigError(path, None, f"[digest] weekday must be one of {', '.join(WEEKDAYS)}, not '{weekday}'")
    try:
        digest_rule = DigestRule(WEEKDAYS.index(weekday), int(digest.get("days_ahead", 14)),
                                 tuple(Role(r) for r in digest.get("to", ["ip"])))
    except ValueError as exc:
        raise ConfigError(path, None, f"[digest]: {exc}") from None
    return ReminderRules(default, kinds, digest_rule)
