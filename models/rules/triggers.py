"""Rules that flag a school from figures the LA already holds (``config/triggers.toml``).

Pure: ``parse_triggers`` reads the rules, every key checked and a mistake named with its
line; ``flags`` says which rules a school's figures meet. A rule looks at one indicator (a
column of the LA's data: attendance against the average, a budget's variance, results
against the floor target…) and is met when the school's latest ``periods`` figures of it all
pass its test: "below average attendance rates for 3 or more quarters" is
``indicator = "attendance_vs_average"``, ``test = "below"``, ``threshold = 0``,
``periods = 3``. Periods are compared as text, so name them so that they sort: ``2025``,
``2025-Q3``, ``2025-26``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from models.errors import ConfigError
from models.rules.toml_text import line_of, parse_toml

__all__ = ["Flag", "Comparison", "TriggerRule", "flags", "parse_triggers"]


class Comparison(StrEnum):
    """How a figure is compared with the rule's threshold."""

    BELOW = "below"  # value < threshold
    ABOVE = "above"  # value > threshold
    AT_LEAST = "at_least"  # value >= threshold
    BEYOND = "beyond"  # |value| > threshold: an overspend or an underspend

    def passes(self, value: float, threshold: float) -> bool:
        return {
            Comparison.BELOW: value < threshold,
            Comparison.ABOVE: value > threshold,
            Comparison.AT_LEAST: value >= threshold,
            Comparison.BEYOND: abs(value) > threshold,
        }[self]


@dataclass(frozen=True)
class TriggerRule:
    """One rule of ``[[rules]]``."""

    name: str
    title: str
    indicator: str
    test: Comparison
    threshold: float
    periods: int = 1
    phases: frozenset[str] = frozenset()  # the school phases it applies to; empty: every phase


@dataclass(frozen=True)
class Flag:
    """A rule a school's figures meet, with the figures that met it."""

    rule: TriggerRule
    figures: tuple[tuple[str, float], ...]  # (period, value), oldest first

    @property
    def period(self) -> str:
        """The latest period of the figures: the same rule flags a school once per period."""
        return self.figures[-1][0]

    @property
    def detail(self) -> str:
        shown = ", ".join(f"{period}: {value:g}" for period, value in self.figures)
        return f"{self.rule.title} ({shown})"  # the figures by period; the indicator's code is for the file, not for people


_KEYS = {"name", "title", "indicator", "test", "threshold", "periods", "phases"}


def parse_triggers(text: str, source: str) -> tuple[TriggerRule, ...]:
    """The rules of a triggers file; a mistake is a ``ConfigError`` with the file and line."""
    data = parse_toml(text, source)
    unknown = sorted(set(data) - {"rules"})
    if unknown:
        raise ConfigError(source, line_of(text, f"{unknown[0]} ="), f"unknown key '{unknown[0]}': give [[rules]] tables only")
    rules: list[TriggerRule] = []
    for spec in data.get("rules", []):
        rules.append(_rule(spec, text, source))
    names = [r.name for r in rules]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(source, line_of(text, f'name = "{repeated[0]}"'), f"rule '{repeated[0]}' is given twice: name each rule once")
    return tuple(rules)


def _rule(spec: Any, text: str, source: str) -> TriggerRule:
    name = spec.get("name") if isinstance(spec, dict) else None
    where = line_of(text, f'name = "{name}"') if name else None
    if not isinstance(name, str) or not name:
        raise ConfigError(source, where, 'each [[rules]] needs name = "…"')
    for key in spec:
        if key not in _KEYS:
            raise ConfigError(source, line_of(text, f"{key} ="), f"rule '{name}': unknown key '{key}'; allowed: {', '.join(sorted(_KEYS))}")
    for key in ("title", "indicator", "test", "threshold"):
        if key not in spec:
            raise ConfigError(source, where, f"rule '{name}' needs {key}")
    try:
        test = Comparison(spec["test"])
    except ValueError:
        raise ConfigError(source, line_of(text, f'test = "{spec["test"]}"'),
                          f"rule '{name}': test '{spec['test']}' is unknown; it may be {', '.join(t.value for t in Comparison)}") from None
    threshold, periods = spec["threshold"], spec.get("periods", 1)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ConfigError(source, line_of(text, "threshold ="), f"rule '{name}': threshold must be a number, not {threshold!r}")
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise ConfigError(source, line_of(text, "periods ="), f"rule '{name}': periods must be a whole number of 1 or more")
    phases = spec.get("phases", [])
    if not isinstance(phases, list) or not all(isinstance(p, str) for p in phases):
        raise ConfigError(source, line_of(text, "phases ="), f'rule \'{name}\': phases must be a list like ["Primary", "Secondary"]')
    return TriggerRule(name=name, title=str(spec["title"]), indicator=str(spec["indicator"]), test=test,
                       threshold=float(threshold), periods=periods, phases=frozenset(phases))


def flags(rules: Sequence[TriggerRule], phase: str, figures: Mapping[str, Sequence[tuple[str, float]]]) -> list[Flag]:
    """The rules a school of ``phase`` meets, given its figures per indicator as (period,
    value) pairs in any order."""
    met = []
    for rule in rules:
        if rule.phases and phase not in rule.phases:
            continue
        latest = tuple(sorted(figures.get(rule.indicator, ())))[-rule.periods:]
        if len(latest) == rule.periods and all(rule.test.passes(value, rule.threshold) for _, value in latest):
            met.append(Flag(rule, latest))
    return met
