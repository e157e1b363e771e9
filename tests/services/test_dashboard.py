"""The dashboard's figures for a term, against hand counts and against the termly report of
the same term."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from sqlalchemy import true

from models.adapters.docx.letterhead import letterhead
from models.db.session import transaction
from models.services.dashboard import dashboard
from models.services.termly_report import termly_report

TODAY = date(2027, 9, 30)


def _pairs(rows) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {r.name: r.count for r in rows}


def test_the_autumn_term_counted_by_hand(caseload: dict[str, int]) -> None:
    with transaction() as session:
        board = dashboard(session, "Autumn 2026", TODAY, true())
    assert (board.term, board.as_of, board.cases) == ("Autumn 2026", date(2026, 12, 18), 3)
    assert _pairs(board.by_stage) == {"Concern raised": 2, "Warning notice given": 1}
    assert _pairs(board.by_school_type) == {"community": 2, "voluntary aided": 1}
    # Oak's compliance period ended on 26 October; its powers window runs to 26 December
    assert _pairs(board.overdue_by_kind) == {"End of the warning notice's compliance period": 1}
    assert _pairs(board.overdue_by_lead) == {"Lena Lead": 1}
    assert _pairs(board.exits) == {"still open": 3}
    stages = {s.stage: s for s in board.time_in_stage}
    # Concern raised: Oak 14 Sep → 5 Oct (21 days); Ash and Elm 14 Sep → 18 Dec (95 days)
    assert (stages["Concern raised"].cases, stages["Concern raised"].median_days, stages["Concern raised"].longest_days) == (3, 95, 95)
    assert (stages["Warning notice given"].cases, stages["Warning notice given"].longest_days) == (1, 74)


def test_the_dashboard_and_the_termly_report_agree(caseload: dict[str, int]) -> None:
    with transaction() as session:
        board = dashboard(session, "Autumn 2026", TODAY, true())
        report = termly_report(session, "Autumn 2026", "test", TODAY, true(), letterhead())
        from models.db.installation import data_root, file_at

        path = file_at(data_root(session), report.path)
    printed = {}
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) == 2 and cells[1].isdigit():
                printed[cells[0]] = int(cells[1])
    assert printed.pop("All stages") == board.cases
    assert printed == _pairs(board.by_stage)


def test_a_term_with_no_cases_and_a_category_filter(caseload: dict[str, int]) -> None:
    with transaction() as session:
        assert dashboard(session, "Autumn 2026", TODAY, true(), category="LA4").cases == 0
        assert dashboard(session, "Summer 2027", TODAY, true()).cases == 3  # still open, so counted


def test_each_reviewed_case_has_its_rag_over_time(caseload: dict[str, int]) -> None:
    from models.services.cases import take_action
    from tests.services.conftest import LEAD, OTHER_IP

    elm = caseload["Elm Primary"]
    with transaction() as session:
        for action, on, fields, actor in [
            ("start_diagnosis", date(2026, 9, 15), {}, LEAD),
            ("conclude_diagnosis", date(2026, 9, 25), {"level": "LA4b", "reasons": "attendance"}, LEAD),
            ("add_priority", date(2026, 9, 28), {"title": "Attendance", "success_criteria": "Above 94%",
                "lead": "Head teacher", "target_on": "2027-07-16", "resources": "IP time"}, LEAD),
            ("record_progress_review", date(2026, 10, 20), {"rag.1": "red", "reason.1": "92%", "next_steps": "Visits"}, OTHER_IP),
            ("add_priority", date(2026, 11, 2), {"title": "Governance", "success_criteria": "Minutes show challenge",
                "lead": "Head teacher", "target_on": "2027-07-16", "resources": "IP time"}, LEAD),
            ("record_progress_review", date(2026, 12, 10), {"rag.1": "amber", "rag.2": "green", "reason.2": "Minutes",
                                                            "next_steps": "Keep on"}, OTHER_IP),
        ]:
            take_action(session, elm, action, fields, on=on, actor_email=actor)
        board = dashboard(session, "Autumn 2026", TODAY, true())
    (history,) = board.rag_history
    assert (history.case_id, history.school, history.reviews) == (elm, "Elm Primary", [date(2026, 10, 20), date(2026, 12, 10)])
    assert [(p.number, p.title, p.ratings) for p in history.priorities] == [
        (1, "Attendance", ["red", "amber"]), (2, "Governance", [None, "green"])]
    assert (board.rag_cases, board.rag_page, board.rag_pages) == (1, 1, 1)


def test_the_rag_charts_come_a_page_of_cases_at_a_time(caseload: dict[str, int]) -> None:
    from models.errors import InvalidInput
    from models.services.cases import take_action
    from tests.services.conftest import LEAD, OTHER_IP

    with transaction() as session:
        for case in (caseload["Elm Primary"], caseload["Ash CE Primary"]):
            for action, on, fields, actor in [
                ("start_diagnosis", date(2026, 9, 15), {}, LEAD),
                ("conclude_diagnosis", date(2026, 9, 25), {"level": "LA4b", "reasons": "attendance"}, LEAD),
                ("add_priority", date(2026, 9, 28), {"title": "Attendance", "success_criteria": "Above 94%",
                    "lead": "Head teacher", "target_on": "2027-07-16", "resources": "IP time"}, LEAD),
                ("record_progress_review", date(2026, 10, 20), {"rag.1": "red", "reason.1": "92%", "next_steps": "Visits"},
                 OTHER_IP),
            ]:
                take_action(session, case, action, fields, on=on, actor_email=actor)
        first = dashboard(session, "Autumn 2026", TODAY, true(), rag_per_page=1)
        second = dashboard(session, "Autumn 2026", TODAY, true(), rag_page=2, rag_per_page=1)
        with pytest.raises(InvalidInput, match="there are 2 pages of RAG charts, not 3: go back to page 1"):
            dashboard(session, "Autumn 2026", TODAY, true(), rag_page=3, rag_per_page=1)
    assert [c.school for c in first.rag_history] == ["Ash CE Primary"] and [c.school for c in second.rag_history] == ["Elm Primary"]
    assert (first.rag_cases, first.rag_pages, second.rag_page) == (2, 2, 2)
    assert first.cases == second.cases == 3  # every other figure counts every case
