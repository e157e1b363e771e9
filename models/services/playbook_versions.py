"""Running cases move to a new version of their playbook, readably and only where they can.

A case is pinned to the playbook version it was opened with, so an LA's edit never changes a
live case by surprise. When the LA does want its running cases on the new version (a new
local stage, a renamed action), ``plan_migration`` says, case by case, where each would go:
its stage (the same name, or the one the new version maps it to under
``[migrations."OLD"] stages = { old = "new" }``), the actions that open and close at that
stage, and the live deadlines no action of the new version would meet any more. A case whose
stage is gone without a mapping is refused, not guessed. ``migrate_case`` moves one case in
the caller's transaction, audited; the command moves each case in a transaction of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.db import audit
from models.db.cases import Case, Deadline
from models.db.playbooks import pin_playbook, pinned_playbook
from models.db.queries import case_is_open, deadline_is_live, rows_changed
from models.db.schools import School
from models.db.session import transaction
from models.errors import CaseChanged, InvalidInput
from models.messages import N_
from models.rules.playbook import Playbook
from models.services.access import Task, Viewer, require
from models.settings.files import playbook_named
from models.vocab import SchoolType

__all__ = ["CaseMigration", "migrate_case", "migrate_open_cases", "plan_migration", "target_playbook"]


@dataclass(frozen=True)
class CaseMigration:
    """Where one open case would go; ``refused`` says why it cannot move (then nothing else
    is filled in)."""

    case_id: int
    school: str
    from_version: str
    stage: str
    new_stage: str | None
    refused: str | None
    actions_added: tuple[str, ...] = ()
    actions_removed: tuple[str, ...] = ()
    deadlines_unmet: tuple[str, ...] = ()  # live deadline kinds no action of the new version completes
    case_version: int = 0
    stage_title: str = ""  # as the old version names it
    new_stage_title: str = ""  # as the new version names it
    added_titles: tuple[str, ...] = ()  # the new version's titles of actions_added
    removed_titles: tuple[str, ...] = ()  # the old version's titles of actions_removed


def target_playbook(name: str, to_version: str) -> Playbook:
    """The playbook file as it is now, which must be the version asked for."""
    book = playbook_named(name)
    if book.version != to_version:
        raise InvalidInput(N_("the playbook '%(name)s' in the config folder is version %(version)s, not %(wanted)s: migrate --to %(version)s, "
                              "or put version %(wanted)s in place first"), name=name, version=book.version, wanted=to_version)
    return book


def plan_migration(session: Session, new: Playbook) -> list[CaseMigration]:
    """Every open case of the playbook on another version, and where it would go."""
    cases = session.execute(
        select(Case.id, School.name, School.type, Case.playbook_version, Case.stage, Case.version)
        .join(School, School.id == Case.school_id)
        .where(Case.playbook == new.name, Case.playbook_version != new.version, case_is_open()).order_by(Case.id)
    ).all()
    live: dict[int, list[str]] = {}
    for case_id, kind in session.execute(
        select(Deadline.case_id, Deadline.kind).where(Deadline.case_id.in_([c.id for c in cases]), deadline_is_live())
        .order_by(Deadline.case_id, Deadline.id)
    ):
        live.setdefault(case_id, []).append(kind)
    met_by_new = {kind for action in new.actions.values() for kind in action.completes}
    olds: dict[str, Playbook] = {}
    plans = []
    for case_id, school, school_type, version, stage, case_version in cases:
        old = olds.get(version) or olds.setdefault(version, pinned_playbook(session, new.name, version))
        mapped = new.migrations.get(version, {})
        target = mapped.get(stage) or (stage if stage in new.stages else None)
        if target is None:
            plans.append(CaseMigration(
                case_id, school, version, stage, None,
                f"its stage '{stage}' is not in version {new.version}, and [migrations.\"{version}\"] does not map it: "
                f"add stages = {{ {stage} = \"<a stage of {new.version}>\" }} there", case_version=case_version,
                stage_title=old.stages.get(stage, stage)))
            continue
        kind = SchoolType(school_type)
        before = {a.name for a in old.allowed(stage, kind)}
        after = {a.name for a in new.allowed(target, kind)}
        added, removed = tuple(sorted(after - before)), tuple(sorted(before - after))
        plans.append(CaseMigration(
            case_id, school, version, stage, target, None, added, removed,
            tuple(sorted({k for k in live.get(case_id, []) if k not in met_by_new})), case_version,
            old.stages.get(stage, stage), new.stages[target], tuple(new.actions[a].title for a in added),
            tuple(old.actions[a].title for a in removed)))
    return plans


def migrate_case(session: Session, new: Playbook, plan: CaseMigration, actor: Viewer, today: date) -> None:
    """Move one planned case to the new version in the caller's transaction, audited; a case
    that changed since it was planned is refused (plan again)."""
    require(actor, Task.MIGRATE_PLAYBOOK)
    if plan.refused or plan.new_stage is None:
        raise InvalidInput(N_("case %(case)s cannot move: %(reason)s"), case=plan.case_id, reason=plan.refused)
    pin_playbook(session, new)
    values: dict[str, object] = {"playbook_version": new.version, "version": Case.version + 1}
    if plan.new_stage != plan.stage:
        values |= {"stage": plan.new_stage, "stage_since": today}
    moved = session.execute(update(Case).where(Case.id == plan.case_id, Case.version == plan.case_version,
                                               Case.playbook_version == plan.from_version).values(**values))
    if rows_changed(moved) != 1:
        raise CaseChanged(N_("case %(case)s changed since the migration was planned: run it again"), case=plan.case_id)
    audit.record(session, actor.email, "playbook_migrated", case_id=plan.case_id, effective_on=today,
                 before={"playbook": f"{new.name}@{plan.from_version}", "stage": plan.stage},
                 after={"playbook": f"{new.name}@{new.version}", "stage": plan.new_stage,
                        "actions_added": list(plan.actions_added), "actions_removed": list(plan.actions_removed)})


def migrate_open_cases(new: Playbook, actor: Viewer, today: date, apply: bool) -> tuple[list[CaseMigration], list[int]]:
    """Plan every open case of the playbook on another version and, with ``apply``, move
    each one that can move in a transaction of its own; returns the plans and the ids
    moved. The dry run is the same call without ``apply``."""
    with transaction() as session:
        require(actor, Task.MIGRATE_PLAYBOOK)
        plans = plan_migration(session, new)
    moved = []
    for plan in plans if apply else []:
        if plan.refused is None:
            with transaction() as session:
                migrate_case(session, new, plan, actor, today)
            moved.append(plan.case_id)
    return plans, moved
