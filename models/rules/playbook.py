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

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from models.errors import GuardFailed, IllegalAction, InvalidInput, MissingField, NotPermitted, PlaybookError
from models.rules.toml_text import line_of, parse_toml
from models.vocab import Basis, Jurisdiction, Rag, Role, SchoolType

__all__ = [
    "DOCUMENT_KINDS",
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
    "parse_playbook",
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


# The deadlines the half-term plan sets from a playbook's [cadence] (see models.services.planning).
CADENCE_DEADLINES = frozenset({"progress_review_due", "ip_progress_report_due", "monitoring_visit_due", "tig_meeting_due"})

# The statutory contents of a warning notice: an action recording one must capture them.
NOTICE_FIELDS = ("grounds", "reasons", "required_action", "compliance_days", "minded_to")


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    CHOICE = "choice"  # one of options
    CHOICES = "choices"  # comma-separated, each one of options
    RAG = "rag"  # per priority: --set rag.1=green --set rag.2=red
    PER_PRIORITY = "per_priority"  # per priority text: --set reason.2="…"


class Guard(StrEnum):
    """Rules an action may require; each is checked against ``CaseFacts``."""

    NO_LIVE_WARNING_NOTICE = "no_live_warning_notice"
    LIVE_WARNING_NOTICE = "live_warning_notice"
    COMPLIANCE_PERIOD_ENDED = "compliance_period_ended"
    WITHIN_POWERS_WINDOW = "within_powers_window"
    HAS_INSPECTION_CATEGORY = "has_inspection_category"
    HAS_PRIORITIES = "has_priorities"
    RAG_COVERS_PRIORITIES = "rag_covers_priorities"
    RAG_EXPLAINED = "rag_explained"
    SUMMATIVE_MEETING_HELD = "summative_meeting_held"
    IMPROVEMENT_SECURED = "improvement_secured"


class RecordType(StrEnum):
    """The domain record an action writes besides moving the stage."""

    CONCERN = "concern"
    CLASSIFICATION = "classification"
    PRIORITY = "priority"
    MEETING = "meeting"
    WARNING_NOTICE = "warning_notice"
    NOTICE_OUTCOME = "notice_outcome"
    STATEMENT_OF_ACTION = "statement_of_action"


class SchoolScope(StrEnum):
    ANY = "any"
    MAINTAINED = "maintained"  # the LA's powers reach only maintained schools
    ACADEMY = "academy"  # academies and free schools: the Regional Director acts

    def admits(self, school_type: SchoolType) -> bool:
        if self is SchoolScope.ANY:
            return True
        return school_type.is_maintained == (self is SchoolScope.MAINTAINED)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    required: bool = True
    options: tuple[str, ...] = ()
    default: str | None = None
    help: str = ""
    minimum: int | None = None

    def describe(self) -> str:
        text = f"{self.name} ({self.type}"
        if self.options:
            text += ": " + "|".join(self.options)
        text += ")" if self.required else ", optional)"
        return text


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

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.required]


@dataclass(frozen=True)
class NoticeRegime:
    starts: date
    label: str
    fixed_compliance_days: int | None


@dataclass(frozen=True)
class CopyRule:
    role: str
    when: str  # always | foundation_or_voluntary | religious_character


@dataclass(frozen=True)
class NoticeRules:
    """What the statute says about the jurisdiction's warning notice."""

    act: str
    sections: tuple[str, ...]
    grounds: Mapping[str, str]
    copies: tuple[CopyRule, ...]
    regimes: tuple[NoticeRegime, ...]
    section_grounds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # section -> grounds it may rest on

    def check_grounds(self, section: str, grounds: Sequence[str]) -> None:
        """A notice under a section rests only on that section's grounds (s60A: pay and conditions)."""
        allowed = self.section_grounds.get(section)
        if allowed is None:
            return
        wrong = [g for g in grounds if g not in allowed]
        if wrong:
            raise InvalidInput(f"a {section} warning notice cannot rest on {', '.join(wrong)}: its grounds are "
                               f"{', '.join(allowed)} (--set grounds=...)")

    def regime_on(self, day: date) -> NoticeRegime:
        current = [r for r in self.regimes if r.starts <= day]
        if not current:
            raise InvalidInput(f"no warning-notice regime in force on {day.isoformat()}: check the date given with --on")
        return current[-1]

    def copy_roles(self, school_type: SchoolType, religious_character: bool) -> list[str]:
        roles = []
        for rule in self.copies:
            if (
                rule.when == "always"
                or (rule.when == "foundation_or_voluntary" and school_type.has_foundation_governors)
                or (rule.when == "religious_character" and religious_character)
            ):
                roles.append(rule.role)
        return roles


