"""Correcting a case, never rewriting it: a priority's fields amended or the priority
withdrawn, each with a reason the audit log keeps beside what was first recorded; the
letters made from it marked until a new version is made."""

from __future__ import annotations

import docx

from tests.cli.support import IP, LEAD, NOTICE, SENIOR, advance, open_case
from tests.cli.support import made as _made
from tests.conftest import Scc


def _leads(path: str) -> list[str]:
    """The lead column of a statement of action's table of priorities."""
    return [row.cells[3].text for row in docx.Document(path).tables[0].rows[1:]]


PRIORITY = ["title=Reading", "success_criteria=70% at expected", "lead=Deputy head", "target_on=2027-03-26", "resources=English hub"]


def test_a_priority_asks_for_what_the_statement_of_action_will_need(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    error = refused("case", "advance", str(case), "add_priority", "--on", "2026-09-20", "--as", LEAD,
                    "--set", "title=Reading", "--set", "success_criteria=70% at expected")
    assert "lead" in error and "target_on" in error and "resources" in error


def test_a_corrected_priority_is_what_the_next_statement_says_and_the_old_one_is_marked(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)
    advance(la, case, "add_priority", "2026-09-20", "title=Governance", "success_criteria=Minutes show challenge",
            "lead=Chair", "target_on=2027-02-12", "resources=NLG")
    shown = advance(la, case, "submit_statement_of_action", "2026-09-21", "target_removal_on=2027-07-01",
                    "summary=Plan", "parents_arrangements=A parents' meeting")
    assert _leads(_made(shown, "statement_of_action")) == ["Deputy head", "Chair"]
    la("case", "correct-priority", str(case), "1", "--set", "lead=Head of English", "--reason", "the deputy head left", "--as", LEAD)
    (letter,) = [d for d in la.json("doc", "list", str(case)) if d["kind"] == "statement_of_action"]
    assert letter["corrected_by"] is not None  # made before a correction
    again = la.json("doc", "render", str(case), "statement_of_action", "--as", LEAD)
    assert _leads(again["path"]) == ["Head of English", "Chair"] and again["corrected_by"] is None
    events = la.json("case", "show", str(case))["events"]
    added = next(e for e in events if e["action"] == "add_priority" and "priority 1" in e["after"]["records"])
    corrected = next(e for e in events if e["action"] == "priority_amended")
    assert corrected["before"] == {"priority": 1, "lead": "Deputy head"}
    assert corrected["after"] == {"priority": 1, "lead": "Head of English", "reason": "the deputy head left", "corrects": added["seq"]}


def test_a_withdrawn_priority_leaves_the_reviews(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)  # the same priority twice, in error
    la("case", "withdraw-priority", str(case), "2", "--reason", "entered twice", "--as", IP)
    shown = la.json("case", "show", str(case))
    assert [p["number"] for p in shown["priorities"]] == [1]
    assert [(p["number"], p["withdrawn_reason"]) for p in shown["withdrawn_priorities"]] == [(2, "entered twice")]
    reviewed = advance(la, case, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=Keep going", actor=IP)
    assert [e["action"] for e in reviewed["events"]][-2:] == ["record_progress_review", "document_generated"]
    advance(la, case, "add_priority", "2026-10-21", "title=Attendance", "success_criteria=95%", "lead=Head",
            "target_on=2027-03-26", "resources=EWO")
    assert [p["number"] for p in la.json("case", "show", str(case))["priorities"]] == [1, 3]  # numbers are never reused


def test_corrections_are_refused_in_one_line_and_write_nothing(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-20", *PRIORITY)
    other = open_case(la, "100004")  # a case with no IP: Ian Partner cannot see it
    advance(la, other, "add_priority", "2026-09-20", *PRIORITY)
    for args, expected in [
        (["correct-priority", str(case), "1", "--set", "lead=X", "--reason", " "], "needs a reason"),
        (["correct-priority", str(case), "1", "--set", "colour=blue", "--reason", "r"], "no field colour"),
        (["correct-priority", str(case), "1", "--set", "target_on=someday", "--reason", "r"], "target_on"),
        (["correct-priority", str(case), "1", "--set", "lead=", "--reason", "r"], "lead"),
        (["correct-priority", str(case), "1", "--set", "lead=Deputy head", "--reason", "r"], "nothing to correct"),
        (["correct-priority", str(case), "7", "--set", "lead=X", "--reason", "r"], "no priority 7"),
        (["withdraw-priority", str(other), "1", "--reason", "r", "--as", IP], f"no case {other}"),
    ]:
        assert expected in refused("case", *args), args
    la("case", "withdraw-priority", str(case), "1", "--reason", "not pursued")
    assert "was withdrawn on" in refused("case", "correct-priority", str(case), "1", "--set", "lead=X", "--reason", "r")


def _live(la: Scc, case: int) -> list[tuple[str, str, str]]:
    return sorted((d["kind"], d["due"], d["status"]) for d in la.json("case", "show", str(case))["deadlines"]
                  if d["status"] in ("open", "overdue"))


def test_a_senior_officer_undoes_an_action_taken_in_error(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    before, stage = _live(la, case), la.json("case", "show", str(case))["stage"]
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Attendance")  # meant for another school
    kinds = {kind for kind, _, _ in _live(la, case)}
    assert {"action_plan_due", "progress_review_due", "monitoring_visit_due"} <= kinds  # entering intervention planned the half-term
    shown = la.json("case", "undo", str(case), "--reason", "recorded on the wrong school", "--as", SENIOR)
    assert shown["stage"] == stage and _live(la, case) == before
    assert shown["classifications"] == []  # the LA category it recorded is gone
    undone = shown["events"][-1]
    assert undone["action"] == "action_undone" and undone["after"]["reason"] == "recorded on the wrong school"
    assert [e["action"] for e in shown["events"]].count("conclude_diagnosis") == 1  # the history keeps it
    (letter,) = la.json("doc", "list", str(case))
    assert letter["kind"] == "causing_concern_notification" and letter["corrected_by"] == undone["seq"]
    assert "'action undone', not an action" in refused("case", "undo", str(case), "--reason", "again", "--as", SENIOR)


def test_undo_is_refused_for_an_issued_notice_for_others_and_without_a_reason(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    (letter,) = la.json("doc", "list", str(case))
    la("doc", "issue", str(letter["id"]), "--on", "2026-10-05", "--send", "chair=post", "--send", "head=hand",
       "--send", "chief_inspector=post", "--send", "secretary_of_state=post", "--as", LEAD)
    assert "withdraw the notice" in refused("case", "undo", str(case), "--reason", "r", "--as", SENIOR)
    other = open_case(la, "100004")
    advance(la, other, "start_diagnosis", "2026-09-15")
    assert "needs a reason" in refused("case", "undo", str(other), "--reason", " ", "--as", SENIOR)
    assert "undo a case's latest action" in refused("case", "undo", str(other), "--reason", "r", "--as", LEAD)


def test_a_review_recorded_in_error_is_withdrawn_and_its_duty_is_due_again(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Attendance")
    advance(la, case, "add_priority", "2026-09-25", *PRIORITY)
    la.json("flows", "run", "plan_half_term", "--on", "2026-09-28")
    due = [d for d in _live(la, case) if d[0] == "progress_review_due"]
    assert due
    advance(la, case, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=Keep going", actor=IP)
    assert [d for d in _live(la, case) if d[0] == "progress_review_due"] == due[1:]
    (review,) = la.json("case", "show", str(case))["meetings"]
    shown = la.json("case", "withdraw-meeting", str(case), str(review["id"]), "--reason", "this was Elm's review", "--as", IP)
    assert [d for d in _live(la, case) if d[0] == "progress_review_due"] == due  # due again
    (withdrawn,) = shown["meetings"]
    assert withdrawn["withdrawn_reason"] == "this was Elm's review"
    assert shown["priorities"][0]["latest_rag"] is None  # the withdrawn review judges nothing
    (report,) = [d for d in la.json("doc", "list", str(case)) if d["kind"] == "progress_review_report"]
    assert report["corrected_by"] == shown["events"][-1]["seq"]
    assert "already withdrawn" in refused("case", "withdraw-meeting", str(case), str(review["id"]), "--reason", "r", "--as", IP)
    assert "no meeting 999" in refused("case", "withdraw-meeting", str(case), "999", "--reason", "r", "--as", IP)


def test_a_category_recorded_on_the_wrong_school_is_withdrawn_and_its_deadline_cancelled(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    shown = advance(la, case, "record_inspection_category", "2026-10-05", "category=special_measures", "report_published_on=2026-10-02")
    assert [d["kind"] for d in shown["applied"]["deadlines"]] == ["statement_of_action_due"]
    (category,) = [c for c in la.json("case", "show", str(case))["classifications"] if c["case_id"] == case]
    assert "only lead" in refused("case", "withdraw-classification", str(case), str(category["id"]), "--reason", "r", "--as", IP)
    shown = la.json("case", "withdraw-classification", str(case), str(category["id"]), "--reason", "this was Elm's report",
                    "--as", LEAD)
    assert [(c["value"], c["withdrawn_reason"]) for c in shown["classifications"]] == [("special_measures", "this was Elm's report")]
    assert [d for d in _live(la, case) if d[0] == "statement_of_action_due"] == []
    (letter,) = la.json("doc", "list", str(case))
    assert letter["kind"] == "category_letter" and letter["corrected_by"] == shown["events"][-1]["seq"]
    # it places the school in nothing: a second inspection category may now be recorded afresh
    assert "already withdrawn" in refused("case", "withdraw-classification", str(case), str(category["id"]), "--reason", "r",
                                          "--as", LEAD)
