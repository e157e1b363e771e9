"""Planning when it is needed: a lead plans this half-term's review, visits and TIG meeting
for one case that entered diagnosis after the half-term's plan ran; asking twice, or for a case
at a stage nothing is planned for, is refused in one line with nothing written."""

from __future__ import annotations

from tests.cli.support import LEAD, advance, open_case
from tests.conftest import Scc

CADENCE = {"progress_review_due", "ip_progress_report_due", "monitoring_visit_due", "tig_meeting_due"}


def _planned(la: Scc, case: int) -> list[tuple[str, str]]:
    return sorted((d["kind"], d["due"]) for d in la.json("case", "show", str(case))["deadlines"]
                  if d["kind"] in CADENCE and d["status"] in ("open", "overdue"))


def test_a_lead_plans_this_half_term_for_one_case(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la, on="2027-09-06")
    advance(la, case, "start_diagnosis", "2027-09-07")
    assert _planned(la, case) == []  # entered after the half-term's plan ran
    shown = la.json("case", "plan", str(case), "--as", LEAD)  # today: Thursday 30 September 2027
    planned = _planned(la, case)
    assert {kind for kind, _ in planned} >= {"progress_review_due", "monitoring_visit_due"}
    assert all(due >= "2027-09-30" for _, due in planned), planned  # nothing already past
    assert [e for e in shown["events"] if e["action"] == "half_term_planned"][-1]["on"] == "2027-09-30"
    assert "already planned" in refused("case", "plan", str(case), "--as", LEAD)
    assert la.json("flows", "run", "plan_half_term", "--on", "2027-09-30")["planned"].get(str(case)) is None  # nothing twice
    waiting = open_case(la, "100004")
    assert "plans no reviews or visits" in refused("case", "plan", str(waiting), "--as", LEAD)
