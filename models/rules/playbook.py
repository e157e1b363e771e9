"""Playbooks: the intervention lifecycle as data, and the pure rules that interpret it.

A playbook (``config/playbooks/NAME.toml``) declares the stages of a case and, for each
action, the stages it is open from, the stage it leads to, who may take it, which schools
it applies to, the fields it requires, the guards that must hold, and its effects (records
to write, deadlines to set or close, documents to produce). The code knows no stage or
action by name: what it branches on is the closed vocabularies below (``FieldType``,
``Guard``, ``RecordType``, ``SchoolScope``), each checked when the file loads, so a typo
is refused with the file, the line and the reason instead of surfacing mid-case.

A ``Playbook`` is frozen and shared; a case holds only its position (name, version,
stage). ``Playbook.step`` decides whether an action may happen and returns what must
change; it never touches the database (``models.services.cases`` applies the step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from models.errors import GuardFailed, IllegalAction, NotPermitted
from models.messages import N_, Words
from models.rules.fields import FieldSpec, FieldType, parse_fields
from models.rules.guards import FIELD_GUARDS, CaseFacts, Guard, check_guard
from models.rules.notice import NoticeRules
from models.rules.text import day_in_words
from models.rules.words import Listed, listed
from models.vocab import Basis, Jurisdiction, Role, SchoolType

__all__ = [
    "DOCUMENT_KINDS",
    "LETTER_KINDS",
    "ActionSpec",
    "CaseFacts",
    "DeadlineSpec",
    "EscalationRule",
    "FieldSpec",
    "FieldType",
    "Guard",
    "Playbook",
    "RecordSpec",
    "RecordType",
    "SchoolScope",
    "Step",
    "Trigger",
]

DOCUMENT_KINDS = (
    "category_letter",
    "causing_concern_notification",
    "concern_letter",
    "warning_notice",
    "warning_notice_withdrawal",
    "notice_of_intention",
    "statement_of_action",
    "tig_agenda",
    "tig_minutes",
    "progress_review_report",
    "note_of_visit",
    "exit_letter",
)

# The documents sent to someone outside the authority: each is made as a draft and issued
# (DocumentStatus); the others (agendas, minutes, notes of visit, review reports) are kept on
# the case as made.
LETTER_KINDS = frozenset({"category_letter", "causing_concern_notification", "concern_letter", "warning_notice",
                          "warning_notice_withdrawal", "notice_of_intention", "statement_of_action", "exit_letter"})

# The deadlines the half-term plan sets from a playbook's [cadence] (see models.services.planning).
CADENCE_DEADLINES = frozenset({"progress_review_due", "ip_progress_report_due", "monitoring_visit_due", "tig_meeting_due"})

# The statutory contents of a warning notice: an action recording one must capture them.
NOTICE_FIELDS = ("grounds", "reasons", "required_action", "compliance_days", "minded_to")


class RecordType(StrEnum):
    """The domain record an action writes besides moving the stage."""

    CONCERN = "concern"
    CLASSIFICATION = "classification"
    PRIORITY = "priority"
    MEETING = "meeting"
    WARNING_NOTICE = "warning_notice"
    NOTICE_OUTCOME = "notice_outcome"
    STATEMENT_OF_ACTION = "statement_of_action"
    TRUST = "trust"


# What each record needs from its action: the fields it reads, and the options the playbook
# must give it (``record = [{ type = "meeting", kind = "tig" }]``); checked when a playbook loads.
RECORD_FIELDS: Mapping[RecordType, tuple[str, ...]] = {
    RecordType.CONCERN: ("source", "detail"),
    RecordType.PRIORITY: ("title", "success_criteria"),
    RecordType.STATEMENT_OF_ACTION: ("target_removal_on", "summary"),
    RecordType.WARNING_NOTICE: NOTICE_FIELDS,
    RecordType.TRUST: ("trust", "trust_address"),
}
RECORD_OPTIONS: Mapping[RecordType, tuple[str, ...]] = {
    RecordType.MEETING: ("kind",),
    RecordType.NOTICE_OUTCOME: ("outcome",),
}


class SchoolScope(StrEnum):
    ANY = "any"
    MAINTAINED = "maintained"  # the LA's powers reach only maintained schools
    ACADEMY = "academy"  # academies and free schools: the Regional Director acts

    def admits(self, school_type: SchoolType) -> bool:
        if self is SchoolScope.ANY:
            return True
        return school_type.is_maintained == (self is SchoolScope.MAINTAINED)


@dataclass(frozen=True)
class DeadlineSpec:
    """A deadline an action sets: ``amount`` days (of ``basis``) or months after the action's
    date, or after another deadline the same action sets (``after``)."""

    kind: str
    basis: Basis
    amount: int | None = None
    amount_field: str | None = None
    months: int | None = None
    after: str | None = None
    schools: SchoolScope = SchoolScope.ANY
    from_field: str | None = None  # counted from this date field of the action instead of its date
    only_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # set only when each field has one of these values
    # The rule's time in force: set only when the day it counts from is on or after
    # ``in_force_from`` and before ``in_force_before`` (a period the law changed).
    in_force_from: date | None = None
    in_force_before: date | None = None

    def applies(self, school_type: SchoolType, fields: Mapping[str, Any]) -> bool:
        return self.schools.admits(school_type) and all(str(fields.get(k)) in v for k, v in self.only_when.items())

    def in_force(self, start: date) -> bool:
        return (self.in_force_from is None or start >= self.in_force_from) and (self.in_force_before is None or start < self.in_force_before)


@dataclass(frozen=True)
class RecordSpec:
    type: RecordType
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    title: str
    from_stages: frozenset[str]
    to_stage: str | None
    roles: frozenset[Role]
    schools: SchoolScope
    fields: tuple[FieldSpec, ...]
    guards: tuple[Guard, ...]
    deadlines: tuple[DeadlineSpec, ...]
    completes: tuple[str, ...]
    cancels: tuple[str, ...]
    records: tuple[RecordSpec, ...]
    documents: tuple[str, ...]
    refusal: str = ""
    power: str | None = None  # the statutory power the action uses (a key of [notice.powers])
    watch_months: int | None = None  # closing with it watches the school for this long after exit
    ends_watch: bool = False  # the watch after exit ends with this action

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.required]


@dataclass(frozen=True)
class Cadence:
    """The recurring duties of an open case under intervention (DOMAIN "Time").

    Some LAs review a school as often as its classification asks: RAG judgements
    half-termly for red support and termly for amber (002:L592). ``scheme`` names the
    classification that chooses, and ``variants`` the cadence for each of its values (a
    school without one, or with another value, keeps this cadence).
    """

    stages: frozenset[str]
    tig_meetings_per_term: int
    reviews_per_half_term: int
    visits_per_half_term: int
    ip_report_days_before_review: int
    reviews_per_term: int = 0  # spread over the term instead of each half-term when above 0
    visits_per_term: int = 0  # likewise for the IP's visits (a school on a watching brief is visited termly)
    meetings: str = "Targeted Intervention Group meetings"  # what the LA calls the meetings counted per term
    scheme: str | None = None
    variants: tuple[tuple[str, Cadence], ...] = ()
    # Stages whose entry plans the rest of the half-term at once (a case entering intervention
    # is reviewed and visited from that day, not from the next half-term's start).
    plan_on_entry: frozenset[str] = frozenset()

    @property
    def monitoring(self) -> str:
        """How progress is monitored, in words a letter to the school can use."""
        reviews = "half-termly progress reviews" if self.reviews_per_half_term and not self.variants else "progress reviews"
        parts = ["improvement partner visits"] if self.visits_per_half_term or self.visits_per_term else []
        parts.append(reviews)
        if self.tig_meetings_per_term:
            parts.append(f"{self.meetings}, which the head teacher and the chair of governors attend")
        return listed(parts)

    def for_classification(self, value: str | None) -> Cadence:
        """The cadence of a school classified ``value`` under ``scheme``."""
        return dict(self.variants).get(value or "", self)


class Trigger(StrEnum):
    """What makes an escalation rule fire, checked by the daily deadline sweep."""

    DEADLINE_OVERDUE = "deadline_overdue"  # a live deadline of the named kind is past due
    DEADLINE_WITHIN = "deadline_within"  # a live deadline falls within N working days
    TERMS_WITHOUT_IMPROVEMENT = "terms_without_improvement"  # N terms since reviews last improved


@dataclass(frozen=True)
class EscalationRule:
    """Who must be told when progress stalls or a statutory clock runs out (``[[escalations]]``)."""

    name: str
    when: Trigger
    to: tuple[Role, ...]
    message: str
    deadline: str | None = None
    working_days: int = 0
    terms: int = 0
    stages: frozenset[str] = frozenset()  # empty: every open stage


@dataclass(frozen=True)
class Step:
    """A decided action: what the caller must write."""

    action: ActionSpec
    from_stage: str
    to_stage: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class Playbook:
    name: str
    version: str
    title: str
    jurisdiction: Jurisdiction
    initial_stage: str
    stages: Mapping[str, str]  # name -> title
    closed_stages: frozenset[str]
    actions: Mapping[str, ActionSpec]
    notice: NoticeRules | None
    cadence: Cadence | None
    source: str
    sha256: str  # of ``text``
    text: str  # the playbook as a case pins it: the file, or for one that extends another the resolved TOML
    escalations: tuple[EscalationRule, ...] = ()
    migrations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # old version -> {old stage: new stage}
    glossary: Mapping[str, str] = field(default_factory=dict)  # word of an internal name -> as people write it

    def _check_notice(self, on: date, fields: Mapping[str, Any]) -> None:
        """A notice's section is in force on its date, its grounds are the section's, and its
        compliance period is the one its regime fixes, if any."""
        assert self.notice is not None
        section = self.notice.section(fields.get("section"))
        self.notice.check_notice(section, fields.get("grounds", []), on)
        regime = self.notice.regime_on(on, section.name)
        days = fields.get("compliance_days")
        if regime.fixed_compliance_days is not None and days != regime.fixed_compliance_days:
            raise GuardFailed(
                N_("a notice given on %(on)s falls under '%(regime)s': the compliance period is fixed at %(days)s working days; give "
                   "compliance_days %(days)s"),
                field="compliance_days",
                words=N_("A notice given on %(day)s has a compliance period fixed at %(days)s working days"),
                on=on, regime=Words(regime.label), days=regime.fixed_compliance_days, day=day_in_words(on),
            )

    def _check_powers(self, spec: ActionSpec, fields: Mapping[str, Any], facts: CaseFacts) -> None:
        """A power is used, or proposed in a notice of intention, only where the route that made
        the school eligible allows it (after a section 60A notice, not section 63)."""
        assert self.notice is not None
        wanted = ([spec.power] if spec.power else []) + [p for p in fields.get("powers") or [] if p in self.notice.powers]
        if not wanted:
            return
        available = self.notice.powers_after(facts.failed_notice_section, facts.has_inspection_category)
        barred = [p for p in wanted if p not in available]
        if barred:
            raise GuardFailed(N_("case %(case)s: the power %(powers)s is not available by the route that made the school eligible for "
                                 "intervention; available: %(available)s"), field="powers",
                              words=N_("The power %(powers)s is not open by the route that made the school eligible for intervention"),
                              case=facts.case_id, powers=Listed(self.notice.powers[p] for p in barred),
                              available=", ".join(sorted(available)) or Words(N_("none")))

    def blocked(self, spec: ActionSpec, facts: CaseFacts) -> GuardFailed | None:
        """Why an action open from the stage cannot be taken now, before any field is given
        (the guards that judge no field, and the route to a power), as the refusal taking it
        would meet; None when it can."""
        try:
            for guard in spec.guards:
                if guard not in FIELD_GUARDS:
                    check_guard(guard, facts, {})
            if self.notice is not None and spec.power:
                self._check_powers(spec, {}, facts)
        except GuardFailed as refusal:
            return refusal
        return None

    def meets(self, stage: str, school_type: SchoolType, kind: str) -> str | None:
        """The first action open from ``stage`` that meets a deadline of ``kind``, if any."""
        return next((a.name for a in self.allowed(stage, school_type) if kind in a.completes), None)

    def is_closed(self, stage: str) -> bool:
        return stage in self.closed_stages

    def allowed(self, stage: str, school_type: SchoolType) -> list[ActionSpec]:
        """Actions open from ``stage`` for this type of school, in file order."""
        return [
            a for a in self.actions.values() if stage in a.from_stages and a.schools.admits(school_type)
        ]

    def step(self, stage: str, action: str, raw: Mapping[str, str], facts: CaseFacts, role: Role) -> Step:
        """Decide an action, or raise the error that says why not and what is allowed."""
        spec = self.actions.get(action)
        allowed = self.allowed(stage, facts.school_type)
        if spec is None or stage not in spec.from_stages:
            raise IllegalAction(facts.case_id, stage, action, [a.name for a in allowed])
        if not spec.schools.admits(facts.school_type):
            if spec.refusal:
                raise GuardFailed(N_("case %(case)s: the school is %(type)s: %(refusal)s"), case=facts.case_id,
                                  type=facts.school_type.value.replace("_", " "), refusal=Words(spec.refusal))
            raise GuardFailed(N_("case %(case)s: the school is %(type)s: '%(action)s' applies only to %(schools)s schools"),
                              case=facts.case_id, type=facts.school_type.value.replace("_", " "), action=action, schools=spec.schools)
        if role not in spec.roles:
            raise NotPermitted(N_("'%(action)s' may be taken by %(roles)s; the person acting is %(role)s: ask someone in one of those roles"),
                               action=action, roles=", ".join(sorted(spec.roles)), role=role)
        fields = parse_fields(spec.name, spec.fields, raw)
        for guard in spec.guards:
            check_guard(guard, facts, fields)
        if self.notice is not None:
            if any(r.type is RecordType.WARNING_NOTICE for r in spec.records):
                self._check_notice(facts.on, fields)
            self._check_powers(spec, fields, facts)
        return Step(action=spec, from_stage=stage, to_stage=spec.to_stage or stage, fields=fields)


