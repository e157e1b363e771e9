"""How every command prints: a rich table or text for people, JSON with ``--json`` for scripts.

Errors never come through here: ``cli.main`` turns a ``CaseworkError`` into one line on
stderr and exit code 1.

A command is usually printed to this terminal. When ``scc serve`` answers a read-only
command typed beside it (``cli.quick``), the command runs in one of the server's threads
and what it prints is kept for the terminal that typed it (``answering``), laid out for that
terminal's width and colours: the terminal shows what it would have shown running the
command itself.
"""

from __future__ import annotations

import io
import json
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO, cast

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

__all__ = ["JSON_OPTION", "Terminal", "answering", "console", "emit", "plain", "table"]

_this_terminal = Console(highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class _Answer:
    """What a command answered for another terminal has printed so far, and the console laid
    out for that terminal."""

    console: Console
    out: io.StringIO
    err: io.StringIO


_answering: ContextVar[_Answer | None] = ContextVar("scc_answering", default=None)


class _CommandConsole:
    """The console commands print to: this terminal's, or the one of the command being answered."""

    def __getattr__(self, name: str) -> Any:
        answer = _answering.get()
        return getattr(answer.console if answer else _this_terminal, name)


console = cast(Console, _CommandConsole())


class _Routed(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` of a server answering commands: what a command's
    thread writes (``typer.echo``, ``click.echo``) is kept for its terminal; what any other
    thread writes goes to the stream this replaced."""

    def __init__(self, stream: TextIO, errors: bool) -> None:
        self._stream, self._errors = stream, errors

    def _target(self) -> TextIO:
        answer = _answering.get()
        if answer is None:
            return self._stream
        return answer.err if self._errors else answer.out

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"


_routing = threading.Lock()


def _route_standard_streams() -> None:
    with _routing:
        if not isinstance(sys.stdout, _Routed):
            sys.stdout = _Routed(sys.stdout, errors=False)
        if not isinstance(sys.stderr, _Routed):
            sys.stderr = _Routed(sys.stderr, errors=True)


@dataclass(frozen=True)
class Terminal:
    """How the terminal that typed a command shows text: its width, and its colours (a rich
    colour system such as ``standard`` or ``truecolor``; None when it is not a terminal)."""

    width: int
    colours: str | None = None
    no_color: bool = False


@contextmanager
def answering(terminal: Terminal) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """Keep what a command prints in this thread (its standard output and error) for the
    terminal that typed it."""
    out, err = io.StringIO(), io.StringIO()
    shown = Console(file=out, width=terminal.width, force_terminal=terminal.colours is not None,
                    color_system=terminal.colours, no_color=terminal.no_color,  # type: ignore[arg-type]  # a literal
                    highlight=False, soft_wrap=True)
    _route_standard_streams()
    token = _answering.set(_Answer(shown, out, err))
    try:
        yield out, err
    finally:
        _answering.reset(token)

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
