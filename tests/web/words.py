"""What the pages' words are checked against: command syntax on a page a member of staff reads.

A page may never show a command-line option (``--set``), a command (``scc case reopen``) or
an internal name (``pay_order_not_complied``, ``principal_ip``): the CLI speaks its own
syntax, the pages speak to people.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["command_syntax", "visible_text"]

_SYNTAX = (
    re.compile(r"(?<![\w-])--[a-z]"),  # a command-line option
    re.compile(r"\bscc [a-z]"),  # a command
    re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b"),  # an internal snake_case name
)


class _Text(HTMLParser):
    """The text a reader meets: every text node outside script and style, plus the page title."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def command_syntax(text: str) -> list[str]:
    """Each piece of command syntax in ``text``, with a little of the words around it."""
    found = []
    for pattern in _SYNTAX:
        for match in pattern.finditer(text):
            found.append(text[max(0, match.start() - 40):match.end() + 20])
    return found
