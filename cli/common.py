"""Parsing what users type: dates, ``--set FIELD=VALUE`` pairs, ``--as``, files to read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import typer

from models.errors import InvalidInput, NotFound
from models.rules.text import parse_day
from models.settings.environment import today

__all__ = ["AS_OPTION", "parse_date", "parse_sets", "read_file"]

AS_OPTION = typer.Option(None, "--as", help="Email of the person acting (default: SCC_USER, else the one lead)")


def parse_date(value: str | None, option: str = "--on") -> date:
    """An ISO date, or today when the option was not given."""
    if value is None:
        return today()
    return parse_day(value, option)


def parse_sets(pairs: Sequence[str]) -> dict[str, str]:
    """``--set reasons="..." --set rag.1=green`` into a dict; a repeated name is refused."""
    fields: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--set takes FIELD=VALUE, not '{pair}'")
        if name.strip() in fields:
            raise InvalidInput(f"field {name.strip()} was given twice: give each --set once")
        fields[name.strip()] = value
    return fields


def read_file(path: Path) -> bytes:
    """A file named on the command line, read here (a server beside the command may not see it)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NotFound(f"cannot read {path}: {exc.strerror}") from None
