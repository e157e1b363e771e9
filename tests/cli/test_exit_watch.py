"""The year after exit: closing a case watches the school "at risk" for 12 months with
reviews at 6 and 12 months, reminded to the lead; reopening intervention opens a new case
linked to the old one and ends the watch."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from tests.cli.support import LEAD, advance, exit_case, open_case
from tests.conftest import Scc


def _closed_case(la: Scc) -> int:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=KS2 below floor")
    advance(la, case, "add_priority", "2026-09-25", "title=Reading", "success_criteria=80% at expected",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    exit_case(la, case, "2026-11-20")
    return case


def _live(shown: dict) -> dict[str, str]:
    return {d["kind"]: d["due"] for d in shown["deadlines"] if d["status"] in ("open", "overdue")}


def test_closing_watches_the_school_for_a_year_with_reviews_at_6_and_12_months(la: Scc, db_url: str) -> None:
    case = _closed_case(la)
    shown = la.json("case", "show", str(case))
    assert (shown["closed_on"], shown["watch_until"]) == ("2026-11-20", "2027-11-20")
    assert _live(shown) == {"exit_review_6_months": "2027-05-20", "exit_review_12_months": "2027-11-20"}
    assert [(c["scheme"], c["value"]) for c in shown["classifications"]][-1] == ("exit_watch", "at_risk")
    assert "the school is watched after exit until 2027-11-20" in la("case", "show", str(case)).stdout
    la("audit", "verify")  # live deadlines on a closed case are the watch's, and the log says so

    la.json("flows", "run", "deadline_sweep", "--on", "2027-05-21")  # the six-month review is a day late
    from models.db.messages import Notification
    from models.db.session import transaction

    with transaction() as session:
        sent = session.execute(select(Notification.recipient_email, Notification.subject)).all()
    assert any(to == LEAD and "Review six months after exit" in subject for to, subject in sent), sent

    advance(la, case, "record_six_month_review", "2027-05-24", "sustained=yes", "notes=reading held at 78%")
    ended = advance(la, case, "end_exit_watch", "2027-09-30", "notes=improvement sustained")
    assert ended["stage"] == "closed" and ended["watch_until"] is None
    shown = la.json("case", "show", str(case))
    assert _live(shown) == {}
    assert [(c["scheme"], c["value"]) for c in shown["classifications"]][-1] == ("exit_watch", "sustained")
    blocked = {a["action"]: a["blocked"] for a in la.json("case", "actions", str(case))["blocked"]}
    assert "not watched after exit" in blocked["record_six_month_review"]
    la("audit", "verify")


def test_reopening_opens_a_linked_case_and_ends_the_watch(la: Scc, refused: Callable[..., str]) -> None:
    case = _closed_case(la)
    assert "a case needs a reason" in refused("case", "reopen", str(case), "--reason", " ", "--on", "2027-03-01")
    reopened = la.json("case", "reopen", str(case), "--reason", "Reading outcomes fell again", "--on", "2027-03-01")
    assert (reopened["stage"], reopened["reopened_from"], reopened["lead"]) == ("concern_raised", case, LEAD)
    assert reopened["school"]["urn"] == "100001" and reopened["opened_on"] == "2027-03-01"

    old = la.json("case", "show", str(case))
    assert (old["watch_until"], old["reopened_as"]) == (None, reopened["id"])
    assert _live(old) == {}
    assert [(c["scheme"], c["value"]) for c in old["classifications"]][-1] == ("exit_watch", "reopened")
    assert old["events"][-1]["action"] == "exit_watch_ended"
    assert f"reopens the intervention of case {case}" in la("case", "show", str(reopened["id"])).stdout
    la("audit", "verify")

    assert "is not watched after exit" in refused("case", "reopen", str(case), "--reason", "again", "--on", "2027-03-02")
    assert "is not watched after exit" in refused("case", "reopen", str(reopened["id"]), "--reason", "x")


def test_opening_a_case_for_a_watched_school_reopens_its_intervention(la: Scc) -> None:
    case = _closed_case(la)
    again = la.json("case", "open", "100001", "--reason", "Safeguarding concern", "--on", "2027-01-11", "--lead", LEAD)
    assert again["reopened_from"] == case
    assert la.json("case", "show", str(case))["watch_until"] is None
