"""An action's fields: what a playbook declares each one to be, and typing a user's values.

The CLI, a web form and the API all hand over plain NAME=VALUE strings; this module alone
turns them into typed values, so a date or a choice is checked the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from models.errors import FieldError, InvalidInput, MissingField
from models.messages import N_
from models.rules.text import LONG_TEXT, checked_text, parse_day, parse_whole
from models.vocab import Rag

__all__ = ["MAX_FIELD_NUMBER", "FieldSpec", "FieldType", "parse_fields"]

# A number an action's field takes counts days (a compliance period, a timescale): three
# years of working days is the most any deadline needs.
MAX_FIELD_NUMBER = 1_000


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    CHOICE = "choice"  # one of options
    CHOICES = "choices"  # comma-separated, each one of options
    RAG = "rag"  # per priority: rag.1=green, rag.2=red
    PER_PRIORITY = "per_priority"  # per priority text: reason.2="…"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    required: bool = True
    options: tuple[str, ...] = ()
    default: str | None = None
    help: str = ""  # for the command line and the API: may name the syntax (``rag.1=green``)
    minimum: int | None = None
    label: str = ""  # for people: the question a page asks
    hint: str = ""  # for people: what a page says under the question (never command syntax)
    option_labels: Mapping[str, str] = field(default_factory=dict)  # option -> what a page shows for it

    def describe(self) -> str:
        text = f"{self.name} ({self.type}"
        if self.options:
            text += ": " + "|".join(self.options)
        text += ")" if self.required else ", optional)"
        return text


_PER_PRIORITY_KEY = re.compile(r"^(?P<name>[a-z_]+)\.(?P<number>\d+)$")


def parse_fields(action: str, fields: Sequence[FieldSpec], raw: Mapping[str, str]) -> dict[str, Any]:
    """Typed values from the NAME=VALUE strings a user gave; unknown and missing names are refused.

    A field of type rag or per_priority is given once per priority as ``NAME.N``.
    """
    known = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    grouped: dict[str, dict[int, str]] = {}
    for key, value in raw.items():
        match = _PER_PRIORITY_KEY.match(key)
        if match and match["name"] in known and known[match["name"]].type in (FieldType.RAG, FieldType.PER_PRIORITY):
            grouped.setdefault(match["name"], {})[int(match["number"])] = value
            continue
        if key not in known:
            names = ", ".join(f.describe() for f in fields) or "none"
            raise InvalidInput(N_("'%(action)s' has no field '%(field)s'; its fields: %(fields)s"), action=action, field=key, fields=names)
        values[key] = _typed(action, known[key], value)
    for name, entries in grouped.items():
        values[name] = {n: _typed(action, known[name], v) for n, v in entries.items()}
    missing = []
    for f in fields:
        if f.name in values:
            continue
        if f.default is not None:
            values[f.name] = _convert(action, f, f.default)
        elif f.required:
            missing.append(f.name)
        elif f.type in (FieldType.RAG, FieldType.PER_PRIORITY):
            values[f.name] = {}
        else:
            values[f.name] = None
    if missing:
        raise MissingField(action, missing, [f.name for f in fields if f.required])
    return values


def _typed(action: str, spec: FieldSpec, value: str) -> Any:
    """``_convert``, its refusal naming the field (a web form shows it at that field)."""
    try:
        return _convert(action, spec, value)
    except FieldError:
        raise
    except InvalidInput as exc:
        raise FieldError(spec.name, exc.message, **exc.parameters) from None


def _convert(action: str, spec: FieldSpec, value: str) -> Any:
    """One value typed as its field declares, or the one-line reason it cannot be (long: one short branch per field type)."""
    text = value.strip()
    what = f"'{action}': field {spec.name}"
    if spec.required and not text and spec.type is not FieldType.PER_PRIORITY:
        raise InvalidInput(N_("%(what)s is empty: give it a value"), what=what)
    if spec.type in (FieldType.TEXT, FieldType.PER_PRIORITY):
        return checked_text(text, what, limit=LONG_TEXT, lines=True)
    if spec.type is FieldType.INT:
        return parse_whole(text, what, minimum=spec.minimum, maximum=MAX_FIELD_NUMBER)
    if spec.type is FieldType.DATE:
        return parse_day(text, what)
    if spec.type is FieldType.CHOICE:
        if text not in spec.options:
            raise InvalidInput(N_("%(what)s must be one of %(options)s, not '%(value)s'"), what=what, options=", ".join(spec.options),
                               value=value)
        return text
    if spec.type is FieldType.CHOICES:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        wrong = [c for c in chosen if c not in spec.options]
        if wrong or not chosen:
            if not wrong:
                raise InvalidInput(N_("%(what)s takes a comma-separated list of %(options)s; not empty"), what=what,
                                   options=", ".join(spec.options))
            raise InvalidInput(N_("%(what)s takes a comma-separated list of %(options)s; not %(value)s"), what=what,
                               options=", ".join(spec.options), value=", ".join(wrong))
        return chosen
    if spec.type is FieldType.RAG:
        try:
            return Rag(text.lower())
        except ValueError:
            raise InvalidInput(N_("%(what)s takes green, yellow, amber or red per priority, not '%(value)s'"), what=what,
                               value=value) from None
    raise AssertionError(spec.type)  # pragma: no cover - FieldType is closed
