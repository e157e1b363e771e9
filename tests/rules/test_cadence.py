"""The half-term plan's dates: reviews, the IP's report before each, visits and TIG meetings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from models.rules.cadence import half_term_duties
from models.rules.playbook import Cadence
from models.settings.files import calendar_named

CADENCE = Cadence(stages=frozenset({"intervention"}), tig_meetings_per_term=2, reviews_per_half_term=1,
                  visits_per_half_term=2, ip_report_days_before_review=5)


def test_the_first_autumn_half_term() -> None:
    calendar = calendar_named("riverford")
    half = calendar.half_term_on(date(2026, 9, 14))
    assert half is not None and (half.start, half.end) == (date(2026, 9, 2), date(2026, 10, 25))
    duties = {(d.kind, d.number): d for d in half_term_duties(CADENCE, calendar, half)}
    # 37 school days (2 September is a closure day): the review on the last, the visits at 18 and 37
    assert duties["progress_review_due", 1].due == date(2026, 10, 23)
    assert duties["ip_progress_report_due", 1].due == date(2026, 10, 16)  # five working days before
    assert duties["monitoring_visit_due", 1].due == date(2026, 9, 28)
    assert duties["monitoring_visit_due", 2].due == date(2026, 10, 23)
    assert "1st of 2 IP monitoring visits" in duties["monitoring_visit_due", 1].explanation
    assert "37 school days" in duties["monitoring_visit_due", 1].explanation
    # of the term's two TIG meetings only the first falls in this half-term
    assert [k for k in duties if k[0] == "tig_meeting_due"] == [("tig_meeting_due", 1)]


def test_the_second_half_term_has_the_terms_second_tig_meeting() -> None:
    calendar = calendar_named("riverford")
    half = calendar.half_term_on(date(2026, 11, 10))
    assert half is not None
    duties = half_term_duties(CADENCE, calendar, half)
    assert [d.number for d in duties if d.kind == "tig_meeting_due"] == [2]
    assert max(d.due for d in duties) == date(2026, 12, 18)  # the review on the last day of term
    assert duties == sorted(duties, key=lambda d: (d.due, d.kind, d.number))


def test_a_termly_review_falls_in_the_terms_last_half_term_only() -> None:
    """Amber support: RAG judgements once a term, on the term's last school day; red keeps
    one each half-term."""
    from dataclasses import replace

    termly = replace(CADENCE, reviews_per_half_term=0, reviews_per_term=1)
    calendar = calendar_named("riverford")
    first, second = calendar.half_term_on(date(2026, 9, 14)), calendar.half_term_on(date(2026, 11, 10))
    assert first is not None and second is not None
    assert [d.kind for d in half_term_duties(termly, calendar, first) if "progress" in d.kind] == []
    reviews = {d.kind: d for d in half_term_duties(termly, calendar, second) if "progress" in d.kind}
    assert reviews["progress_review_due"].due == date(2026, 12, 18)
    assert "1st of 1 progress reviews in the Autumn term (71 school days)" in reviews["progress_review_due"].explanation
    assert reviews["ip_progress_report_due"].due == date(2026, 12, 11)
    assert len({d.key for d in reviews.values()}) == 2


def test_a_classification_chooses_its_cadence() -> None:
    from models.rules.playbook_file import parse_playbook

    text = (Path(__file__).resolve().parents[2] / "config" / "playbooks" / "wales.toml").read_text()
    text = text.replace("ip_report_days_before_review = 5\n", 'ip_report_days_before_review = 5\n'
                        '[cadence.by_classification]\nscheme = "support_level"\n'
                        'amber = { reviews_per_half_term = 0, reviews_per_term = 1 }\n', 1)
    cadence = parse_playbook(text, "wales.toml").cadence
    assert cadence is not None and cadence.scheme == "support_level"
    assert cadence.for_classification("amber").reviews_per_term == 1
    assert cadence.for_classification("amber").visits_per_half_term == cadence.visits_per_half_term
    assert cadence.for_classification("red") == cadence.for_classification(None) == cadence


def test_a_cadence_count_that_is_not_a_number_is_refused_with_its_line() -> None:
    import pytest

    from models.errors import PlaybookError
    from models.rules.playbook_file import parse_playbook

    text = (Path(__file__).resolve().parents[2] / "config" / "playbooks" / "wales.toml").read_text()
    text = text.replace("ip_report_days_before_review = 5\n", 'ip_report_days_before_review = 5\n'
                        '[cadence.by_classification]\nscheme = "support_level"\n'
                        'amber = { reviews_per_term = "termly" }\n', 1)
    with pytest.raises(PlaybookError) as refused:
        parse_playbook(text, "wales.toml")
    assert "reviews_per_term must be a whole number of 0 or more, not 'termly'" in str(refused.value)
    assert "wales.toml:" in str(refused.value)


def _term_duties(cadence: Cadence) -> list[tuple[str, int]]:
    """Every duty of both autumn half-terms (the whole autumn term)."""
    calendar = calendar_named("riverford")
    found = []
    for day in (date(2026, 9, 14), date(2026, 11, 10)):
        half = calendar.half_term_on(day)
        assert half is not None
        found += [(d.kind, d.number) for d in half_term_duties(cadence, calendar, half)]
    return found


def test_a_staffordshire_stage_1_school_is_visited_and_reviewed_once_a_term_with_no_core_group() -> None:
    from models.settings.files import playbook_named

    cadence = playbook_named("staffordshire").cadence
    assert cadence is not None
    stage_1 = _term_duties(cadence.for_classification("stage_1"))
    assert sorted(stage_1) == [("ip_progress_report_due", 1), ("monitoring_visit_due", 1), ("progress_review_due", 1)]
    stage_3 = _term_duties(cadence.for_classification("stage_3"))
    assert stage_3.count(("tig_meeting_due", 1)) == 1 and len([d for d in stage_3 if d[0] == "monitoring_visit_due"]) == 4


def test_milton_keynes_visits_once_a_term_and_keeps_two_tig_meetings() -> None:
    from models.settings.files import playbook_named

    cadence = playbook_named("milton-keynes").cadence
    assert cadence is not None
    duties = _term_duties(cadence)
    assert [d for d in duties if d[0] == "monitoring_visit_due"] == [("monitoring_visit_due", 1)]
    assert [d for d in duties if d[0] == "tig_meeting_due"] == [("tig_meeting_due", 1), ("tig_meeting_due", 2)]


def test_on_welsh_term_dates_each_duty_is_placed_in_welsh_on_the_same_count() -> None:
    welsh = calendar_named("glanmor")
    half = welsh.half_term_on(date(2026, 9, 14))
    assert half is not None
    duties = {(d.kind, d.number): d for d in half_term_duties(CADENCE, welsh, half)}
    visit, report = duties["monitoring_visit_due", 1], duties["ip_progress_report_due", 1]
    school_days = visit.explanation.split(", ")[1].split(" school days")[0]
    assert visit.explanation.startswith("1st of 2 IP monitoring visits in Autumn 1 (")
    assert visit.explanation_cy is not None and visit.explanation_cy.startswith("Y 1af o 2 ymweliad monitro'r IP yn Hydref 1 (")
    assert f", {school_days} diwrnod ysgol): yn ddyledus erbyn " in visit.explanation_cy
    assert visit.explanation_cy.endswith(f"({visit.due.isoformat()})")
    assert report.explanation_cy is not None and report.explanation_cy.startswith(
        "mae adroddiad cynnydd yr IP yn ddyledus 5 diwrnod gwaith cyn yr adolygiad ar ")
    assert report.explanation_cy.endswith(f"({report.due.isoformat()})")
    tig = duties["tig_meeting_due", 1]
    assert tig.explanation_cy is not None and "Y 1af o 2 gyfarfod y TIG yn nhymor yr Hydref (" in tig.explanation_cy
    english = calendar_named("riverford")
    half = english.half_term_on(date(2026, 9, 14))
    assert half is not None and all(d.explanation_cy is None for d in half_term_duties(CADENCE, english, half))
