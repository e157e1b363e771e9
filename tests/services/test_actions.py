"""Every action of both shipped playbooks, from every stage it is open from, and every guard
refusing when its condition does not hold (and then changing nothing)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from models.db.cases import Case, Classification, Deadline, Meeting, Priority, RagJudgement, WarningNotice
from models.db.schools import Person
from models.db.session import transaction
from models.errors import CaseworkError, GuardFailed, InvalidInput
from models.rules.fields import FieldType
from models.rules.guards import Guard
from models.rules.playbook import ActionSpec, Playbook, SchoolScope
from models.services.cases import ActionRequest, Actor, apply_action, open_case
from models.services.directory import SchoolDetails, add_person, add_school
from models.settings.files import playbook_named
from models.vocab import MeetingKind, Role, SchoolType
from tests.conftest import dump

ON = date(2026, 10, 5)  # a Monday in the autumn term
ACTOR = Actor("senior@example.org", Role.SENIOR)
_urns = itertools.count(200000)


def _actions() -> Iterator[tuple[str, str]]:
    for name in ("england", "wales"):
        for action in playbook_named(name).actions:
            yield name, action


def _fields(spec: ActionSpec) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in spec.fields:
        if field.type is FieldType.RAG:
            values[f"{field.name}.1"] = "green"
        elif field.type is FieldType.PER_PRIORITY:
            values[f"{field.name}.1"] = "Hard evidence of impact"
        elif field.type is FieldType.INT:
            values[field.name] = "10"
        elif field.type is FieldType.DATE:
            values[field.name] = "2027-07-01"
        elif field.type in (FieldType.CHOICE, FieldType.CHOICES):
            values[field.name] = field.default or field.options[0]
        else:
            values[field.name] = f"Some {field.name}"
    return values


def _actor(role: str) -> str:
    return f"{role}@example.org"


def _as(spec: ActionSpec) -> str:
    """Someone allowed to take the action."""
    return _actor(sorted(spec.roles)[0])


def _case_at(book: Playbook, spec: ActionSpec, stage: str) -> int:
    """A case of a school the action applies to, placed at ``stage``."""
    school_type = SchoolType.ACADEMY if spec.schools is SchoolScope.ACADEMY else SchoolType.VOLUNTARY_AIDED
    with transaction() as session:
        for role in spec.roles:
            if not session.query(Person).filter_by(email=_actor(role)).first():
                add_person(session, f"A {role}", _actor(role), role, "test")
        urn = str(next(_urns))
        add_school(session, SchoolDetails(urn, f"School {urn}", school_type, "Primary", "Riverford",
                                          diocese="Diocese of Riverford", religious_character="Church in Wales"), "test")
        case = open_case(session, urn, "concern", on=ON - timedelta(days=120), actor=ACTOR, playbook=book.name,
                         calendar="riverford" if book.name == "england" else "glanmor")
        case.stage = stage
        return case.id


def _notice(case_id: int, compliance_end: date, outcome: str | None, section: str = "s60") -> WarningNotice:
    return WarningNotice(case_id=case_id, act="Act", section=section, regime="r", grounds=["low_standards"], reasons="r",
                         required_action="a", given_on=compliance_end - timedelta(days=21), compliance_days=15,
                         compliance_end=compliance_end, minded_to="m", outcome=outcome)


def _prepare(case_id: int, spec: ActionSpec, broken: Guard | None = None) -> None:
    """Make every guard hold, except ``broken``, which is made to fail; an action using a
    power is taken after a notice the governing body did not comply with."""
    guards = spec.guards
    with transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None
        wants = set(guards) | ({Guard.HAS_PRIORITIES} if {Guard.RAG_COVERS_PRIORITIES, Guard.IMPROVEMENT_SECURED} & set(guards) else set())
        if (Guard.ELIGIBLE_FOR_INTERVENTION in wants or spec.power) and broken is not Guard.ELIGIBLE_FOR_INTERVENTION:
            section = "s3" if case.playbook == "wales" else "s60"
            session.add(_notice(case_id, ON - timedelta(days=20), "not_complied", section))
        if Guard.NO_LIVE_WARNING_NOTICE in wants and broken is Guard.NO_LIVE_WARNING_NOTICE:
            session.add(_notice(case_id, ON + timedelta(days=10), None))
        if {Guard.LIVE_WARNING_NOTICE, Guard.COMPLIANCE_PERIOD_ENDED} & wants and broken is not Guard.LIVE_WARNING_NOTICE:
            ended = broken is not Guard.COMPLIANCE_PERIOD_ENDED
            session.add(_notice(case_id, ON - timedelta(days=1) if ended else ON + timedelta(days=5), None))
        if Guard.WITHIN_POWERS_WINDOW in wants:
            late = broken is Guard.WITHIN_POWERS_WINDOW
            session.add(Deadline(case_id=case_id, kind="powers_window_end", counted_from=ON - timedelta(days=60),
                                 amount=2, unit="months", basis="calendar", due=ON - timedelta(days=1 if late else -10),
                                 calendar="riverford", calendar_version="x", explanation="two months", status="open",
                                 set_by_action="issue_warning_notice"))
        if Guard.HAS_INSPECTION_CATEGORY in wants and broken is not Guard.HAS_INSPECTION_CATEGORY:
            session.add(Classification(school_id=case.school_id, case_id=case_id, scheme="inspection",
                                       value="special_measures", effective_on=ON - timedelta(days=20), set_by="test"))
        if Guard.HAS_PRIORITIES in wants and broken is not Guard.HAS_PRIORITIES:
            session.add(Priority(case_id=case_id, number=1, title="Reading", success_criteria="70%"))
            if broken is Guard.RAG_COVERS_PRIORITIES:
                session.add(Priority(case_id=case_id, number=2, title="Governance", success_criteria="Challenge"))
        if Guard.UNDER_EXIT_WATCH in wants and broken is not Guard.UNDER_EXIT_WATCH:
            case.watch_until = ON + timedelta(days=180)
        if Guard.SUMMATIVE_MEETING_HELD in wants and broken is not Guard.SUMMATIVE_MEETING_HELD:
            session.add(Meeting(case_id=case_id, kind=MeetingKind.SUMMATIVE, held_on=ON - timedelta(days=1)))
        if Guard.IMPROVEMENT_SECURED in wants and broken is not Guard.IMPROVEMENT_SECURED:
            session.flush()
            review = Meeting(case_id=case_id, kind=MeetingKind.PROGRESS_REVIEW, held_on=ON - timedelta(days=2))
            session.add(review)
            session.flush()
            priority = session.query(Priority).filter_by(case_id=case_id, number=1).one()
            session.add(RagJudgement(meeting_id=review.id, priority_id=priority.id, rating="green", reason="evidence"))


@pytest.mark.parametrize(("playbook", "action"), list(_actions()))
def test_every_action_from_every_stage_it_is_open_from(db_url: str, playbook: str, action: str) -> None:
    book = playbook_named(playbook)
    spec = book.actions[action]
    assert spec.from_stages, f"{action} is open from no stage"
    for stage in sorted(spec.from_stages):
        case_id = _case_at(book, spec, stage)
        _prepare(case_id, spec)
        with transaction() as session:
            applied = apply_action(session, ActionRequest(case_id, action, _fields(spec), ON, _as(spec)))
            assert applied.case.stage == (spec.to_stage or stage)
            # Each kind once: of two rules for one kind, the one in force on the day counted from.
            assert sorted(d.kind for d in applied.deadlines) == sorted(
                {d.kind for d in spec.deadlines if d.schools.admits(SchoolType(applied.case.school.type))}
            )
            if book.is_closed(applied.case.stage) and not book.is_closed(stage):  # this action closed it
                assert applied.case.closed_on == ON


def _guarded() -> Iterator[tuple[str, str, Guard]]:
    for playbook, action in _actions():
        for guard in playbook_named(playbook).actions[action].guards:
            yield playbook, action, guard


@pytest.mark.parametrize(("playbook", "action", "guard"), list(_guarded()))
def test_every_guard_refuses_and_changes_nothing(db_url: str, playbook: str, action: str, guard: Guard) -> None:
    book = playbook_named(playbook)
    spec = book.actions[action]
    stage = sorted(spec.from_stages)[0]
    case_id = _case_at(book, spec, stage)
    _prepare(case_id, spec, broken=guard)
    fields = _fields(spec)
    if guard is Guard.RAG_EXPLAINED:
        fields = {k: v for k, v in fields.items() if not k.startswith("reason.")}
    before = dump(db_url)
    with pytest.raises((GuardFailed, InvalidInput)):
        with transaction() as session:
            apply_action(session, ActionRequest(case_id, action, fields, ON, _as(spec)))
    assert dump(db_url) == before


@pytest.mark.parametrize(("playbook", "action"), [a for a in _actions() if playbook_named(a[0]).actions[a[1]].schools is not SchoolScope.ANY])
def test_school_scope_is_enforced(db_url: str, playbook: str, action: str) -> None:
    book = playbook_named(playbook)
    spec = book.actions[action]
    stage = sorted(spec.from_stages)[0]
    wrong = SchoolScope.ACADEMY if spec.schools is SchoolScope.MAINTAINED else SchoolScope.MAINTAINED
    other = ActionSpec(**{**vars(spec), "schools": wrong})  # a case of the other kind of school
    case_id = _case_at(book, other, stage)
    _prepare(case_id, spec)
    with pytest.raises(CaseworkError, match="school is"):
        with transaction() as session:
            apply_action(session, ActionRequest(case_id, action, _fields(spec), ON, _as(spec)))


def test_stages_not_listed_are_refused(db_url: str) -> None:
    book = playbook_named("england")
    spec = book.actions["record_compliance"]
    case_id = _case_at(book, spec, "diagnosis")
    with pytest.raises(CaseworkError, match="allowed now: .*conclude_diagnosis"):
        with transaction() as session:
            apply_action(session, ActionRequest(case_id, "record_compliance", _fields(spec), ON, _as(spec)))
