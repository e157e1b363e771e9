"""Guards: the rules an action may require to hold before it is taken, one function each.

A playbook names the guards of an action (``guards = ["live_warning_notice"]``); the
loader refuses a name that is not a ``Guard``. Each guard reads only ``CaseFacts`` (what
the caller derived from the case's records) and the action's typed fields, and raises the
error that says what is wrong and what to do first. ``GUARDS`` maps every name to its rule,
so adding a guard is one enum member and one small function.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from models.errors import GuardFailed, InvalidInput
from models.messages import N_, Words
from models.rules.words import Listed
from models.vocab import Rag, SchoolType

__all__ = ["FIELD_GUARDS", "GUARDS", "GUARD_NEEDS", "GuardNeeds", "POWERS_WINDOW_DEADLINE", "CaseFacts", "Guard", "check_guard"]

# The deadline whose due date closes the window in which the powers that have one may be
# used; the playbook sets it (EIA 2006 s64(2): two months after the compliance period).
POWERS_WINDOW_DEADLINE = "powers_window_end"


class Guard(StrEnum):
    """Rules an action may require; each is checked against ``CaseFacts``."""

    NO_LIVE_WARNING_NOTICE = "no_live_warning_notice"
    LIVE_WARNING_NOTICE = "live_warning_notice"
    COMPLIANCE_PERIOD_ENDED = "compliance_period_ended"
    WITHIN_POWERS_WINDOW = "within_powers_window"
    HAS_INSPECTION_CATEGORY = "has_inspection_category"
    ELIGIBLE_FOR_INTERVENTION = "eligible_for_intervention"
    HAS_PRIORITIES = "has_priorities"
    RAG_COVERS_PRIORITIES = "rag_covers_priorities"
    RAG_EXPLAINED = "rag_explained"
    SUMMATIVE_MEETING_HELD = "summative_meeting_held"
    IMPROVEMENT_SECURED = "improvement_secured"
    UNDER_EXIT_WATCH = "under_exit_watch"


@dataclass(frozen=True)
class CaseFacts:
    """What the guards may look at: derived from the case's records by the caller."""

    case_id: int
    school_type: SchoolType
    on: date
    live_notice_compliance_end: date | None = None
    powers_window_end: date | None = None  # due date of the case's live powers_window_end deadline
    has_inspection_category: bool = False
    failed_notice_section: str | None = None  # the section of the latest notice not complied with
    priority_numbers: frozenset[int] = frozenset()
    summative_meeting_held: bool = False
    latest_review: Mapping[int, Rag] | None = None
    watch_until: date | None = None  # the case is closed and its school watched until this day


Rule = Callable[[CaseFacts, Mapping[str, Any]], None]


