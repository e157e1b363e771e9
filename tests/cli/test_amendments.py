"""Correcting an action recorded with a wrong field or day: a review's RAG corrected, an
Ofsted category's mistyped publication day corrected and the statement of action's
deadline counted again from it, the action's letters marked; every refusal one line that
writes nothing."""

from __future__ import annotations

from tests.cli.support import IP, LEAD, NOTICE, SENIOR, advance, open_case
from tests.conftest import Scc

PRIORITY = ["title=Reading", "success_criteria=70% at expected", "lead=Deputy head", "target_on=2027-03-26", "resources=English hub"]


def _event(la: Scc, case: int, action: str) -> int:
    """The event number of the case's latest ``action``."""
    return max(e["seq"] for e in la.json("case", "show", str(case))["events"] if e["action"] == action)


def _reviewed(la: Scc) -> tuple[int, int]:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Attendance")
    advance(la, case, "add_priority", "2026-09-25", *PRIORITY)
    advance(la, case, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=Keep going", actor=IP)
    return case, _event(la, case, "record_progress_review")


def test_a_review_s_rag_is_corrected_and_the_history_keeps_both(la: Scc) -> None:
    case, review = _reviewed(la)
    shown = la.json("case", "amend", str(case), str(review), "--set", "rag.1=red", "--set", "reason.1=reading fell to 40%",
                    "--reason", "the IP typed amber for red", "--as", IP)
    assert shown["priorities"][0]["latest_rag"] == "red"
    (meeting,) = shown["meetings"]
    assert meeting["held_on"] == "2026-10-20"
    amended = next(e for e in shown["events"] if e["action"] == "action_amended")
    assert amended["before"] == {"action": "record_progress_review", "on": "2026-10-20",
                                 "fields": {"rag": {"1": "amber"}, "reason": None}}
    assert amended["after"]["changed"] == {"rag": {"1": "red"}, "reason": {"1": "reading fell to 40%"}}
    assert amended["after"]["reason"] == "the IP typed amber for red"
    assert amended["after"]["corrects"] == review
    (report,) = [d for d in la.json("doc", "list", str(case)) if d["kind"] == "progress_review_report"]
    assert report["corrected_by"] == amended["seq"]  # made before the correction: make it again
    again = la.json("case", "amend", str(case), str(review), "--on", "2026-10-21", "--reason", "held the day after", "--as", IP)
    assert again["meetings"][0]["held_on"] == "2026-10-21" and again["priorities"][0]["latest_rag"] == "red"  # from the first correction


def test_a_mistyped_publication_day_counts_the_statement_of_action_again(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "record_inspection_category", "2026-10-05", "category=special_measures", "report_published_on=2026-10-02")
    event = _event(la, case, "record_inspection_category")
    due = next(d for d in la.json("case", "show", str(case))["deadlines"] if d["kind"] == "statement_of_action_due")
    assert due["due"] == "2026-10-16"
    shown = la.json("case", "amend", str(case), str(event), "--set", "report_published_on=2026-10-09", "--on", "2026-10-12",
                    "--reason", "the report was published a week later", "--as", LEAD)
    moved = next(d for d in shown["deadlines"] if d["kind"] == "statement_of_action_due")
    assert moved["due"] == "2026-10-23" and "Fri 9 Oct 2026" in moved["explanation"]
    (placed,) = [c for c in shown["classifications"] if c["scheme"] == "inspection"]
    assert placed["effective_on"] == "2026-10-12"
    recount = next(e for e in shown["events"] if e["action"] == "deadline_recounted")
    assert recount["before"]["due"] == "2026-10-16" and recount["after"]["due"] == "2026-10-23"
    assert "was corrected" in recount["after"]["because"]
    assert la("audit", "verify").exit_code == 0  # the moved deadline agrees with the audit log


def test_refusals_name_the_problem_and_write_nothing(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case, review = _reviewed(la)
    amend = ["case", "amend", str(case), str(review)]
    assert "needs a reason" in refused(*amend, "--set", "rag.1=red", "--reason", " ", "--as", IP)
    assert "already says that" in refused(*amend, "--set", "rag.1=amber", "--reason", "r", "--as", IP)
    assert "red needs a written explanation" in refused(*amend, "--set", "rag.1=red", "--reason", "r", "--as", IP)
    assert "has no field 'colour'" in refused(*amend, "--set", "colour=red", "--reason", "r", "--as", IP)
    assert "after today" in refused(*amend, "--on", "2027-10-30", "--reason", "r", "--as", IP)
    assert "before Friday 25 September 2026" in refused(*amend, "--on", "2026-09-20", "--reason", "r", "--as", IP)
    added = _event(la, case, "add_priority")
    assert "corrected on its own" in refused("case", "amend", str(case), str(added), "--set", "lead=Head", "--reason", "r",
                                             "--as", LEAD)
    concluded = _event(la, case, "conclude_diagnosis")
    assert "only lead, senior may correct" in refused("case", "amend", str(case), str(concluded), "--set", "reasons=x",
                                                      "--reason", "r", "--as", IP)
    assert "has no action recorded as event 9999" in refused("case", "amend", str(case), "9999", "--reason", "r", "--as", LEAD)


def test_a_notice_and_an_action_whose_letter_went_are_not_amended(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    notice = _event(la, case, "issue_warning_notice")
    assert "change its wording on its draft letter" in refused("case", "amend", str(case), str(notice), "--set", "reasons=x",
                                                               "--reason", "r", "--as", LEAD)
    other = open_case(la, "100004")
    advance(la, other, "start_diagnosis", "2026-09-15")
    advance(la, other, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Attendance")
    (letter,) = la.json("doc", "list", str(other))
    la("doc", "issue", str(letter["id"]), "--on", "2026-09-28", "--send", "chair=post", "--send", "head=post", "--as", SENIOR)
    concluded = _event(la, other, "conclude_diagnosis")
    assert "was issued on Monday 28 September 2026" in refused("case", "amend", str(other), str(concluded),
                                                               "--set", "reasons=Attendance and behaviour", "--reason", "r",
                                                               "--as", LEAD)
