"""Term dates that change while cases run: an added INSET day moves exactly the school-day
deadlines it falls within, never a met or overdue one; applying it is audited, tells each
case team once, and is a senior officer's task; the sweep alerts the lead instead of moving
anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from models.db.audit import AuditEvent
from models.db.cases import Deadline
from models.db.messages import Alert, Notification
from models.db.schools import Person
from models.db.session import transaction
from models.errors import NotPermitted
from models.services.access import terminal_viewer
from models.services.cases import take_action
from models.services.recount import TERM_DATES_ALERT, apply_term_dates, deadline_moves
from models.services.sweep import deadline_sweep
from tests.services.conftest import LEAD, OTHER_IP, OTHER_LEAD, SENIOR

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "calendars" / "riverford.toml"
AS_OF = date(2026, 9, 20)


def add_inset_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The LA adds an INSET day on Thursday 1 October 2026 to its calendar."""
    folder = tmp_path / "config" / "calendars"
    folder.mkdir(parents=True)
    text = SHIPPED.read_text(encoding="utf-8")
    edited = text.replace("closures = [2026-09-02, 2026-11-27]", "closures = [2026-09-02, 2026-10-01, 2026-11-27]")
    assert edited != text
    (folder / "riverford.toml").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("SCC_CONFIG_DIR", str(tmp_path / "config"))


def _diagnoses(caseload: dict[str, int]) -> tuple[int, int]:
    """Elm's and Ash's diagnoses start on 15 September (20 school days: due 13 October);
    Ash's is concluded on 18 September, which meets its deadline. (Oak, at its warning
    notice, has a compliance period counted in working days.)"""
    elm, ash = caseload["Elm Primary"], caseload["Ash CE Primary"]
    with transaction() as session:
        for case in (elm, ash):
            take_action(session, case, "start_diagnosis", {}, on=date(2026, 9, 15), actor_email=LEAD)
        take_action(session, ash, "conclude_diagnosis", {"level": "LA4b", "reasons": "Attendance"}, on=date(2026, 9, 18),
                    actor_email=LEAD)
    return elm, ash


def _deadline(case: int, kind: str) -> Deadline:
    with transaction() as session:
        found = session.execute(select(Deadline).where(Deadline.case_id == case, Deadline.kind == kind)).scalar_one()
        session.expunge(found)
        return found