def _no_live_warning_notice(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    if facts.live_notice_compliance_end is not None:
        raise GuardFailed(N_("case %(case)s has a warning notice without an outcome: record its compliance outcome first"),
                          case=facts.case_id)


def _live_warning_notice(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    if facts.live_notice_compliance_end is None:
        raise GuardFailed(N_("case %(case)s has no warning notice awaiting an outcome: give one first"), case=facts.case_id)


def _compliance_period_ended(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    end = facts.live_notice_compliance_end
    if end is None:
        raise GuardFailed(N_("case %(case)s has no warning notice awaiting an outcome: give one first"), case=facts.case_id)
    if facts.on <= end:
        raise GuardFailed(N_("case %(case)s: the compliance period runs to %(end)s; failure to comply can be recorded only "
                             "after it ends"), case=facts.case_id, end=end)


def _within_powers_window(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    """A power with a time limit is refused once the window the playbook set has closed.

    A school eligible through its inspection category has no such window (EIA 2006 s64(2)
    limits only the notice route), so the guard passes for it.
    """
    if facts.has_inspection_category:
        return
    window = facts.powers_window_end
    if window is None:
        raise GuardFailed(N_("case %(case)s has no open window for this power: it follows an unheeded warning notice"),
                          case=facts.case_id)
    if facts.on > window:
        raise GuardFailed(N_("case %(case)s: the window for this power closed on %(end)s: give a fresh warning notice"),
                          case=facts.case_id, end=window)


def _has_inspection_category(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    if not facts.has_inspection_category:
        raise GuardFailed(N_("case %(case)s has no inspection category: record it first"), case=facts.case_id)


def _eligible_for_intervention(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    # Eligible after an unheeded warning notice or through an inspection category
    # (EIA 2006 s59(2), ss60-62; SSO(W)A 2013 s4 with grounds 7 and 8).
    if facts.failed_notice_section is None and not facts.has_inspection_category:
        raise GuardFailed(N_("case %(case)s: the school is not eligible for intervention: it needs a warning notice that was "
                             "not complied with, or an inspection category"), case=facts.case_id)


def _has_priorities(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    if not facts.priority_numbers:
        raise GuardFailed(N_("case %(case)s has no priorities: add them first"), case=facts.case_id)


def _rag_covers_priorities(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    judged = set(fields.get("rag", {}))
    unknown = judged - facts.priority_numbers
    if unknown:
        raise InvalidInput(N_("case %(case)s has no priority %(unknown)s: priorities are %(numbers)s"), case=facts.case_id,
                           unknown=", ".join(map(str, sorted(unknown))),
                           numbers=", ".join(map(str, sorted(facts.priority_numbers))) or Words(N_("none yet")))
    missing = facts.priority_numbers - judged
    if missing:
        raise GuardFailed(N_("case %(case)s: every priority needs a RAG judgement; give %(names)s"), field="rag",
                          words=_priorities(N_("Give a RAG judgement for priority %(numbers)s"),
                                            N_("Give a RAG judgement for priorities %(numbers)s"), missing),
                          case=facts.case_id, names=", ".join(f"rag.{n}" for n in sorted(missing)), numbers=Listed(map(str, sorted(missing))))


def _rag_explained(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    # A red judgement needs a written explanation and a green one hard evidence (002:L1000–1010).
    reasons = fields.get("reason", {})
    unexplained = [n for n, r in fields.get("rag", {}).items() if r in (Rag.RED, Rag.GREEN) and not reasons.get(n)]
    if unexplained:
        raise GuardFailed(
            N_("case %(case)s: red needs a written explanation and green needs hard evidence; give %(names)s"), field="reason",
            words=_priorities(N_("Explain the red judgement or give the evidence of the green one for priority %(numbers)s"),
                              N_("Explain the red judgement or give the evidence of the green one for priorities %(numbers)s"),
                              unexplained),
            case=facts.case_id, names=", ".join(f"reason.{n}" for n in sorted(unexplained)), numbers=Listed(map(str, sorted(unexplained))),
        )


def _priorities(one: str, several: str, numbers: Collection[int]) -> str:
    """The form's words for a refusal about one priority ("priority 3") or several ("priorities 1 and 3")."""
    return one if len(numbers) == 1 else several


def _summative_meeting_held(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    if not facts.summative_meeting_held:
        raise GuardFailed(N_("case %(case)s cannot exit without its exit conditions: hold and record the summative meeting first"),
                          case=facts.case_id)


def _improvement_secured(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    review = facts.latest_review
    if not review:
        raise GuardFailed(N_("case %(case)s cannot exit without its exit conditions: no progress review has been recorded"),
                          case=facts.case_id)
    if insecure := sorted(n for n, r in review.items() if r not in (Rag.GREEN, Rag.YELLOW)):
        raise GuardFailed(N_("case %(case)s cannot exit without its exit conditions: priorities %(numbers)s were not judged "
                             "green or yellow at the latest review"), case=facts.case_id, numbers=", ".join(map(str, insecure)))
    if set(review) != set(facts.priority_numbers):
        raise GuardFailed(N_("case %(case)s cannot exit without its exit conditions: the latest review did not judge every "
                             "priority"), case=facts.case_id)


def _under_exit_watch(facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    if facts.watch_until is None:
        raise GuardFailed(N_("case %(case)s is not watched after exit (its watch has ended, or it has not closed): open a new "
                             "case if the school causes concern again"), case=facts.case_id)


GUARDS: Mapping[Guard, Rule] = {
    Guard.NO_LIVE_WARNING_NOTICE: _no_live_warning_notice,
    Guard.LIVE_WARNING_NOTICE: _live_warning_notice,
    Guard.COMPLIANCE_PERIOD_ENDED: _compliance_period_ended,
    Guard.WITHIN_POWERS_WINDOW: _within_powers_window,
    Guard.HAS_INSPECTION_CATEGORY: _has_inspection_category,
    Guard.ELIGIBLE_FOR_INTERVENTION: _eligible_for_intervention,
    Guard.HAS_PRIORITIES: _has_priorities,
    Guard.RAG_COVERS_PRIORITIES: _rag_covers_priorities,
    Guard.RAG_EXPLAINED: _rag_explained,
    Guard.SUMMATIVE_MEETING_HELD: _summative_meeting_held,
    Guard.IMPROVEMENT_SECURED: _improvement_secured,
    Guard.UNDER_EXIT_WATCH: _under_exit_watch,
}


# Guards that judge the values a user gives (a RAG per priority and its reasons): they cannot
# say whether an action is open before the user fills its form.
@dataclass(frozen=True)
class GuardNeeds:
    """What a guard reads from the playbook, which its loader checks is there."""

    deadline: str | None = None  # a deadline some action of the playbook sets
    fields: tuple[str, ...] = ()  # fields of the action the guard is on


GUARD_NEEDS: Mapping[Guard, GuardNeeds] = {
    Guard.WITHIN_POWERS_WINDOW: GuardNeeds(deadline=POWERS_WINDOW_DEADLINE),
    Guard.RAG_COVERS_PRIORITIES: GuardNeeds(fields=("rag",)),
    Guard.RAG_EXPLAINED: GuardNeeds(fields=("rag", "reason")),
}

FIELD_GUARDS = frozenset({Guard.RAG_COVERS_PRIORITIES, Guard.RAG_EXPLAINED})


def check_guard(guard: Guard, facts: CaseFacts, fields: Mapping[str, Any]) -> None:
    """Raise the reason ``guard`` does not hold for this case and these fields, if it does not."""
    GUARDS[guard](facts, fields)
