"""What a text typed by a user may hold: a length the database can keep on both back ends,
and no control characters a letter (XML), an email header or a terminal cannot carry.

A name or any one-line field holds no invisible character that changes how text around it
is read: no line or paragraph separator (U+2028, U+2029: an email header would break on
it), no bidirectional control (which can show "evil.exe" as "exe.live") and no zero-width
character (which makes two names that look alike differ). Long text (reasons, evidence)
may keep the separators, the zero-width joiners some scripts need and the left-to-right and
right-to-left marks, but never a bidirectional override or isolate."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from models.errors import InvalidInput
from models.messages import N_

__all__ = ["LONG_TEXT", "NAME_LENGTH", "checked_text", "day_in_words", "header_safe", "in_words", "parse_day", "parse_whole", "valid_email",
           "written_as"]

NAME_LENGTH = 200  # names of people, schools and bodies (the columns hold 200)
LONG_TEXT = 20_000  # reasons, evidence, notes: a few pages

# C0 and C1 controls, DEL and the lone surrogates; a line break and a tab are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAK = re.compile(r"[\r\n\t]")
_OVERRIDE = "\u202a-\u202e\u2066-\u2069"  # bidirectional embeddings, overrides and isolates
_INVISIBLE = re.compile(f"[{_OVERRIDE}\u061c\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff\u180e]")
_REORDERING = re.compile(f"[{_OVERRIDE}]")
_SEPARATOR = re.compile("[\r\n\t\u2028\u2029]")


def checked_text(value: str, field: str, *, limit: int = NAME_LENGTH, lines: bool = False) -> str:
    """The value stripped, or the one line saying why it cannot be kept."""
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(N_("%(what)s is %(length)s characters long: at most %(limit)s"), what=field, length=f"{len(text):,}",
                           limit=f"{limit:,}")
    if _CONTROL.search(text) or (not lines and _BREAK.search(text)):
        if lines:
            raise InvalidInput(N_("%(what)s contains a control character: remove it"), what=field)
        raise InvalidInput(N_("%(what)s contains a control character or a line break: remove it"), what=field)
    hidden = (_REORDERING if lines else _INVISIBLE).search(text)
    if hidden:
        raise InvalidInput(N_("%(what)s contains an invisible character (%(character)s) that changes how the text reads: "
                              "type it again without it"), what=field, character=f"U+{ord(hidden.group()):04X}")
    return text


def header_safe(value: str) -> str:
    """A value fit for one line of an email header: controls, breaks and invisible characters
    removed, whatever was stored before they were refused."""
    spaced = _SEPARATOR.sub(" ", value)  # a break between two words leaves a space
    return " ".join(_INVISIBLE.sub("", _CONTROL.sub("", spaced)).split())


# Dates a user gives: written as ISO (2026-11-30) and within the window an intervention can
# span; a typo like 0001-01-01 or 9999-12-30 is refused rather than counted from.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# Whole numbers a user gives (days, case numbers): at most this, so nothing overflows.
LARGEST = 1_000_000
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"-?[0-9]{1,9}")


def parse_day(value: str, what: str) -> date:
    """A date written YYYY-MM-DD between 1990 and 2100, or the one line saying why not."""
    text = value.strip()
    not_a_date = InvalidInput(N_("%(what)s must be a date like 2026-11-30, not '%(value)s'"), what=what, value=value)
    if not _ISO_DAY.fullmatch(text):
        raise not_a_date
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise not_a_date from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(N_("%(what)s must fall between %(first)s and %(last)s, not %(value)s"), what=what,
                           first=FIRST_YEAR, last=LAST_YEAR, value=day.isoformat())
    return day


def parse_whole(value: str, what: str, *, minimum: int | None = None, maximum: int = LARGEST) -> int:
    """A whole number in plain digits (no '1_5', no other scripts' digits) within its range."""
    text = value.strip()
    if not _WHOLE.fullmatch(text):
        raise InvalidInput(N_("%(what)s must be a whole number, not '%(value)s'"), what=what, value=value)
    number = int(text)
    if minimum is not None and number < minimum:
        raise InvalidInput(N_("%(what)s must be at least %(limit)s, not %(value)s"), what=what, limit=minimum, value=number)
    if number > maximum:
        raise InvalidInput(N_("%(what)s must be at most %(limit)s, not %(value)s"), what=what, limit=f"{maximum:,}",
                           value=f"{number:,}")
    return number


@lru_cache(maxsize=4096)  # the daily sweep says the same few dozen days in thousands of emails
def in_words(day: date, language: str = "en") -> str:
    """A date as a letter, an email or a page writes it: Friday 18 December 2026; in Welsh
    (``cy``, by CLDR's Welsh names through Babel) Dydd Gwener 18 Rhagfyr 2026."""
    if language == "cy":
        from babel.dates import format_date  # 26 ms of import: only a Welsh letter or email pays it

        return format_date(day, "EEEE d MMMM y", locale="cy")
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


class _Written(date):
    """A date a refusal writes its own way in English, as it was always written there; a page
    says it in its own language (``web.language.Said`` takes it as the date it is)."""

    how: Callable[[date], str]

    def __str__(self) -> str:
        return self.how(date(self.year, self.month, self.day))


def written_as(day: date, how: Callable[[date], str]) -> date:
    """``day`` as a refusal's parameter, written in English by ``how`` (an ISO date otherwise)."""
    made = _Written(day.year, day.month, day.day)
    made.how = how
    return made


def day_in_words(day: date) -> date:
    """``day`` as a refusal's parameter, written "Friday 25 September 2026" in English."""
    return written_as(day, in_words)


def valid_email(email: str) -> str:
    """An address a mail server will take (checked by email-validator, no DNS lookup),
    lower-cased; a name with a line break or a quote trick never reaches a header."""
    text = email.strip()
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(N_("%(value)s is not an email address (%(reason)s): give one like name@example.org"),
                           value=repr(text[:100]), reason=exc) from None
