"""Each guard on its own: the facts that let an action through, and the one line that refuses it."""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import GuardFailed, InvalidInput
from models.rules.guards import GUARDS, CaseFacts, Guard, check_guard
from models.vocab import Rag, SchoolType

ON = date(2026, 10, 5)


def facts(**values: object) -> CaseFacts:
    return CaseFacts(case_id=7, school_type=SchoolType.COMMUNITY, on=ON, **values)  # type: ignore[arg-type]


def refusal(guard: Guard, case: CaseFacts, fields: dict[str, object] | None = None) -> str:
    with pytest.raises((GuardFailed, InvalidInput)) as raised:
        check_guard(guard, case, fields or {})
    return str(raised.value)


def test_every_guard_has_a_rule() -> None:
    assert set(GUARDS) == set(Guard)


def test_a_second_notice_waits_for_the_first_ones_outcome() -> None:
    check_guard(Guard.NO_LIVE_WARNING_NOTICE, facts(), {})
    assert "without an outcome" in refusal(Guard.NO_LIVE_WARNING_NOTICE, facts(live_notice_compliance_end=ON))


def test_an_outcome_needs_a_notice() -> None:
    check_guard(Guard.LIVE_WARNING_NOTICE, facts(live_notice_compliance_end=ON), {})
    assert "no warning notice awaiting an outcome" in refusal(Guard.LIVE_WARNING_NOTICE, facts())


def test_non_compliance_only_after_the_period_ends() -> None:
    check_guard(Guard.COMPLIANCE_PERIOD_ENDED, facts(live_notice_compliance_end=date(2026, 10, 2)), {})
    message = refusal(Guard.COMPLIANCE_PERIOD_ENDED, facts(live_notice_compliance_end=ON))
    assert "runs to 2026-10-05" in message  # the last day of the period is still inside it


def test_the_powers_window_is_the_cases_own_deadline() -> None:
    check_guard(Guard.WITHIN_POWERS_WINDOW, facts(powers_window_end=ON), {})
    assert "closed on 2026-10-04" in refusal(Guard.WITHIN_POWERS_WINDOW, facts(powers_window_end=date(2026, 10, 4)))
    assert "no open window" in refusal(Guard.WITHIN_POWERS_WINDOW, facts())
    # a school eligible through its inspection category has no window to run out
    check_guard(Guard.WITHIN_POWERS_WINDOW, facts(has_inspection_category=True), {})


def test_inspection_category_and_priorities_must_exist() -> None:
    check_guard(Guard.HAS_INSPECTION_CATEGORY, facts(has_inspection_category=True), {})
    assert "no inspection category" in refusal(Guard.HAS_INSPECTION_CATEGORY, facts())
    check_guard(Guard.HAS_PRIORITIES, facts(priority_numbers=frozenset({1})), {})
    assert "no priorities" in refusal(Guard.HAS_PRIORITIES, facts())


def test_a_review_judges_every_priority_and_no_other() -> None:
    two = facts(priority_numbers=frozenset({1, 2}))
    check_guard(Guard.RAG_COVERS_PRIORITIES, two, {"rag": {1: Rag.AMBER, 2: Rag.RED}})
    assert refusal(Guard.RAG_COVERS_PRIORITIES, two, {"rag": {1: Rag.AMBER}}).endswith("give rag.2")
    assert "has no priority 3" in refusal(Guard.RAG_COVERS_PRIORITIES, two, {"rag": {1: Rag.AMBER, 2: Rag.RED, 3: Rag.RED}})


def test_red_and_green_need_a_reason() -> None:
    check_guard(Guard.RAG_EXPLAINED, facts(), {"rag": {1: Rag.AMBER, 2: Rag.RED}, "reason": {2: "no progress"}})
    message = refusal(Guard.RAG_EXPLAINED, facts(), {"rag": {1: Rag.GREEN, 2: Rag.RED, 3: Rag.AMBER}, "reason": {}})
    assert message.endswith("give reason.1, reason.2")


def test_exit_needs_the_summative_meeting_and_secured_improvement() -> None:
    check_guard(Guard.SUMMATIVE_MEETING_HELD, facts(summative_meeting_held=True), {})
    assert "summative meeting" in refusal(Guard.SUMMATIVE_MEETING_HELD, facts())
    secured = facts(priority_numbers=frozenset({1, 2}), latest_review={1: Rag.GREEN, 2: Rag.YELLOW})
    check_guard(Guard.IMPROVEMENT_SECURED, secured, {})
    assert "no progress review" in refusal(Guard.IMPROVEMENT_SECURED, facts(priority_numbers=frozenset({1})))
    amber = facts(priority_numbers=frozenset({1, 2}), latest_review={1: Rag.GREEN, 2: Rag.AMBER})
    assert "priorities 2 were not judged green or yellow" in refusal(Guard.IMPROVEMENT_SECURED, amber)
    partial = facts(priority_numbers=frozenset({1, 2}), latest_review={1: Rag.GREEN})
    assert "did not judge every priority" in refusal(Guard.IMPROVEMENT_SECURED, partial)