@dataclass(frozen=True)
class Cadence:
    """The recurring duties of an open case under intervention (DOMAIN "Time")."""

    stages: frozenset[str]
    tig_meetings_per_term: int
    reviews_per_half_term: int
    visits_per_half_term: int
    ip_report_days_before_review: int


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
class CaseFacts:
    """What the guards may look at: derived from the case's records by the caller."""

    case_id: int
    school_type: SchoolType
    on: date
    live_notice_compliance_end: date | None = None
    powers_window_end: date | None = None
    has_inspection_category: bool = False
    priority_numbers: frozenset[int] = frozenset()
    summative_meeting_held: bool = False
    latest_review: Mapping[int, Rag] | None = None


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
    sha256: str
    escalations: tuple[EscalationRule, ...] = ()

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
            message = spec.refusal or f"'{action}' applies only to {spec.schools} schools"
            raise GuardFailed(f"case {facts.case_id}: the school is {facts.school_type.value.replace('_', ' ')}: {message}")
        if role not in spec.roles:
            raise NotPermitted(
                f"'{action}' may be taken by {', '.join(sorted(spec.roles))}; the person acting is {role}: "
                "use --as with the email of someone in one of those roles"
            )
        fields = parse_fields(spec, raw)
        for guard in spec.guards:
            _check_guard(guard, facts, fields, spec)
        if spec.records and any(r.type is RecordType.WARNING_NOTICE for r in spec.records) and self.notice:
            regime = self.notice.regime_on(facts.on)
            days = fields.get("compliance_days")
            if regime.fixed_compliance_days is not None and days != regime.fixed_compliance_days:
                raise GuardFailed(
                    f"a notice given on {facts.on.isoformat()} falls under '{regime.label}': the compliance period "
                    f"is fixed at {regime.fixed_compliance_days} days; set compliance_days={regime.fixed_compliance_days}"
                )
            if fields.get("section") and fields["section"] not in self.notice.sections:
                raise InvalidInput(f"section must be one of {', '.join(self.notice.sections)}")
        return Step(action=spec, from_stage=stage, to_stage=spec.to_stage or stage, fields=fields)


# --------------------------------------------------------------------------- fields

_PER_PRIORITY_KEY = re.compile(r"^(?P<name>[a-z_]+)\.(?P<number>\d+)$")


def parse_fields(spec: ActionSpec, raw: Mapping[str, str]) -> dict[str, Any]:
    """Typed values from ``--set NAME=VALUE`` strings; unknown and missing names are refused."""
    known = {f.name: f for f in spec.fields}
    values: dict[str, Any] = {}
    grouped: dict[str, dict[int, str]] = {}
    for key, value in raw.items():
        match = _PER_PRIORITY_KEY.match(key)
        if match and match["name"] in known and known[match["name"]].type in (FieldType.RAG, FieldType.PER_PRIORITY):
            grouped.setdefault(match["name"], {})[int(match["number"])] = value
            continue
        if key not in known:
            names = ", ".join(f.describe() for f in spec.fields) or "none"
            raise InvalidInput(f"'{spec.name}' has no field '{key}'; its fields: {names}")
        values[key] = _convert(spec.name, known[key], value)
    for name, entries in grouped.items():
        values[name] = {n: _convert(spec.name, known[name], v) for n, v in entries.items()}
    missing = []
    for f in spec.fields:
        if f.name in values:
            continue
        if f.default is not None:
            values[f.name] = _convert(spec.name, f, f.default)
        elif f.required:
            missing.append(f.name)
        elif f.type in (FieldType.RAG, FieldType.PER_PRIORITY):
            values[f.name] = {}
        else:
            values[f.name] = None
    if missing:
        raise MissingField(spec.name, missing, spec.required_fields)
    return values


