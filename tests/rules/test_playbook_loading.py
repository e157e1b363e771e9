"""A malformed playbook is refused at load with its file, line and a reason saying how to fix it."""

from __future__ import annotations

import re

import pytest

from models.errors import PlaybookError
from models.rules.guards import Guard
from models.rules.playbook import Playbook
from models.rules.playbook_file import parse_playbook
from models.settings.environment import SHIPPED_CONFIG

ENGLAND = (SHIPPED_CONFIG / "playbooks" / "england.toml").read_text()
WALES = (SHIPPED_CONFIG / "playbooks" / "wales.toml").read_text()


def shipped(name: str) -> Playbook:
    """A shipped playbook, a local one resolved over the statute's it extends."""
    text = (SHIPPED_CONFIG / "playbooks" / f"{name}.toml").read_text()
    base = {"milton-keynes": "england", "staffordshire": "england", "central-south": "wales"}.get(name)
    bases = [((SHIPPED_CONFIG / "playbooks" / f"{base}.toml").read_text(), f"{base}.toml")] if base else []
    return parse_playbook(text, f"{name}.toml", bases)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _refused(text: str) -> PlaybookError:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, "custom.toml")
    assert caught.value.path == "custom.toml"
    return caught.value


def test_shipped_playbooks_load_and_cover_the_lifecycle() -> None:
    for name in ("england", "wales", "milton-keynes", "staffordshire", "central-south"):
        book = shipped(name)
        for stage in ("concern_raised", "diagnosis", "concern_letter", "warning_notice", "eligible_for_intervention",
                      "powers", "intervention", "escalated", "exit", "closed"):
            assert stage in book.stages, (name, stage)
        reachable = {book.initial_stage} | {a.to_stage for a in book.actions.values() if a.to_stage}
        assert reachable == set(book.stages), f"{name}: unreachable stages {set(book.stages) - reachable}"
    england = parse_playbook(ENGLAND, "england")
    assert "referred_to_regional_director" in england.stages
    notice = england.actions["issue_warning_notice"]
    assert notice.from_stages == frozenset(england.stages) - {"exit", "closed"}
    assert [d.kind for d in notice.deadlines] == ["compliance_period_end", "powers_window_end"]
    assert set(england.actions["record_inspection_category"].from_stages) == set(england.stages) - {"closed"}


def test_no_words_a_user_reads_carry_a_source_reference() -> None:
    """Titles, stage names and field help appear on forms, pages and letters: the seeds and
    line numbers a rule comes from belong in the playbook's comments, not there."""
    reference = re.compile(r"\b\d{3}:L\d|\bL\d{3}|Appendix \d")
    for name in ("england", "wales"):
        book = parse_playbook((SHIPPED_CONFIG / "playbooks" / f"{name}.toml").read_text(), name)
        words = list(book.stages.values()) + [a.title for a in book.actions.values()]
        words += [f.help or "" for a in book.actions.values() for f in a.fields]
        assert not [w for w in words if reference.search(w)], name


def test_toml_syntax_error_reports_its_line() -> None:
    text = ENGLAND.replace('title = "Start diagnosis', 'title = "Start diagnosis\n', 1)
    error = _refused(text)
    assert error.line == _line(ENGLAND, 'title = "Start diagnosis') and "not valid TOML" in error.reason


def test_unknown_stage_in_to_is_refused_at_its_line() -> None:
    text = ENGLAND.replace('to = "diagnosis"', 'to = "diagnosys"')
    error = _refused(text)
    assert error.line == _line(text, 'to = "diagnosys"') and "'diagnosys' is not declared" in error.reason


def test_unknown_guard_is_refused_with_the_list_of_guards() -> None:
    text = ENGLAND.replace('guards = ["no_live_warning_notice"]\nrecord = ["warning_notice"]',
                           'guards = ["moon_is_full"]\nrecord = ["warning_notice"]')
    error = _refused(text)
    assert error.line == _line(text, "[actions.issue_warning_notice]")
    assert "moon_is_full" in error.reason and Guard.NO_LIVE_WARNING_NOTICE.value in error.reason


def test_typo_in_a_key_is_refused() -> None:
    text = ENGLAND.replace('roles = ["lead", "senior"]\n[actions.start_diagnosis.fields]',
                           'rolez = ["lead", "senior"]\n[actions.start_diagnosis.fields]')
    error = _refused(text)
    assert error.line == _line(text, "rolez") and "unknown key 'rolez'" in error.reason


def test_deadline_after_an_unknown_deadline_is_refused() -> None:
    text = ENGLAND.replace('after = "compliance_period_end"', 'after = "compliance_end"')
    error = _refused(text)
    assert error.line == _line(text, 'kind = "powers_window_end"') and "'after'" in error.reason


