"""Running cases move to a new playbook version: a dry run says where each would go and
changes nothing; a case whose stage is gone without a mapping is refused; moving is audited,
one case at a time, and a senior officer's task."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models.db.audit import AuditEvent
from models.db.cases import Case
from models.db.session import transaction
from models.errors import NotPermitted, PlaybookError
from models.services.access import terminal_viewer
from models.services.cases import take_action
from models.services.playbook_versions import migrate_case, plan_migration, target_playbook
from tests.services.conftest import LEAD, SENIOR

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "playbooks" / "england.toml"


def next_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mapping: str = 'diagnosis = "review"') -> None:
    """Version 2026.6 in a config folder of its own: the diagnosis stage is now "review"
    (mapped from 2026.5), the escalated stage is now "escalation_review" (not mapped)."""
    text = SHIPPED.read_text(encoding="utf-8").replace('version = "2026.5"', 'version = "2026.6"')
    text = re.sub(r'"diagnosis"', '"review"', text)
    text = text.replace('diagnosis = { title = "Diagnosis" }', 'review = { title = "Review of the evidence" }')
    text = re.sub(r'"escalated"', '"escalation_review"', text)
    text = text.replace('escalated = { title = "Escalated" }', 'escalation_review = { title = "Escalation review" }')
    text += f'\n[migrations."2026.5"]\nstages = {{ {mapping} }}\n'
    folder = tmp_path / "config" / "playbooks"
    folder.mkdir(parents=True)
    (folder / "england.toml").write_text(text, encoding="utf-8")
    shutil.copytree(SHIPPED.parents[1] / "calendars", tmp_path / "config" / "calendars")
    monkeypatch.setenv("SCC_CONFIG_DIR", str(tmp_path / "config"))


def _positions() -> dict[int, tuple[str, str]]:
    with transaction() as session:
        return {c.id: (c.playbook_version, c.stage) for c in session.execute(select(Case)).scalars()}


def _at_diagnosis_and_escalated(caseload: dict[str, int]) -> tuple[int, int, int]:
    """Oak at its warning notice; Ash in diagnosis; Elm escalated."""
    oak, ash, elm = caseload["Oak Primary"], caseload["Ash CE Primary"], caseload["Elm Primary"]
    with transaction() as session:
        for case in (ash, elm):
            take_action(session, case, "start_diagnosis", {}, on=date(2026, 9, 15), actor_email=LEAD)
        take_action(session, elm, "conclude_diagnosis", {"level": "LA4b", "reasons": "Attendance"}, on=date(2026, 9, 18),
                    actor_email=LEAD)
        take_action(session, elm, "escalate", {"reasons": "Two terms without improvement"}, on=date(2026, 10, 1),
                    actor_email=LEAD)
    return oak, ash, elm


def test_a_dry_run_says_where_each_case_goes_and_refuses_what_it_cannot_map(
        caseload: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    oak, ash, elm = _at_diagnosis_and_escalated(caseload)
    before = _positions()
    next_version(tmp_path, monkeypatch)
    new = target_playbook("england", "2026.6")
    with transaction() as session:
        plans = {p.case_id: p for p in plan_migration(session, new)}
    assert _positions() == before  # planning writes nothing
    assert (plans[ash].stage, plans[ash].new_stage, plans[ash].refused) == ("diagnosis", "review", None)
    assert (plans[oak].stage, plans[oak].new_stage, plans[oak].refused) == ("warning_notice", "warning_notice", None)
    assert plans[elm].new_stage is None and plans[elm].refused == (
        "its stage 'escalated' is not in version 2026.6, and [migrations.\"2026.5\"] does not map it: "
        "add stages = { escalated = \"<a stage of 2026.6>\" } there")
    assert plans[ash].actions_added == () and plans[ash].actions_removed == ()  # the same actions, under a new stage name


def test_moving_is_audited_a_case_at_a_time_and_for_a_senior_officer(
        caseload: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    oak, ash, elm = _at_diagnosis_and_escalated(caseload)
    next_version(tmp_path, monkeypatch)
    new = target_playbook("england", "2026.6")
    with transaction() as session:
        plans = {p.case_id: p for p in plan_migration(session, new)}
    with transaction() as session, pytest.raises(NotPermitted, match="a lead cannot move running cases to a new playbook"):
        migrate_case(session, new, plans[ash], terminal_viewer(LEAD), date(2026, 10, 2))
    for case in (oak, ash):
        with transaction() as session:
            migrate_case(session, new, plans[case], terminal_viewer(SENIOR), date(2026, 10, 2))
    assert _positions()[ash] == ("2026.6", "review") and _positions()[oak] == ("2026.6", "warning_notice")
    assert _positions()[elm] == ("2026.5", "escalated")  # refused: left as it was
    with transaction() as session:
        (event,) = session.execute(select(AuditEvent).where(AuditEvent.action == "playbook_migrated",
                                                            AuditEvent.case_id == ash)).scalars()
        assert event.actor == SENIOR and event.before == {"playbook": "england@2026.5", "stage": "diagnosis"}
        assert event.after["playbook"] == "england@2026.6" and event.after["stage"] == "review"
        # The moved case now follows 2026.6: its diagnosis concludes from the renamed stage.
        take_action(session, ash, "conclude_diagnosis", {"level": "LA4b", "reasons": "Attendance"}, on=date(2026, 10, 5),
                    actor_email=LEAD)
    assert _positions()[ash] == ("2026.6", "intervention")
    with transaction() as session:
        assert [p.case_id for p in plan_migration(session, new)] == [elm]  # only the refused one is left


def test_a_mapping_to_a_stage_that_does_not_exist_is_named_with_its_line(
        caseload: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    next_version(tmp_path, monkeypatch, mapping='diagnosis = "reveiw"')
    with pytest.raises(PlaybookError, match=r'england.toml:\d+: \[migrations."2026.5"\]: reveiw is not a stage of this version'):
        target_playbook("england", "2026.6")
