"""Welsh words a letter needs beyond its template's text: the soft mutation a word takes after
"o" (of), "i" (to), "ei" (his/its) and the like ("o Ddeddf", "i Gyngor"), which a template
cannot write by hand where the word is data (an Act's title, an authority's name).

Pure: no I/O. The rules are those of the standard grammar (Gramadeg y Gymraeg): c→g, p→b,
t→d, g→(dropped), b→f, d→dd, ll→l, m→f, rh→r.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

__all__ = ["BASIS_WORDS", "explained", "listed", "short_date", "skip_reason", "soft_mutation"]

# Longest first: "ll" and "rh" before "l" and "r" (which do not mutate).
_SOFT = (("Ll", "L"), ("ll", "l"), ("Rh", "R"), ("rh", "r"), ("C", "G"), ("c", "g"), ("P", "B"), ("p", "b"),
         ("T", "D"), ("t", "d"), ("G", ""), ("g", ""), ("B", "F"), ("b", "f"), ("D", "Dd"), ("d", "dd"), ("M", "F"), ("m", "f"))


def listed(items: Sequence[str]) -> str:
    """Items as a Welsh sentence lists them: "a", "a a b", "a, b a c"; "ac" before a vowel
    ("Cyngor Sir Glanmor ac Abertawe")."""
    if len(items) < 2:
        return "".join(items)
    last = items[-1]
    return ", ".join(items[:-1]) + (" ac " if last[:1].lower() in "aeiouwyâêîôûŵŷ" else " a ") + last


def soft_mutation(word: str) -> str:
    """The word with its first consonant softened: Deddf → Ddeddf, Cyngor → Gyngor,
    Gweinidogion → Weinidogion (a capital kept capital)."""
    for radical, mutated in _SOFT:
        if word.startswith(radical):
            rest = word[len(radical):]
            if radical in ("G", "g") and rest:  # the dropped g leaves the next letter to carry the capital
                return (rest[0].upper() if radical == "G" else rest[0]) + rest[1:]
            return mutated + rest
    return word


# Each basis of counting as a Welsh explanation names its days.
BASIS_WORDS = {"calendar": "diwrnod calendr", "working": "diwrnod gwaith", "school": "diwrnod ysgol",
               "inspection": "diwrnod gwaith (arolygu)"}
_WEEKDAYS = {"Monday": "dydd Llun", "Tuesday": "dydd Mawrth", "Wednesday": "dydd Mercher", "Thursday": "dydd Iau",
             "Friday": "dydd Gwener", "Saturday": "dydd Sadwrn", "Sunday": "dydd Sul"}
_BANK_HOLIDAYS = {"New Year's Day": "Dydd Calan", "Good Friday": "Dydd Gwener y Groglith", "Easter Monday": "Dydd Llun y Pasg",
                  "May Day": "Gŵyl Banc Calan Mai", "Spring Bank Holiday": "Gŵyl Banc y Gwanwyn",
                  "Late Summer Bank Holiday": "Gŵyl Banc yr Haf", "Christmas Day": "Dydd Nadolig", "Boxing Day": "Gŵyl San Steffan"}
_TERMS = {"Autumn": "Hydref", "Spring": "Gwanwyn", "Summer": "Haf"}


_ORDINALS = {1: "1af", 2: "2il", 3: "3ydd", 4: "4ydd", 5: "5ed", 6: "6ed"}
# The planned duties as a Welsh explanation counts them: a noun after a number stays singular.
DUTY_WORDS = {"progress reviews": "adolygiad cynnydd", "IP monitoring visits": "ymweliad monitro'r IP",
              "TIG meetings": "cyfarfod y TIG"}
_IN_THE_TERM = {"Autumn": "yn nhymor yr Hydref", "Spring": "yn nhymor y Gwanwyn", "Summer": "yn nhymor yr Haf"}


def ordinal(n: int) -> str:
    """1af, 2il, 3ydd … as a Welsh explanation numbers a duty of several."""
    return _ORDINALS.get(n, f"{n}fed")


def term_name(name: str) -> str:
    """A term or half-term of the calendar in Welsh: "Autumn 1" is "Hydref 1"."""
    first, _, rest = name.partition(" ")
    return f"{_TERMS.get(first, first)} {rest}".strip()


def in_the_term(name: str) -> str:
    """"in the Autumn term" in Welsh: "yn nhymor yr Hydref" (tymor mutated after yn)."""
    return _IN_THE_TERM.get(name, f"yn nhymor {term_name(name)}")


def counted(n: int, noun: str) -> str:
    """A number of things in Welsh: the noun stays singular, softened after two ("2 gyfarfod")."""
    return f"{n} {soft_mutation(noun) if n == 2 else noun}"


def short_date(day: date) -> str:
    """How a Welsh explanation writes a date: Maw 5 Ion 2027 (2027-01-05)."""
    from babel.dates import format_date  # only a Welsh explanation pays Babel's import

    return f"{format_date(day, 'EEE d MMM y', locale='cy')} ({day.isoformat()})"


def skip_reason(reason: str) -> str:
    """Why a day was not counted, in Welsh: the calendar's reasons (a weekend day, a bank
    holiday by its name, a half-term or closure day of a term, a school holiday)."""
    if reason in _WEEKDAYS:
        return _WEEKDAYS[reason]
    if reason.startswith("bank holiday: "):
        name = reason.removeprefix("bank holiday: ")
        observed = name.endswith(" (observed)")
        name = name.removesuffix(" (observed)")
        return f"gŵyl banc: {_BANK_HOLIDAYS.get(name, name)}" + (" (diwrnod yn ei lle)" if observed else "")
    for english, welsh in (("half-term (", "hanner tymor ("), ("closure day (", "diwrnod cau (")):
        if reason.startswith(english) and reason.endswith(")"):
            term = reason[len(english):-1]
            return f"{welsh}{_TERMS.get(term, term)})"
    if reason == "school holiday longer than a week":
        return "gwyliau ysgol hwy nag wythnos"
    if reason == "school holiday":
        return "gwyliau ysgol"
    if reason.startswith("before the first term on record (until "):
        return f"cyn y tymor cyntaf ar gofnod (tan {reason.removeprefix('before the first term on record (until ').rstrip(')')})"
    return reason


def explained(n: int, basis: str, start: date, due: date, calendar: str, skipped: list[tuple[date, str]]) -> str:
    """How a date was counted, in Welsh: the same count as the English explanation says."""
    days = BASIS_WORDS[basis]
    if n == 0:
        return f"0 {days} ar ôl {short_date(start)} yw'r un diwrnod"
    text = f"{n} {days} ar ôl {short_date(start)}, gan gyfrif o'r diwrnod wedyn, yw {short_date(due)} (calendr '{calendar}')"
    if skipped:
        return text + "; hepgorwyd: " + ", ".join(f"{short_date(day)} {skip_reason(reason)}" for day, reason in skipped)
    return text + "; ni hepgorwyd yr un diwrnod"
