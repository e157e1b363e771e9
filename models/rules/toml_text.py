"""Reading the product's TOML files so that every refusal names the file and the line."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from models.errors import ConfigError

__all__ = ["line_of", "parse_toml"]


def parse_toml(text: str, source: str, error: type[ConfigError] = ConfigError) -> dict[str, Any]:
    """The parsed document, or ``error`` at the line TOML's own message names."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise error(source, int(match.group(1)) if match else None, f"not valid TOML: {exc}") from None


def line_of(text: str, *needles: str, occurrence: int = 0) -> int | None:
    """1-based line of the ``occurrence``-th line holding a needle; needles are tried in
    order of precision, the first one found wins."""
    lines = text.splitlines()
    for needle in needles:
        found = [number for number, line in enumerate(lines, start=1) if needle in line]
        if len(found) > occurrence:
            return found[occurrence]
    return None