def _convert(action: str, spec: FieldSpec, value: str) -> Any:
    text = value.strip()
    if spec.required and not text and spec.type is not FieldType.PER_PRIORITY:
        raise InvalidInput(f"'{action}': field {spec.name} is empty: give a value with --set {spec.name}=...")
    if spec.type in (FieldType.TEXT, FieldType.PER_PRIORITY):
        return text
    if spec.type is FieldType.INT:
        try:
            number = int(text)
        except ValueError:
            raise InvalidInput(f"'{action}': field {spec.name} must be a whole number, not '{value}'") from None
        if spec.minimum is not None and number < spec.minimum:
            raise InvalidInput(f"'{action}': field {spec.name} must be at least {spec.minimum}, not {number}")
        return number
    if spec.type is FieldType.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"'{action}': field {spec.name} must be a date like 2026-11-30, not '{value}'") from None
    if spec.type is FieldType.CHOICE:
        if text not in spec.options:
            raise InvalidInput(f"'{action}': field {spec.name} must be one of {', '.join(spec.options)}, not '{value}'")
        return text
    if spec.type is FieldType.CHOICES:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        wrong = [c for c in chosen if c not in spec.options]
        if wrong or not chosen:
            raise InvalidInput(
                f"'{action}': field {spec.name} takes a comma-separated list of {', '.join(spec.options)}; "
                f"not {', '.join(wrong) or 'empty'}"
            )
        return chosen
    if spec.type is FieldType.RAG:
        try:
            return Rag(text.lower())
        except ValueError:
            raise InvalidInput(
                f"'{action}': field {spec.name} takes green, yellow, amber or red per priority, not '{value}'"
            ) from None
    raise AssertionError(spec.type)  # pragma: no cover - FieldType is closed


# --------------------------------------------------------------------------- guards


def _check_guard(guard: Guard, facts: CaseFacts, fields: Mapping[str, Any], spec: ActionSpec) -> None:
    case = f"case {facts.case_id}"
    if guard is Guard.NO_LIVE_WARNING_NOTICE and facts.live_notice_compliance_end is not None:
        raise GuardFailed(f"{case} has a warning notice without an outcome: record its compliance outcome first")
    if guard is Guard.LIVE_WARNING_NOTICE and facts.live_notice_compliance_end is None:
        raise GuardFailed(f"{case} has no warning notice awaiting an outcome: issue one first")
    if guard is Guard.COMPLIANCE_PERIOD_ENDED:
        end = facts.live_notice_compliance_end
        if end is None or facts.on <= end:
            when = end.isoformat() if end else "(no notice)"
            raise GuardFailed(
                f"{case}: the compliance period runs to {when}; failure to comply can be recorded only after it ends"
            )
    if guard is Guard.WITHIN_POWERS_WINDOW:
        window = facts.powers_window_end
        if window is None or facts.on > window:
            raise GuardFailed(
                f"{case}: this power must be used within two months after the compliance period ends "
                f"(window ended {window.isoformat() if window else 'with no notice'}): issue a fresh warning notice"
            )
    if guard is Guard.HAS_INSPECTION_CATEGORY and not facts.has_inspection_category:
        raise GuardFailed(f"{case} has no inspection category: record it with record_inspection_category first")
    if guard is Guard.HAS_PRIORITIES and not facts.priority_numbers:
        raise GuardFailed(f"{case} has no priorities: add them with add_priority first")
    if guard is Guard.RAG_COVERS_PRIORITIES:
        judged = set(fields.get("rag", {}))
        unknown = judged - facts.priority_numbers
        if unknown:
            raise InvalidInput(f"{case} has no priority {', '.join(map(str, sorted(unknown)))}: priorities are {_numbers(facts)}")
        missing = facts.priority_numbers - judged
        if missing:
            flags = " ".join(f"--set rag.{n}=..." for n in sorted(missing))
            raise GuardFailed(f"{case}: every priority needs a RAG judgement; add {flags}")
    if guard is Guard.RAG_EXPLAINED:
        reasons = fields.get("reason", {})
        unexplained = [n for n, r in fields.get("rag", {}).items() if r in (Rag.RED, Rag.GREEN) and not reasons.get(n)]
        if unexplained:
            flags = " ".join(f'--set reason.{n}="..."' for n in sorted(unexplained))
            raise GuardFailed(
                f"{case}: red needs a written explanation and green needs hard evidence (002:L1000–1010); add {flags}"
            )
    if guard is Guard.SUMMATIVE_MEETING_HELD and not facts.summative_meeting_held:
        raise GuardFailed(f"{case} cannot exit without its exit conditions: hold and record the summative meeting first")
    if guard is Guard.IMPROVEMENT_SECURED:
        review = facts.latest_review
        insecure = (
            sorted(n for n, r in review.items() if r not in (Rag.GREEN, Rag.YELLOW)) if review else None
        )
        if not review or insecure or set(review) != set(facts.priority_numbers):
            detail = (
                "no progress review has been recorded"
                if not review
                else f"priorities {', '.join(map(str, insecure or []))} were not judged green or yellow at the latest review"
                if insecure
                else "the latest review did not judge every priority"
            )
            raise GuardFailed(f"{case} cannot exit without its exit conditions: {detail}")