def test_warning_notice_action_must_capture_the_statutory_contents() -> None:
    text = ENGLAND.replace('minded_to = { type = "text", help = "the action the LA is minded to take if the governing body does not comply" }\n', "")
    error = _refused(text)
    assert "minded_to" in error.reason and error.line == _line(text, "[actions.issue_warning_notice]")


def test_unknown_document_and_field_type_are_refused() -> None:
    assert "unknown document 'memo'" in _refused(ENGLAND.replace('documents = ["concern_letter"]', 'documents = ["memo"]')).reason
    text = ENGLAND.replace('detail = { type = "text" }', 'detail = { type = "essay" }', 1)
    error = _refused(text)
    assert "type must be one of" in error.reason and error.line == _line(text, 'detail = { type = "essay" }')


def test_missing_top_level_key_and_no_closed_stage() -> None:
    assert "missing 'initial_stage'" in _refused(ENGLAND.replace('initial_stage = "concern_raised"\n', "")).reason
    assert "closed = true" in _refused(ENGLAND.replace('closed = { title = "Closed", closed = true }', 'closed = { title = "Closed" }')).reason


def test_escalation_rules_load_and_typos_are_refused_with_their_line() -> None:
    england = parse_playbook(ENGLAND, "england")
    rules = {r.name: r for r in england.escalations}
    assert rules["powers_window_closing"].deadline == "powers_window_end" and rules["powers_window_closing"].working_days == 10
    assert rules["no_improvement_three_terms"].terms == 3
    wrong_deadline = ENGLAND.replace('deadline = "statement_of_action_due"', 'deadline = "statement_due"', 1)
    error = _refused(wrong_deadline)
    assert "deadline 'statement_due' is not set by any action" in error.reason
    assert error.line == _line(wrong_deadline, 'name = "statement_of_action_late"')
    assert "when must be one of" in _refused(ENGLAND.replace('when = "terms_without_improvement"', 'when = "stalled"', 1)).reason
    boss = ENGLAND.replace('to = ["senior"]\n# source: 003:L1607\nmessage = "Three', 'to = ["boss"]\nmessage = "Three', 1)
    assert "roles are" in _refused(boss).reason


def test_a_record_missing_a_field_it_needs_is_refused_at_load() -> None:
    text = ENGLAND.replace('target_removal_on = { type = "date", help = "target date for removal of the causes of concern" }\n', "", 1)
    error = _refused(text)
    assert error.line == _line(text, "[actions.submit_statement_of_action]")
    assert "records a statement_of_action but lacks target_removal_on" in error.reason


def test_a_meeting_record_without_its_kind_is_refused_at_load() -> None:
    text = ENGLAND.replace('{ type = "meeting", kind = "tig" }', '{ type = "meeting" }', 1)
    assert text != ENGLAND
    assert "lacks option 'kind'" in _refused(text).reason


def test_an_unknown_meeting_kind_is_refused_at_load_not_when_the_action_runs() -> None:
    text = ENGLAND.replace('record = [{ type = "meeting", kind = "tig" }]', 'record = [{ type = "meeting", kind = "core_group" }]')
    refused = _refused(text)
    assert refused.line == _line(text, "[actions.record_tig_meeting]")
    assert "meeting kind 'core_group' is unknown; it may be tig, progress_review, monitoring_visit, summative" in str(refused)


def test_an_unknown_classification_scheme_is_refused_at_load() -> None:
    text = ENGLAND.replace('options = ["la_category", "support_level", "concern_stage"]', 'options = ["la_category", "rating"]')
    refused = _refused(text)
    assert refused.line == _line(text, "[actions.record_classification]")
    assert "classification scheme 'rating' is unknown; it may be inspection, la_category, support_level, concern_stage" in str(refused)


def test_a_notice_worded_in_welsh_covers_only_what_the_notice_declares() -> None:
    welsh = parse_playbook(WALES, "wales.toml").notice
    assert welsh is not None
    said = welsh.in_language("cy")
    assert said.act == "Deddf Safonau a Threfniadaeth Ysgolion (Cymru) 2013" and said.section("s3").title == "adran 3"
    assert said.powers["s6"].startswith("penodi llywodraethwyr ychwanegol") and welsh.in_language("en") is welsh
    text = WALES.replace('ground_6 = "Sail 6:', 'ground_9 = "Sail 9:')
    assert "[notice.cy].grounds: ground_9 not declared in [notice.grounds]" in _refused(text).reason
    text = WALES.replace('[notice.cy.sections.s3]\ntitle = "adran 3"', '[notice.cy.sections.s3]\ntitle = "adran 3"\nin_force = 2014-02-20')
    assert "only title and powers_text are worded" in _refused(text).reason
