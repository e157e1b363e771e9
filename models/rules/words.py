"""Internal names said in words, for pages, letters and emails.

The playbooks, the database and the API speak in codes (``ip_progress_report_due``,
``la_category``, ``principal_ip``) so that a script can rely on them; a person reads "IP
progress report due", "LA category", "Principal IP". ``words`` is the one way a code
becomes words: underscores become spaces, the first letter is a capital, and a glossary —
a playbook's ``[glossary]`` table, the default playbook's for the pages — gives acronyms
their capitals. A code the glossary does not know is still readable, never shown raw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["Listed", "listed", "words"]


def words(code: str, glossary: Mapping[str, str] = {}, capital: bool = True) -> str:  # noqa: B006 - never mutated
    """``code`` in words: ``words("tig_meeting_due", {"tig": "TIG"}) == "TIG meeting due"``.

    ``capital=False`` keeps the first word as written, for words inside a sentence
    ("the la category" becomes "the LA category" either way; "raised" stays "raised").
    """
    parts = [glossary.get(part.lower(), part) for part in str(code).replace("_", " ").split()]
    if not parts:
        return ""
    first = parts[0]
    if capital and first == first.lower():
        parts[0] = first[:1].upper() + first[1:]
    return " ".join(parts)


def listed(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


class Listed(tuple[str, ...]):
    """A parameter of a message that lists items ("1, 2 and 4"): listed so in English, and
    in the reader's language where a page says the message (``web.language.Said``)."""

    __slots__ = ()

    def __str__(self) -> str:
        return listed(self)
