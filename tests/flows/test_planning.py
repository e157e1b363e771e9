"""The half-term plan: exactly the playbook's cadence, once, for the cases under intervention."""

from __future__ import annotations

from collections import Counter

from tests.cli.support import IP, advance, open_case
from tests.conftest import Scc


def _live(scc: Scc, case: int) -> list[dict]:
    return [d for d in scc.json("case", "show", str(case))["deadlines"] if d["status"] in ("open", "overdue")]


def test_plan_half_term_creates_exactly_the_cadence(la: Scc) -> None:
    case = open_case(la, on="2026-09-01")
    advance(la, case, "start_diagnosis", "2026-09-01")
    waiting = open_case(la, "100004", on="2026-09-01")  # still at 'concern raised': not under the cadence
    report = la.json("flows", "run", "plan_half_term", "--on", "2026-09-02")
    assert list(report["planned"]) == [str(case)]
    autumn_1 = Counter(d["kind"] for d in _live(la, case) if d["kind"] != "diagnosis_due")
    # England: one review and one IP report a half-term, two IP visits a half-term, and the
    # first of the term's two TIG meetings (the second falls in the second half-term).
    assert autumn_1 == {"progress_review_due": 1, "ip_progress_report_due": 1, "monitoring_visit_due": 2, "tig_meeting_due": 1}
    due = {d["kind"]: d["due"] for d in _live(la, case)}
    assert due["progress_review_due"] == "2026-10-23"  # the last school day before half-term
    assert due["ip_progress_report_due"] == "2026-10-16"  # five working days before the review
    assert _live(la, waiting) == []

    again = la.json("flows", "run", "plan_half_term", "--on", "2026-09-02")
    assert again["deadlines_added"] == 0

    la.json("flows", "run", "plan_half_term", "--on", "2026-11-02")
    term = Counter(d["kind"] for d in la.json("case", "show", str(case))["deadlines"] if d["basis"] == "school"
                   and d["kind"] != "diagnosis_due")
    assert term == {"progress_review_due": 2, "ip_progress_report_due": 2, "monitoring_visit_due": 4, "tig_meeting_due": 2}


def test_one_visit_meets_one_planned_visit(la: Scc) -> None:
    case = open_case(la, on="2026-09-01")
    advance(la, case, "start_diagnosis", "2026-09-01")
    la.json("flows", "run", "plan_half_term", "--on", "2026-09-02")
    advance(la, case, "record_monitoring_visit", "2026-09-20", "focus=Reading", "notes=Observed phonics", actor=IP)
    visits = sorted((d["due"], d["status"]) for d in la.json("case", "show", str(case))["deadlines"]
                    if d["kind"] == "monitoring_visit_due")
    assert [status for _, status in visits] == ["met", "open"]


def test_a_case_joining_mid_half_term_gets_only_what_is_still_ahead(la: Scc) -> None:
    case = open_case(la, on="2026-10-01")
    advance(la, case, "start_diagnosis", "2026-10-01")
    la.json("flows", "run", "plan_half_term", "--on", "2026-10-01")
    planned = [d for d in _live(la, case) if d["kind"] != "diagnosis_due"]
    assert planned and all(d["due"] >= "2026-10-01" for d in planned)
    assert Counter(d["kind"] for d in planned)["monitoring_visit_due"] == 1  # the first fell due in September


def test_planning_past_the_last_term_is_refused_not_guessed(la: Scc, monkeypatch) -> None:
    monkeypatch.setenv("SCC_TODAY", "2028-09-01")
    case = open_case(la, on="2026-09-01")
    advance(la, case, "start_diagnosis", "2026-09-01")
    report = la.json("flows", "run", "plan_half_term", "--on", "2028-09-01")
    assert "add the next year's terms" in report["refused"][str(case)]
    assert report["deadlines_added"] == 0


def test_unknown_recurring_flow_is_refused(refused) -> None:
    assert "choose one of plan_half_term, deadline_sweep, send_notifications" in refused("flows", "run", "plan_term")
