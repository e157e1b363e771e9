"""Marking the product's messages for the catalogs of other languages.

A message said to a user from below the pages (a refusal, say) is written once in English
with ``%(name)s`` placeholders and marked ``N_(...)`` so that ``pybabel extract`` finds it;
the page that shows it looks it up in its reader's language and fills in the parameters
then (``web.language.Said``). The command line and the API say the English.
"""

from __future__ import annotations

__all__ = ["N_", "Either", "Named", "Words"]


def N_(message: str) -> str:  # noqa: N802 - the name Babel's extraction looks for
    """A message for the catalog, translated later where it is said."""
    return message


class Words(str):
    """A parameter that is itself a message of the catalog (a role, a stage, a term): said in
    the reader's language too, where a plain string (a school's name, a number) is kept."""

    __slots__ = ()


class Named(str):
    """A thing's name inside a sentence ("warning notice"): said in the reader's language by
    the catalog's name for it ("Warning notice" → "hysbysiad rhybuddio")."""

    __slots__ = ()


class Either(tuple[str, ...]):
    """A parameter naming alternatives, each a message of the catalog ("lead or senior"):
    each said, and joined, in the reader's language."""

    __slots__ = ()

    def __str__(self) -> str:
        return " or ".join(self)
