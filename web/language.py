"""The language of the pages: English, or Welsh (Cymraeg) for the authorities of Wales.

The Welsh Language Standards ask that a council's services be offered in Welsh, so every
page's text is written once in English and looked up in a gettext catalog
(``translations/cy/LC_MESSAGES/messages.po``, kept by Babel: see the README). A page is
in the language its reader chose last with the switch at the top of every page (kept in a
cookie), else in the language recorded as theirs, else in English.

The catalog is read from its ``.po`` text when first needed, so there is no compiled file to
keep in step. Text a catalog does not have stays English; a test holds the Welsh catalog
complete for every message the pages and the shipped playbooks can show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from models.errors import CaseworkError
from models.messages import N_, Either, Named, Words
from models.rules import welsh
from models.rules.words import Listed
from models.settings.catalog import catalog
from models.vocab import Language

__all__ = ["N_", "COOKIE", "LANGUAGES", "Said", "chosen", "gettext", "named", "ngettext", "refusal", "say_date", "speaking"]

# A person's languages (the pages and emails they read), each named in itself for the switch.
LANGUAGES = {Language.ENGLISH: "English", Language.WELSH: "Cymraeg"}
COOKIE = "scc_language"
_speaking: ContextVar[str] = ContextVar("page_language", default="en")


def chosen(asked: str | None, remembered: str | None, preferred: str | None) -> str:
    """The page's language: the one just asked for with the switch, else the one this browser
    last chose, else the reader's own (as recorded), else English."""
    for language in (asked, remembered, preferred):
        if language in LANGUAGES:
            return language
    return "en"


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Draw the pages inside the block in ``language``."""
    token = _speaking.set(language if language in LANGUAGES else "en")
    try:
        yield
    finally:
        _speaking.reset(token)


def current() -> str:
    """The language the page is being drawn in."""
    return _speaking.get()


class Said:
    """A message said in the language of the page it is drawn on, not of the moment it was
    made: a form's refusals are made before the page's language is set (``render`` sets it).
    Its parameters are said then too: a date in the page's words, a ``Said`` or ``Words`` in
    its language."""

    def __init__(self, message: str, **parameters: object) -> None:
        self.message, self.parameters = message, parameters

    def __str__(self) -> str:
        text = gettext(self.message)
        if not self.parameters:
            return text
        return text % {name: _said(value) for name, value in self.parameters.items()}


def _said(value: object) -> str:
    """One parameter of a message in the page's language."""
    if isinstance(value, date):
        return say_date(value)
    if isinstance(value, CaseworkError):  # a refusal inside another ("line 7: ...")
        return str(refusal(value))
    if isinstance(value, Words):
        return gettext(value)
    if isinstance(value, Named):
        return named(value)
    if isinstance(value, Either):
        return (" neu " if _speaking.get() == "cy" else " or ").join(gettext(item) for item in value)
    if isinstance(value, Listed):
        return welsh.listed([_said(item) for item in value]) if _speaking.get() == "cy" else str(value)
    return str(value)


def refusal(error: CaseworkError) -> Said:
    """A refusal as a page says it: in the page's language where its message is in the
    catalog (``models.messages``), else in the English the command line says."""
    return Said(error.message or str(error), **error.parameters)


def named(name: str) -> str:
    """A thing's name inside a sentence ("warning notice") in the page's language: the
    catalog's own entry for it, else its entry for the name as a title ("Warning notice"),
    lower-cased; the name as it is where the catalog has neither."""
    said = gettext(name)
    if said != name:
        return said
    title = name[:1].upper() + name[1:]
    as_title = gettext(title)
    return as_title[:1].lower() + as_title[1:] if as_title != title else name


def gettext(message: str) -> str:
    """``message`` in the page's language (itself where the catalog has no translation)."""
    return catalog(_speaking.get()).gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message by ``count``, in the page's language."""
    return catalog(_speaking.get()).ngettext(singular, plural, count)


# How the pages write a date, by style: (strftime for English, CLDR pattern for Babel).
DATE_STYLES = {
    "long": ("%-d %B %Y", "d MMMM y"),  # 5 October 2026
    "short": ("%-d %b %Y", "d MMM y"),  # 5 Oct 2026
    "day_month": ("%-d %b", "d MMM"),  # 5 Oct
    "axis": ("%-d %b %y", "d MMM yy"),  # 5 Oct 26
    "time": ("%-d %B %Y %H:%M", "d MMMM y HH:mm"),  # 5 October 2026 14:05
}


def say_date(value: date, style: str = "long") -> str:
    """``{{ d.due | day }}``: a date as the page's language writes it ("5 October 2026",
    "5 Hydref 2026"). English by ``strftime``, so an English page pays nothing for Babel."""
    english, pattern = DATE_STYLES[style]
    language = _speaking.get()
    if language == "en":
        return value.strftime(english)
    from babel.dates import format_date, format_datetime

    if isinstance(value, datetime):
        return format_datetime(value, pattern, locale=language)
    return format_date(value, pattern, locale=language)
