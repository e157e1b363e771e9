"""The case list's filters, search and sort (the Cases page and ``GET /api/v1/cases``), and
My work, on a database without Prefect or HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import true

from models.db.session import transaction
from models.errors import InvalidInput
from models.services.access import Viewer, case_visible_to
from models.services.views import CaseQuery, find_cases, my_work
from tests.services.conftest import IP, LEAD, OTHER_IP

TODAY = date(2027, 9, 30)


def _names(query: CaseQuery, visible=None) -> list[str]:  # type: ignore[no-untyped-def]
    with transaction() as session:
        return [row.school for row in find_cases(session, query, true() if visible is None else visible, TODAY)]


def test_cases_are_filtered_searched_and_sorted(caseload: dict[str, int]) -> None:
    assert _names(CaseQuery()) == ["Elm Primary", "Ash CE Primary", "Oak Primary"]  # newest first
    assert _names(CaseQuery(sort="school")) == ["Ash CE Primary", "Elm Primary", "Oak Primary"]
    assert _names(CaseQuery(stage="warning_notice")) == ["Oak Primary"]
    assert _names(CaseQuery(school_type="voluntary_aided")) == ["Ash CE Primary"]
    assert _names(CaseQuery(lead=LEAD, sort="school")) == ["Elm Primary", "Oak Primary"]
    assert _names(CaseQuery(ip=OTHER_IP.upper(), sort="school")) == ["Ash CE Primary", "Elm Primary"]
    assert _names(CaseQuery(search="elm")) == ["Elm Primary"] and _names(CaseQuery(search="100002")) == ["Ash CE Primary"]
    assert _names(CaseQuery(search="100%")) == []  # a wildcard typed is a character, not a pattern
    assert _names(CaseQuery(overdue=True)) == ["Oak Primary"]
    assert _names(CaseQuery(sort="overdue"))[0] == "Oak Primary"
    with transaction() as session:
        (oak,) = [r for r in find_cases(session, CaseQuery(stage="warning_notice"), true(), TODAY)]
    assert oak.overdue == 2 and oak.stage_title and oak.ip == IP and oak.school_type == "community"
    with pytest.raises(InvalidInput, match="sort by newest, school, stage, since or overdue"):
        _names(CaseQuery(sort="sideways"))


def test_an_ip_lists_only_their_cases_and_my_work_holds_only_mine(caseload: dict[str, int]) -> None:
    with transaction() as session:
        from models.services.directory import person_by_email

        ida = Viewer.of(session, person_by_email(session, OTHER_IP))
        ivan = Viewer.of(session, person_by_email(session, IP))
    assert _names(CaseQuery(sort="school"), case_visible_to(ida)) == ["Ash CE Primary", "Elm Primary"]
    with transaction() as session:
        work = my_work(session, ivan.person_id, case_visible_to(ivan), TODAY)
        lena = Viewer.of(session, person_by_email(session, LEAD))
        leads = my_work(session, lena.person_id, case_visible_to(lena), TODAY)
    # Oak's overdue deadlines are the authority's (the notice's compliance period, its powers window): its lead's
    # list holds them, its IP's does not.
    assert work.overdue == [] and work.overdue_total == 0 and work.due_soon == [] and work.alerts == []
    assert {d.school for d in leads.overdue} == {"Oak Primary"} and [d.kind for d in leads.overdue] == [
        "compliance_period_end", "powers_window_end"]


def test_an_ip_s_lists_hold_the_duties_the_playbook_gives_an_ip(caseload: dict[str, int]) -> None:
    from models.services.directory import person_by_email
    from models.services.planning import plan_half_term

    with transaction() as session:
        plan_half_term(session, date(2026, 10, 5), case_ids=[caseload["Oak Primary"]])
        ivan, lena = Viewer.of(session, person_by_email(session, IP)), Viewer.of(session, person_by_email(session, LEAD))
        ips = my_work(session, ivan.person_id, case_visible_to(ivan), TODAY, shown=50)
        leads = my_work(session, lena.person_id, case_visible_to(lena), TODAY, shown=50)
    assert {d.kind for d in ips.overdue} == {"ip_progress_report_due", "monitoring_visit_due", "progress_review_due"}
    assert {"compliance_period_end", "tig_meeting_due"} <= {d.kind for d in leads.overdue}  # the lead's, not the IP's


def test_the_case_list_comes_a_page_at_a_time_with_the_count_of_all(caseload: dict[str, int]) -> None:
    from models.services.views import count_cases

    with transaction() as session:
        pages = [[r.school for r in find_cases(session, CaseQuery(sort="school"), true(), TODAY, limit=2, offset=offset)]
                 for offset in (0, 2, 4)]
        assert count_cases(session, CaseQuery(sort="school"), true(), TODAY) == 3
        assert count_cases(session, CaseQuery(lead=LEAD, overdue=True), true(), TODAY) == 1
    assert pages == [["Ash CE Primary", "Elm Primary"], ["Oak Primary"], []]


def test_my_work_shows_the_soonest_few_and_counts_them_all(caseload: dict[str, int]) -> None:
    with transaction() as session:
        from models.services.directory import person_by_email

        lena = Viewer.of(session, person_by_email(session, LEAD))
        work = my_work(session, lena.person_id, case_visible_to(lena), TODAY, shown=1)
    assert [d.kind for d in work.overdue] == ["compliance_period_end"]  # the longest overdue first
    assert work.overdue_total == 2 and work.due_soon_total == 0 and work.alerts_total == 0