def _numbers(facts: CaseFacts) -> str:
    return ", ".join(map(str, sorted(facts.priority_numbers))) or "none yet"


# --------------------------------------------------------------------------- loading

_TOP_KEYS = {
    "name", "version", "title", "jurisdiction", "initial_stage", "stages", "actions", "notice", "cadence", "escalations",
}
_ESCALATION_KEYS = {"name", "when", "to", "message", "deadline", "working_days", "terms", "stages"}
_ACTION_KEYS = {
    "title", "from", "except", "to", "roles", "schools", "fields", "guards", "deadlines",
    "completes", "cancels", "record", "documents", "refusal",
}
_FIELD_KEYS = {"type", "required", "options", "default", "help", "min"}
_DEADLINE_KEYS = {"kind", "basis", "days", "days_from_field", "months", "after", "schools"}


class _Loader:
    def __init__(self, text: str, source: str) -> None:
        self.text, self.source = text, source

    def fail(self, reason: str, *needles: str) -> PlaybookError:
        return PlaybookError(self.source, line_of(self.text, *needles), reason)

    def load(self) -> Playbook:
        data = parse_toml(self.text, self.source, PlaybookError)
        self._unknown(data, _TOP_KEYS, "playbook", "")
        for key in ("name", "version", "jurisdiction", "initial_stage", "stages", "actions"):
            if key not in data:
                raise PlaybookError(self.source, 1, f"missing '{key}' at the top of the playbook")
        try:
            jurisdiction = Jurisdiction(data["jurisdiction"])
        except ValueError:
            raise self.fail("jurisdiction must be 'england' or 'wales'", "jurisdiction") from None
        stages: dict[str, str] = {}
        closed: set[str] = set()
        for name, spec in data["stages"].items():
            if not isinstance(spec, dict):
                raise self.fail(f"stage '{name}' must be a table like {{ title = \"...\" }}", f"{name} =", f"[stages.{name}]")
            stages[name] = str(spec.get("title", name.replace("_", " ").capitalize()))
            if spec.get("closed"):
                closed.add(name)
        if data["initial_stage"] not in stages:
            raise self.fail(f"initial_stage '{data['initial_stage']}' is not a declared stage", "initial_stage")
        if not closed:
            raise self.fail("no stage is marked closed = true: a case could never end", "[stages")
        open_stages = frozenset(stages) - closed
        actions = {
            name: self._action(name, spec, stages, open_stages) for name, spec in data["actions"].items()
        }
        return Playbook(
            name=str(data["name"]),
            version=str(data["version"]),
            title=str(data.get("title", data["name"])),
            jurisdiction=jurisdiction,
            initial_stage=data["initial_stage"],
            stages=stages,
            closed_stages=frozenset(closed),
            actions=actions,
            notice=self._notice(data["notice"]) if "notice" in data else None,
            cadence=self._cadence(data["cadence"], stages) if "cadence" in data else None,
            source=self.source,
            sha256=hashlib.sha256(self.text.encode()).hexdigest(),
            escalations=tuple(self._escalation(e, stages, actions) for e in data.get("escalations", [])),
        )

    def _unknown(self, table: Mapping[str, Any], allowed: set[str], where: str, header: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(
                    f"unknown key '{key}' in {where}; allowed: {', '.join(sorted(allowed))}",
                    f"{header}{key} =", f"{key} =", f"{key}",
                )

    def _stage_list(self, value: Any, stages: Mapping[str, str], open_stages: frozenset[str], where: str) -> frozenset[str]:
        if value == "open":
            return open_stages
        names = [value] if isinstance(value, str) else list(value)
        for name in names:
            if name not in stages:
                raise self.fail(f"{where}: stage '{name}' is not declared in [stages]", f'"{name}"')
        return frozenset(names)

    def _action(self, name: str, spec: Any, stages: Mapping[str, str], open_stages: frozenset[str]) -> ActionSpec:
        header = f"[actions.{name}"
        if not isinstance(spec, dict):
            raise self.fail(f"action '{name}' must be a table", header)
        self._unknown(spec, _ACTION_KEYS, f"action '{name}'", "")
        if "from" not in spec:
            raise self.fail(f"action '{name}' needs 'from' (a stage, a list of stages, or \"open\")", header)
        from_stages = self._stage_list(spec["from"], stages, open_stages, f"action '{name}'")
        from_stages -= self._stage_list(spec.get("except", []), stages, open_stages, f"action '{name}'")
        to_stage = spec.get("to")
        if to_stage is not None and to_stage not in stages:
            raise self.fail(f"action '{name}': 'to' stage '{to_stage}' is not declared in [stages]", f'to = "{to_stage}"', header)
        try:
            roles = frozenset(Role(r) for r in spec.get("roles", ["lead"]))
        except ValueError as exc:
            raise self.fail(f"action '{name}': {exc}; roles are {', '.join(r.value for r in Role)}", header) from None
        try:
            schools = SchoolScope(spec.get("schools", "any"))
            guards = tuple(Guard(g) for g in spec.get("guards", []))
        except ValueError as exc:
            raise self.fail(
                f"action '{name}': {exc}; schools are any|maintained|academy, guards are {', '.join(g.value for g in Guard)}",
                header,
            ) from None
        fields = tuple(self._field(name, fname, fspec) for fname, fspec in spec.get("fields", {}).items())
        deadlines: list[DeadlineSpec] = []
        for entry in spec.get("deadlines", []):
            deadlines.append(self._deadline(name, entry, fields, deadlines))
        records = []
        for entry in spec.get("record", []):
            entry = {"type": entry} if isinstance(entry, str) else dict(entry)
            try:
                rtype = RecordType(entry.pop("type"))
            except (ValueError, KeyError):
                raise self.fail(f"action '{name}': record type must be one of {', '.join(r.value for r in RecordType)}", header) from None
            records.append(RecordSpec(rtype, {k: str(v) for k, v in entry.items()}))
        if any(r.type is RecordType.WARNING_NOTICE for r in records):
            self._notice_contract(name, fields, deadlines, header)
        documents = tuple(spec.get("documents", []))
        for kind in documents:
            if kind not in DOCUMENT_KINDS:
                raise self.fail(f"action '{name}': unknown document '{kind}'; documents are {', '.join(DOCUMENT_KINDS)}", f'"{kind}"')
        return ActionSpec(
            name=name,
            title=str(spec.get("title", name.replace("_", " ").capitalize())),
            from_stages=from_stages,
            to_stage=to_stage,
            roles=roles,
            schools=schools,
            fields=fields,
            guards=guards,
            deadlines=tuple(deadlines),
            completes=tuple(spec.get("completes", [])),
            cancels=tuple(spec.get("cancels", [])),
            records=tuple(records),
            documents=documents,
            refusal=str(spec.get("refusal", "")),
        )

    def _notice_contract(
        self, name: str, fields: Sequence[FieldSpec], deadlines: Sequence[DeadlineSpec], header: str
    ) -> None:
        """An action that records a warning notice must capture the statutory contents."""
        have = {f.name for f in fields}
        missing = [f for f in NOTICE_FIELDS if f not in have]
        if missing:
            raise self.fail(f"action '{name}' records a warning notice but lacks the field(s) {', '.join(missing)}", header)
        if not any(d.amount_field == "compliance_days" for d in deadlines):
            raise self.fail(
                f"action '{name}' records a warning notice but sets no deadline with days_from_field = \"compliance_days\"",
                header,
            )

    def _field(self, action: str, name: str, spec: Any) -> FieldSpec:
        where = f"action '{action}', field '{name}'"
        if not isinstance(spec, dict):
            raise self.fail(f"{where} must be a table like {{ type = \"text\" }}", f"{name} =")
        self._unknown(spec, _FIELD_KEYS, where, "")
        try:
            ftype = FieldType(spec.get("type", "text"))
        except ValueError:
            raise self.fail(f"{where}: type must be one of {', '.join(t.value for t in FieldType)}", f"{name} =") from None
        options = tuple(str(o) for o in spec.get("options", []))
        if ftype in (FieldType.CHOICE, FieldType.CHOICES) and not options:
            raise self.fail(f"{where}: a {ftype} field needs options = [...]", f"{name} =")
        default = spec.get("default")
        return FieldSpec(
            name=name,
            type=ftype,
            required=bool(spec.get("required", True)),
            options=options,
            default=None if default is None else str(default),
            help=str(spec.get("help", "")),
            minimum=spec.get("min"),
        )

    def _deadline(self, action: str, entry: Any, fields: Sequence[FieldSpec], earlier: Sequence[DeadlineSpec]) -> DeadlineSpec:
        kind = entry.get("kind") if isinstance(entry, dict) else None
        where = f"action '{action}', deadline '{kind}'"
        needle = f'kind = "{kind}"'
        if not kind:
            raise self.fail(f"action '{action}': each deadline needs a kind", f"[[actions.{action}.deadlines]]")
        self._unknown(entry, _DEADLINE_KEYS, where, "")
        try:
            basis = Basis(entry.get("basis", "calendar"))
            schools = SchoolScope(entry.get("schools", "any"))
        except ValueError as exc:
            raise self.fail(f"{where}: {exc}; bases are {', '.join(b.value for b in Basis)}", needle) from None
        counts = [k for k in ("days", "days_from_field", "months") if k in entry]
        if len(counts) != 1:
            raise self.fail(f"{where}: give exactly one of days, days_from_field or months", needle)
        amount_field = entry.get("days_from_field")
        if amount_field and not any(f.name == amount_field and f.type is FieldType.INT for f in fields):
            raise self.fail(f"{where}: days_from_field '{amount_field}' is not an int field of the action", needle)
        after = entry.get("after")
        if after and not any(d.kind == after for d in earlier):
            raise self.fail(f"{where}: 'after' must name a deadline set earlier by the same action", needle)
        if "months" in entry and basis is not Basis.CALENDAR:
            raise self.fail(f"{where}: months are calendar months; drop basis or set basis = \"calendar\"", needle)
        return DeadlineSpec(
            kind=str(kind),
            basis=basis,
            amount=entry.get("days"),
            amount_field=amount_field,
            months=entry.get("months"),
            after=after,
            schools=schools,
        )

    def _notice(self, spec: Mapping[str, Any]) -> NoticeRules:
        try:
            return NoticeRules(
                act=str(spec["act"]),
                sections=tuple(spec["sections"]),
                grounds={str(k): str(v) for k, v in spec["grounds"].items()},
                copies=tuple(CopyRule(str(c["role"]), str(c.get("when", "always"))) for c in spec["copies"]),
                regimes=tuple(
                    NoticeRegime(r["from"], str(r["label"]), r.get("fixed_compliance_days"))
                    for r in sorted(spec["regimes"], key=lambda r: r["from"])
                ),
                section_grounds={str(k): tuple(v) for k, v in spec.get("section_grounds", {}).items()},
            )
        except (KeyError, TypeError) as exc:
            raise self.fail(f"[notice] needs act, sections, grounds, copies and regimes (missing {exc})", "[notice]") from None

    def _cadence(self, spec: Mapping[str, Any], stages: Mapping[str, str]) -> Cadence:
        try:
            active = frozenset(spec["stages"])
            unknown = active - set(stages)
            if unknown:
                raise self.fail(f"[cadence] stages {', '.join(sorted(unknown))} are not declared", "[cadence]")
            return Cadence(
                stages=active,
                tig_meetings_per_term=int(spec["tig_meetings_per_term"]),
                reviews_per_half_term=int(spec["reviews_per_half_term"]),
                visits_per_half_term=int(spec["visits_per_half_term"]),
                ip_report_days_before_review=int(spec["ip_report_days_before_review"]),
            )
        except KeyError as exc:
            raise self.fail(f"[cadence] is missing {exc}", "[cadence]") from None


    def _escalation(self, spec: Any, stages: Mapping[str, str], actions: Mapping[str, ActionSpec]) -> EscalationRule:
        name = spec.get("name", "?") if isinstance(spec, dict) else "?"
        where = f'name = "{name}"'
        if not isinstance(spec, dict):
            raise self.fail("each [[escalations]] entry must be a table", "[[escalations]]")
        unknown = set(spec) - _ESCALATION_KEYS
        if unknown:
            raise self.fail(f"escalation '{name}': unknown key(s) {', '.join(sorted(unknown))}", where, "[[escalations]]")
        for key in ("name", "when", "to", "message"):
            if key not in spec:
                raise self.fail(f"escalation '{name}' needs '{key}'", where, "[[escalations]]")
        try:
            when = Trigger(spec["when"])
        except ValueError:
            raise self.fail(f"escalation '{name}': when must be one of {', '.join(t.value for t in Trigger)}", where) from None
        try:
            to = tuple(Role(r) for r in spec["to"])
        except ValueError as exc:
            raise self.fail(f"escalation '{name}': {exc}; roles are {', '.join(r.value for r in Role)}", where) from None
        deadline = spec.get("deadline")
        if when in (Trigger.DEADLINE_OVERDUE, Trigger.DEADLINE_WITHIN):
            known = {d.kind for a in actions.values() for d in a.deadlines} | CADENCE_DEADLINES
            if deadline not in known:
                raise self.fail(f"escalation '{name}': deadline '{deadline}' is not set by any action", where)
        if when is Trigger.TERMS_WITHOUT_IMPROVEMENT and int(spec.get("terms", 0)) < 1:
            raise self.fail(f"escalation '{name}': give terms = N (1 or more)", where)
        unknown_stages = set(spec.get("stages", [])) - set(stages)
        if unknown_stages:
            raise self.fail(f"escalation '{name}': stages {', '.join(sorted(unknown_stages))} are not declared", where)
        return EscalationRule(
            name=str(spec["name"]), when=when, to=to, message=str(spec["message"]), deadline=deadline,
            working_days=int(spec.get("working_days", 0)), terms=int(spec.get("terms", 0)),
            stages=frozenset(spec.get("stages", [])),
        )


def parse_playbook(text: str, source: str) -> Playbook:
    """Validate and freeze a playbook; raises PlaybookError with file, line and reason."""
    return _Loader(text, source).load()

