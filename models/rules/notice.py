"""The statutory warning notice as a playbook declares it: sections, grounds, powers, copies, regimes.

The code knows no section by name: England's ss60/60A and Wales's s3 are data in the
playbooks' ``[notice]`` tables, each rule cited there. What this module decides:

- a notice may be given only once its section is in force, and rests only on its grounds;
- the regime in force on the day of the notice (England before and after 18 April 2016);
- who is copied, by the school's type, its religious character and the notice's date;
- which powers become available after an unheeded notice, or through an inspection category.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from models.errors import GuardFailed, InvalidInput
from models.messages import N_
from models.rules.calendar import long_date
from models.rules.text import written_as
from models.vocab import SchoolType

__all__ = ["STATUTORY_NAMES", "CopyRule", "CopyWhen", "NoticeRegime", "NoticeRules", "NoticeSection", "diocesan_authority", "is_diocesan"]

# The denominations whose schools are copied to "the appropriate diocesan authority" under
# EIA 2006 s60(6)(b); any other foundation or voluntary school is copied to whoever
# appoints its foundation governors (s60(6)(c)).
DIOCESAN = ("church of england", "roman catholic")


# Where a school's record names no body, a letter addresses it as the statute describes it
# (EIA 2006 s60(6); SSO(W)A 2013 s3(3); EA 2005 s15), never with an invented name.
STATUTORY_NAMES = {
    "head": "The Head Teacher",
    "diocese": "The appropriate diocesan authority",
    "foundation_appointer": "The person who appoints the foundation governors",
    "religious_body": "The appropriate religious body",
}


def is_diocesan(religious_character: str | None) -> bool:
    """A Church of England or Roman Catholic school, as GIAS names them (joint ones included)."""
    text = (religious_character or "").lower()
    return any(name in text for name in DIOCESAN)


def diocesan_authority(diocese: str | None, religious_character: str | None) -> str | None:
    """The appropriate diocesan authority by the body's name, not the diocese's: for a Church
    of England (or Church in Wales) school the Diocesan Board of Education for its diocese,
    for a Roman Catholic school the bishop of its diocese (SSFA 1998 s142(1), "appropriate
    diocesan authority"). None where the school has no diocese on record or another
    religious character: the copy then needs the body named (see ``STATUTORY_NAMES``)."""
    if not diocese:
        return None
    text = (religious_character or "").lower()
    if "church of england" in text or "church in wales" in text:
        return f"The Diocesan Board of Education for the {diocese}"
    if "roman catholic" in text:
        see = "Archbishop" if diocese.lower().startswith("archdiocese") else "Bishop"
        return f"The {see} of the {diocese}"
    return None


def has_religious_character(religious_character: str | None) -> bool:
    return (religious_character or "").strip().lower() not in ("", "none", "does not apply")


class CopyWhen(StrEnum):
    """Which schools a copy rule applies to."""

    ALWAYS = "always"
    FOUNDATION_OR_VOLUNTARY = "foundation_or_voluntary"
    CHURCH_OF_ENGLAND_OR_ROMAN_CATHOLIC = "church_of_england_or_roman_catholic"
    OTHER_FOUNDATION_OR_VOLUNTARY = "other_foundation_or_voluntary"
    FOUNDATION_OR_VOLUNTARY_WITH_RELIGIOUS_CHARACTER = "foundation_or_voluntary_with_religious_character"

    def admits(self, school_type: SchoolType, religious_character: str | None) -> bool:
        founded = school_type.has_foundation_governors
        if self is CopyWhen.ALWAYS:
            return True
        if self is CopyWhen.FOUNDATION_OR_VOLUNTARY:
            return founded
        if self is CopyWhen.CHURCH_OF_ENGLAND_OR_ROMAN_CATHOLIC:
            return founded and is_diocesan(religious_character)
        if self is CopyWhen.OTHER_FOUNDATION_OR_VOLUNTARY:
            return founded and not is_diocesan(religious_character)
        return founded and has_religious_character(religious_character)


@dataclass(frozen=True)
class CopyRule:
    role: str
    when: CopyWhen = CopyWhen.ALWAYS
    starts: date | None = None  # the rule applies to notices given on or after this day
    until: date | None = None  # … and on or before this one

    def applies(self, school_type: SchoolType, religious_character: str | None, on: date) -> bool:
        in_time = (self.starts is None or self.starts <= on) and (self.until is None or on <= self.until)
        return in_time and self.when.admits(school_type, religious_character)


@dataclass(frozen=True)
class NoticeRegime:
    starts: date
    label: str
    fixed_compliance_days: int | None = None
    paragraph: str = ""  # printed in the notice; may use {initial_period_end} and {authority}
    sections: tuple[str, ...] = ()  # the sections it governs; none named: every section

    def governs(self, section: str | None) -> bool:
        return not self.sections or section in self.sections


@dataclass(frozen=True)
class NoticeSection:
    name: str  # the key a user gives: s60, s60A, s3
    title: str  # as a letter says it: "section 60"
    in_force: date
    grounds: tuple[str, ...]
    powers: tuple[str, ...]
    powers_text: str  # what the authority may use if the notice is not complied with


@dataclass(frozen=True)
class NoticeRules:
    """What the statute says about the jurisdiction's warning notice."""

    act: str
    sections: Mapping[str, NoticeSection]
    grounds: Mapping[str, str]
    powers: Mapping[str, str]
    copies: tuple[CopyRule, ...]
    regimes: tuple[NoticeRegime, ...]
    # What follows an unheeded notice, in the statute's order; may use {minded_to} and {powers_text}.
    # The notice of intention's closing sentence after an unheeded notice, and its opening where
    # an inspection category (not a notice) is the route; the latter may use {school}.
    after_intention: str = "With this notice, the school is eligible for intervention."
    by_category: str = "{school} is eligible for intervention because of its inspection category"
    after_failure: str = ("If the governing body fails to comply, or to secure compliance, with this notice to the "
                          "authority's satisfaction within the compliance period, the authority is minded to {minded_to}, "
                          "and may use {powers_text}.")
    # The same wording in other languages (``[notice.cy]`` of a playbook): for each language,
    # any of act, after_failure, after_intention, by_category, and tables of grounds, powers and
    # sections (each section's title and powers_text); what a language does not give stays English.
    translations: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def in_language(self, language: str) -> NoticeRules:
        """The rules with their wording in ``language`` where the playbook gives it."""
        words = self.translations.get(language)
        if not words:
            return self
        sections = words.get("sections") or {}
        assert isinstance(sections, Mapping)
        grounds, powers = words.get("grounds") or {}, words.get("powers") or {}
        assert isinstance(grounds, Mapping) and isinstance(powers, Mapping)
        return replace(
            self, act=str(words.get("act", self.act)), after_failure=str(words.get("after_failure", self.after_failure)),
            after_intention=str(words.get("after_intention", self.after_intention)),
            by_category=str(words.get("by_category", self.by_category)),
            grounds={**self.grounds, **grounds}, powers={**self.powers, **powers},
            sections={name: replace(section, **dict(sections.get(name) or {})) for name, section in self.sections.items()},
        )

    def section(self, name: str | None) -> NoticeSection:
        if name is None:
            return next(iter(self.sections.values()))
        try:
            return self.sections[name]
        except KeyError:
            raise InvalidInput(N_("section must be one of %(sections)s"), sections=", ".join(self.sections)) from None

    def check_notice(self, section: NoticeSection, grounds: Sequence[str], on: date) -> None:
        """A notice is given only under a section in force, and rests only on that section's grounds."""
        if on < section.in_force:
            raise GuardFailed(N_("a warning notice under %(section)s of the %(act)s can be given only from %(start)s; this one is dated "
                                 "%(on)s"), section=section.title, act=self.act, start=written_as(section.in_force, long_date),
                              on=written_as(on, long_date))
        wrong = [g for g in grounds if g not in section.grounds]
        if wrong:
            raise InvalidInput(N_("a notice under %(section)s cannot rest on %(wrong)s: its grounds are %(grounds)s"), section=section.title,
                               wrong=", ".join(wrong), grounds=", ".join(section.grounds))

    def regime_on(self, day: date, section: str | None = None) -> NoticeRegime:
        """The regime in force on ``day`` for a notice under ``section``: before 18 April 2016 an
        English section 60 notice went to the Chief Inspector on representations, a section 60A
        notice to the authority itself (each regime names the sections it governs)."""
        current = [r for r in self.regimes if r.starts <= day and r.governs(section)]
        if not current:
            raise GuardFailed(N_("no warning notice could be given on %(on)s: the first regime starts %(start)s"),
                              on=written_as(day, long_date), start=written_as(self.regimes[0].starts, long_date))
        return current[-1]

    def copy_roles(self, school_type: SchoolType, religious_character: str | None, on: date) -> list[str]:
        """The bodies copied on a notice given on ``on``, in the statute's order, each once."""
        roles: list[str] = []
        for rule in self.copies:
            if rule.applies(school_type, religious_character, on) and rule.role not in roles:
                roles.append(rule.role)
        return roles

    def powers_after(self, failed_section: str | None, in_category: bool) -> frozenset[str]:
        """The powers open to the authority: every power for a school in an inspection
        category; a notice's own powers after it was not complied with; none otherwise."""
        if in_category:
            return frozenset(self.powers)
        if failed_section is not None and failed_section in self.sections:
            return frozenset(self.sections[failed_section].powers)
        return frozenset()
