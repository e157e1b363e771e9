"""How every command prints: a rich table or text for people, JSON with ``--json`` for scripts.

Errors never come through here: ``cli.main`` turns a ``CaseworkError`` into one line on
stderr and exit code 1. A command prints the same whether its data came from the API of the
``scc serve`` beside it or from the use case run in its own process (``cli.client``): both
give the JSON-ready data of ``models.schemas``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from models.errors import InvalidInput

__all__ = ["CSV_OPTION", "JSON_OPTION", "XLSX_OPTION", "console", "emit", "export", "plain", "table"]

console = Console(highlight=False, soft_wrap=True)

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of text.")
CSV_OPTION = typer.Option(None, "--csv", help="Write the rows to this CSV file instead (formula-looking cells neutralised).")
XLSX_OPTION = typer.Option(None, "--xlsx", help="Write the rows to this Excel workbook instead.")


def export(table: Any, csv_path: Path | None, xlsx_path: Path | None) -> bool:
    """Write ``table`` (a title, headings and rows) to the file asked for; False when none was."""
    from models.services.exports import exported  # openpyxl only when a file is asked for

    written = False
    for path, form in ((csv_path, "csv"), (xlsx_path, "xlsx")):
        if path is not None:
            try:
                path.write_bytes(exported(table, form))
            except OSError as error:
                raise InvalidInput(f"cannot write {path}: {error.strerror}: choose a folder you can write to") from None
            console.print(f"wrote {len(table[2])} row(s) to {path}")
            written = True
    return written


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def plain(data: Any) -> Any:
    """Schemas of ``models.schemas`` (alone, or in lists and dicts) as the JSON-ready data they print as."""
    if isinstance(data, (list, tuple)):
        return [plain(item) for item in data]
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
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
    """Rows under their title and a bold header, in columns two spaces apart, one line per
    row: readable at any length, quick to print (thousands of deadlines in a tenth of a
    second) and easy to search with grep or read with a spreadsheet's fixed-width import."""
    cells = [list(columns), *(["" if cell is None else " ".join(str(cell).split()) for cell in row] for row in rows)]
    widths = [max(cell_len(line[i]) for line in cells) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        padded = [value + " " * (width - cell_len(value)) for value, width in zip(values[:-1], widths, strict=False)]
        return "  ".join([*padded, values[-1]]).rstrip()

    console.print(Text(title, style="italic"))
    console.print(Text(line(cells[0]), style="bold"))
    if len(cells) > 1:
        console.out("\n".join(line(values) for values in cells[1:]), highlight=False)
