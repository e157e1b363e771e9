"""What the command-line tests share: people, schools, and driving a case."""

from __future__ import annotations

from tests.conftest import Scc

LEAD = "lead@riverford.example.gov.uk"
IP = "ip@riverford.example.gov.uk"
SENIOR = "senior@riverford.example.gov.uk"


def open_case(scc: Scc, urn: str = "100001", on: str = "2026-09-14") -> int:
    case = scc.json("case", "open", urn, "--reason", "Outcomes below floor", "--on", on, "--lead", LEAD)
    assert case["stage"] == "concern_raised"
    return int(case["id"])


def advance(scc: Scc, case: int, action: str, on: str, *sets: str, actor: str = LEAD) -> dict:
    args = ["case", "advance", str(case), action, "--on", on, "--as", actor]
    for pair in sets:
        args += ["--set", pair]
    return scc.json(*args)


NOTICE = ["grounds=low_standards,safety", "reasons=Standards fell", "required_action=Implement the plan",
          "compliance_days=15", "minded_to=appoint additional governors"]


def made(shown: dict, kind: str) -> str:
    """The path of the one document of ``kind`` an action produced."""
    (document,) = [d for d in shown["applied"]["documents"] if d["kind"] == kind]
    return str(document["path"])


def exit_case(scc: Scc, case: int, on: str) -> dict:
    """Take a case with priority 1 out of intervention as every shipped playbook does: a
    green review, exit, the summative meeting, close. Returns the closing action's answer."""
    advance(scc, case, "record_progress_review", on, "rag.1=green", "reason.1=reading at 80%", "next_steps=exit", actor=IP)
    advance(scc, case, "begin_exit", on, "reasons=improvement secured")
    advance(scc, case, "record_summative_meeting", on, "attendees=head, chair, LA", "notes=support tapered")
    closed = advance(scc, case, "close_case", on, "exit_conditions=reading at 80%")
    assert closed["stage"] == "closed"
    return closed
