"""How every command prints: a rich table or text for people, JSON with ``--json`` for scripts.

Errors never come through here: ``cli.main`` turns a ``CaseworkError`` into one line on
stderr and exit code 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["JSON_OPTION", "console", "emit", "plain", "table"]

console = Console(highlight=False, soft_wrap=True)

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of text.")


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def plain(data: Any) -> Any:
    """A schema of ``models.schemas`` (or a list of them) as the JSON-ready dict it prints as."""
    if isinstance(data, list):
        return [plain(item) for item in data]
    dump = getattr(data, "model_dump", None)
    return dump(mode="json") if dump is not None else data


def emit(data: Any, as_json: bool, show: Callable[[Any], None]) -> None:
    """Print ``data`` (plain data or schemas) as JSON, or hand it to ``show`` to print for a person."""
    data = plain(data)
    if as_json:
        typer.echo(json.dumps(data, default=_default, indent=2, ensure_ascii=False))
    else:
        show(data)


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    grid = Table(title=title, title_justify="left")
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*("" if cell is None else str(cell) for cell in row))
    console.print(grid)