def test_an_added_inset_day_moves_only_the_school_day_deadlines_it_falls_within(
        caseload: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elm, ash = _diagnoses(caseload)
    assert _deadline(elm, "diagnosis_due").due == date(2026, 10, 13)
    with transaction() as session:
        assert deadline_moves(session, AS_OF)[0] == []  # the term dates have not changed
    add_inset_day(tmp_path, monkeypatch)
    with transaction() as session:
        moves, _ = deadline_moves(session, AS_OF)
    assert [(m.case_id, m.kind, m.old_due, m.new_due) for m in moves] == [
        (ash, "action_plan_due", date(2026, 10, 16), date(2026, 10, 19)),  # set when its diagnosis concluded
        (elm, "diagnosis_due", date(2026, 10, 13), date(2026, 10, 14)),  # not Ash's diagnosis: it was met
    ]
    assert all("Thu 1 Oct 2026 (2026-10-01)" in m.new_explanation for m in moves)
    assert "is Wed 14 Oct 2026 (2026-10-14)" in moves[1].new_explanation
    assert _deadline(elm, "diagnosis_due").due == date(2026, 10, 13)  # a check changes nothing
    # Oak's compliance period (working days: term dates do not count) and anything overdue stay.
    with transaction() as session:
        assert [m.kind for m in deadline_moves(session, date(2026, 10, 20))[0]] == []  # by then it is overdue

    with transaction() as session:
        with pytest.raises(NotPermitted, match="a lead cannot move deadlines to changed term dates: ask a senior"):
            apply_term_dates(session, "riverford", terminal_viewer(LEAD), AS_OF)
    assert _deadline(elm, "diagnosis_due").due == date(2026, 10, 13)

    with transaction() as session:  # Elm's IP reads Welsh
        session.execute(update(Person).where(Person.email == OTHER_IP).values(language="cy"))
    with transaction() as session:
        applied = apply_term_dates(session, "riverford", terminal_viewer(SENIOR), AS_OF)
    assert [m.deadline_id for m in applied] == [m.deadline_id for m in moves]
    moved = _deadline(elm, "diagnosis_due")
    assert moved.due == date(2026, 10, 14) and moved.explanation == moves[1].new_explanation and moved.status == "open"
    assert _deadline(ash, "diagnosis_due").due == date(2026, 10, 13)
    with transaction() as session:
        events = session.execute(select(AuditEvent).where(AuditEvent.action == "deadline_recounted")
                                 .order_by(AuditEvent.seq)).scalars().all()
        assert [(e.case_id, e.actor, e.before["due"], e.after["due"]) for e in events] == [
            (ash, SENIOR, "2026-10-16", "2026-10-19"), (elm, SENIOR, "2026-10-13", "2026-10-14")]
        told = session.execute(select(Notification.case_id, Notification.recipient_email, Notification.body)
                               .where(Notification.key.like("term-dates:%"))).all()
        assert sorted((t.case_id, t.recipient_email) for t in told) == sorted([(ash, OTHER_LEAD), (ash, OTHER_IP),
                                                                               (elm, LEAD), (elm, OTHER_IP)])
        (to_elm_lead,) = [t.body for t in told if t.case_id == elm and t.recipient_email == LEAD]
        assert "was due Tuesday 13 October 2026, now due Wednesday 14 October 2026" in to_elm_lead
        (to_elm_ip,) = [t.body for t in told if t.case_id == elm and t.recipient_email == OTHER_IP]
        assert to_elm_ip.startswith("Annwyl Ida Partner,") and "Iau 1 Hyd 2026 (2026-10-01) diwrnod cau (Hydref)" in to_elm_ip
        assert "roedd yn ddyledus Dydd Mawrth 13 Hydref 2026, bellach yn ddyledus Dydd Mercher 14 Hydref 2026 (" in to_elm_ip
        assert "diwrnod ysgol ar ôl" in to_elm_ip and "Iau 1 Hyd 2026 (2026-10-01)" in to_elm_ip and "was due" not in to_elm_ip
        assert deadline_moves(session, AS_OF) == ([], {})  # current again
    with transaction() as session:
        assert apply_term_dates(session, "riverford", terminal_viewer(SENIOR), AS_OF) == []  # applying twice moves and sends nothing
        assert len(session.execute(select(Notification).where(Notification.key.like("term-dates:%"))).all()) == 4


def test_the_sweep_alerts_the_lead_and_moves_nothing(caseload: dict[str, int], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    elm, ash = _diagnoses(caseload)
    add_inset_day(tmp_path, monkeypatch)
    with transaction() as session:
        report = deadline_sweep(session, AS_OF)
        again = deadline_sweep(session, AS_OF)
    assert report.term_date_alerts == 2 and again.term_date_alerts == 0  # once per case and calendar version
    assert _deadline(elm, "diagnosis_due").due == date(2026, 10, 13)
    with transaction() as session:
        alerts = {a.case_id: a for a in session.execute(select(Alert).where(Alert.kind == TERM_DATES_ALERT)).scalars()}
        assert set(alerts) == {elm, ash} and all(a.resolved_on is None and a.to_role == "lead" for a in alerts.values())
        assert ("1 deadline(s) of this case would move (Diagnosis: Tuesday 13 October 2026 → Wednesday 14 October 2026). "
                "A senior officer applies the change on the Term dates page") in alerts[elm].detail
        apply_term_dates(session, "riverford", terminal_viewer(SENIOR), AS_OF)
    with transaction() as session:
        alerts = {a.case_id: a for a in session.execute(select(Alert).where(Alert.kind == TERM_DATES_ALERT)).scalars()}
        assert all(a.resolved_on == AS_OF for a in alerts.values())
