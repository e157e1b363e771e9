"""The one option every benchmark shares: ``--quick``, the same measurement at a size that
takes seconds, which ``make test`` runs so that a change breaking a benchmark fails the suite.

A quick run prints its figures like a full one, but they are not the README's: those come
from the full sizes. No quick figure is compared with a target.
"""

from __future__ import annotations

import argparse
from typing import Any


def parse(parser: argparse.ArgumentParser, quick: dict[str, Any]) -> argparse.Namespace:
    """The arguments given, with ``quick``'s sizes in place of the defaults under ``--quick``."""
    parser.add_argument("--quick", action="store_true", help="a run of seconds, to check the benchmark works (figures not comparable)")
    args = parser.parse_args()
    if args.quick:
        for name, value in quick.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    return args
