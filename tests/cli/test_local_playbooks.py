"""The three LAs' own playbooks shipped as examples: each loads, and a case walks through
it from open to closed with the LA's own categories, meetings and rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from tests.cli.support import LEAD, SENIOR, advance, exit_case, made
from tests.cli.test_documents import text_of
from tests.conftest import Scc


def _open(scc: Scc, playbook: str, calendar: str = "riverford") -> int:
    case = scc.json("case", "open", "100001", "--reason", "Outcomes below floor", "--on", "2026-09-14", "--lead", LEAD,
                    "--playbook", playbook, "--calendar", calendar)
    assert (case["stage"], case["playbook"]) == ("concern_raised", playbook)
    return int(case["id"])


def _classified(scc: Scc, case: int) -> list[tuple[str, str]]:
    """The school's classifications, oldest first."""
    return [(c["scheme"], c["value"]) for c in scc.json("case", "show", str(case))["classifications"]]


def test_every_shipped_playbook_loads() -> None:
    from models.settings.files import names_in, playbook_named

    assert {"milton-keynes", "staffordshire", "central-south"} <= set(names_in("playbooks"))
    for name in names_in("playbooks"):
        assert playbook_named(name).name == name


def test_milton_keynes_categories_tig_with_head_and_chair_and_summative_exit(la: Scc, refused: Callable[..., str]) -> None:
    case = _open(la, "milton-keynes")
    advance(la, case, "start_diagnosis", "2026-09-15")
    assert "LA4a, LA4b" in refused("case", "advance", str(case), "conclude_diagnosis", "--on", "2026-09-25",
                                   "--set", "level=Stage 3", "--set", "reasons=standards", "--as", LEAD)
    concluded = advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=KS2 below floor for three years")
    assert concluded["stage_title"] == "Intervention: Targeted Intervention Group"
    assert _classified(la, case) == [("la_category", "LA4b")]
    advance(la, case, "add_priority", "2026-09-25", "title=Reading", "success_criteria=80% at expected",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    # a TIG meeting is not recorded without the headteacher and the chair of governors
    assert "chair" in refused("case", "advance", str(case), "record_tig_meeting", "--on", "2026-10-05",
                              "--set", "headteacher=Hana Head", "--set", "attendees=LA officers", "--set", "notes=on track",
                              "--as", LEAD)
    advance(la, case, "record_tig_meeting", "2026-10-05", "headteacher=Hana Head", "chair=Carl Chair",
            "attendees=head of school improvement, SIP", "notes=milestones on track")
    la.json("flows", "run", "plan_half_term", "--on", "2026-11-02")
    tig = [d["status"] for d in la.json("case", "show", str(case))["deadlines"] if d["kind"] == "tig_meeting_due"]
    assert tig == ["met", "open"]  # the first planned on entering intervention, met on 5 October; then the term's second
    advance(la, case, "record_classification", "2026-11-10", "scheme=la_category", "value=LA4a",
            "evidence=tracking shows progress", actor=SENIOR)
    exit_case(la, case, "2026-11-20")
    assert _classified(la, case) == [("la_category", "LA4b"), ("la_category", "LA4a"), ("exit_watch", "at_risk")]


def test_staffordshire_stages_core_group_continuation_and_urgent_statement(la: Scc, refused: Callable[..., str]) -> None:
    case = _open(la, "staffordshire")
    advance(la, case, "start_diagnosis", "2026-09-15")
    concluded = advance(la, case, "conclude_diagnosis", "2026-09-25", "level=stage_3", "reasons=attainment and leadership")
    assert ("monitor progress through improvement partner visits, half-termly progress reviews and core group meetings, "
            "which the head teacher and the chair of governors attend.") in text_of(made(concluded, "causing_concern_notification"))
    assert _classified(la, case) == [("concern_stage", "stage_3")]
    advance(la, case, "record_classification", "2026-09-25", "scheme=support_level", "value=high", "evidence=category 4")
    assert "record_tig_meeting" in refused("case", "advance", str(case), "record_tig_meeting", "--on", "2026-10-01",
                                           "--set", "attendees=x", "--set", "notes=y", "--as", LEAD)
    advance(la, case, "add_priority", "2026-09-25", "title=Reading", "success_criteria=80% at expected",
            "lead=English lead", "target_on=2027-07-16", "resources=consultant, 4 days")
    advance(la, case, "record_core_group_meeting", "2026-10-01", "attendees=DSIM, head, chair", "notes=plan agreed")
    advance(la, case, "continue_intervention", "2027-01-11", "reasons=some progress", "improvement_by=2027-03-19")
    urgent = advance(la, case, "record_case_urgent", "2027-01-20", "notified_on=2027-01-20", "detail=HMI visit 2")
    (due,) = [d for d in urgent["applied"]["deadlines"] if d["kind"] == "statement_of_action_due"]
    assert due["due"] == "2027-02-03" and due["basis"] == "working"  # 10 working days after 20 January
    advance(la, case, "escalate", "2027-01-25", "reasons=three terms: referred to DMT")
    assert la.json("case", "show", str(case))["stage_title"] == "Referred to the directorate management team"
    advance(la, case, "submit_statement_of_action", "2027-02-01", "target_removal_on=2027-07-20", "summary=new plan",
            "parents_arrangements=letter and meeting")
    exit_case(la, case, "2027-03-01")


def test_central_south_support_categories_choose_the_review_cadence(la: Scc) -> None:
    case = _open(la, "central-south", "glanmor")
    advance(la, case, "start_diagnosis", "2026-09-15")
    concluded = advance(la, case, "conclude_diagnosis", "2026-09-25", "level=amber", "reasons=standards in literacy")
    letter = text_of(made(concluded, "causing_concern_notification"))
    assert "monitor progress through improvement partner visits and progress reviews." in letter
    assert "Targeted Intervention Group" not in letter  # the consortium holds none
    assert _classified(la, case) == [("support_level", "amber")]
    advance(la, case, "add_priority", "2026-09-25", "title=Literacy", "success_criteria=80% at expected",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")

    def planned(on: str) -> Counter[str]:
        before = {d["id"] for d in la.json("case", "show", str(case))["deadlines"]}
        la.json("flows", "run", "plan_half_term", "--on", on)
        return Counter(d["kind"] for d in la.json("case", "show", str(case))["deadlines"] if d["id"] not in before)

    # amber: the RAG judgement once a term, at its end; IP visits twice each half-term; no TIG.
    # Entering intervention on 25 September planned the first half-term's visits that day.
    assert Counter(d["kind"] for d in la.json("case", "show", str(case))["deadlines"]
                   if d["unit"] == "cadence") == {"monitoring_visit_due": 2}
    assert planned("2026-09-28") == {}
    assert planned("2026-11-02") == {"monitoring_visit_due": 2, "progress_review_due": 1, "ip_progress_report_due": 1}
    advance(la, case, "record_classification", "2026-12-18", "scheme=support_level", "value=red",
            "evidence=little progress this term", actor=SENIOR)
    # red: every half-term
    assert planned("2027-01-06") == {"monitoring_visit_due": 2, "progress_review_due": 1, "ip_progress_report_due": 1}
    exit_case(la, case, "2027-01-20")
    assert _classified(la, case) == [("support_level", "amber"), ("support_level", "red"), ("exit_watch", "at_risk")]


def test_a_staffordshire_stage_1_school_is_visited_and_reviewed_once_a_term_with_no_core_group(la: Scc) -> None:
    case = _open(la, "staffordshire")
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=stage_1", "reasons=a watching brief")
    advance(la, case, "add_priority", "2026-09-25", "title=Reading", "success_criteria=80% at expected",
            "lead=English lead", "target_on=2027-07-16", "resources=none beyond the IP")

    def planned(on: str) -> Counter[str]:
        before = {d["id"] for d in la.json("case", "show", str(case))["deadlines"]}
        la.json("flows", "run", "plan_half_term", "--on", on)
        return Counter(d["kind"] for d in la.json("case", "show", str(case))["deadlines"] if d["id"] not in before)

    # A watching brief (003:L1510, L1539): over the autumn term one visit and one review, no core group meeting.
    autumn = planned("2026-09-28") + planned("2026-11-02")
    assert autumn == {"monitoring_visit_due": 1, "progress_review_due": 1, "ip_progress_report_due": 1}
    assert "tig_meeting_due" not in autumn
