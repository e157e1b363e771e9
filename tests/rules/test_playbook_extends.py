"""A local playbook states only what differs from the statute (``extends``): the statute's
parts live once, a correction to the law reaches every playbook that extends it, the
resolved playbook is what a case pins, and a mistake in the local file is refused with its
line in that file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.errors import PlaybookError
from models.rules.playbook import Playbook
from models.rules.playbook_file import parse_playbook
from models.settings.environment import SHIPPED_CONFIG
from tests.rules.test_playbook_loading import ENGLAND, WALES, shipped

LOCAL = """extends = "england"
name = "riverford"
version = "2027.1"
title = "Riverford"
"""


def _local(extra: str = "", england: str = ENGLAND) -> Playbook:
    return parse_playbook(LOCAL + extra, "riverford.toml", [(england, "england.toml")])


def _refused(extra: str, england: str = ENGLAND) -> PlaybookError:
    with pytest.raises(PlaybookError) as caught:
        _local(extra, england)
    return caught.value


def _same_rules(one: Playbook, other: Playbook) -> bool:
    return replace(one, source="", sha256="", text="") == replace(other, source="", sha256="", text="")


def test_the_local_playbooks_state_only_their_differences() -> None:
    for name, statute in (("milton-keynes", "england"), ("staffordshire", "england"), ("central-south", "wales")):
        lines = (SHIPPED_CONFIG / "playbooks" / f"{name}.toml").read_text().splitlines()
        assert len(lines) < 120, name
        book, law = shipped(name), shipped(statute)
        # The statute's parts are the statute playbook's own.
        assert book.notice == law.notice, name
        for action in ("issue_warning_notice", "record_compliance", "record_non_compliance", "submit_statement_of_action"):
            if action in law.actions:
                assert book.actions[action] == law.actions[action], (name, action)
    staffordshire = shipped("staffordshire")
    assert "record_tig_meeting" not in staffordshire.actions and "record_core_group_meeting" in staffordshire.actions
    assert staffordshire.cadence is not None and staffordshire.cadence.meetings == "core group meetings"
    central_south = shipped("central-south")
    assert [e.name for e in central_south.escalations] == [
        e.name for e in shipped("wales").escalations if not e.name.startswith("no_improvement")] + ["insufficient_progress"]
    assert shipped("milton-keynes").stages["diagnosis"] == "Categorisation review"


def test_a_correction_to_the_law_reaches_every_playbook_that_extends_it() -> None:
    corrected = ENGLAND.replace('name = "england"', 'name = "england"', 1).replace("days = 20\nbasis = \"school\"",
                                                                                   "days = 15\nbasis = \"school\"", 1)
    assert corrected != ENGLAND
    before, after = _local(), _local(england=corrected)
    assert [d.amount for d in before.actions["start_diagnosis"].deadlines] == [20]
    assert [d.amount for d in after.actions["start_diagnosis"].deadlines] == [15]
    assert before.sha256 != after.sha256  # a case opened on the first keeps it: it is another resolved text


def test_an_action_is_changed_key_by_key_and_new_ones_follow_the_statutes() -> None:
    book = _local('''
[actions.escalate]
title = "Refer to the director"

[actions.note_phone_call]
title = "Note a phone call with the school"
from = "open"
[actions.note_phone_call.fields]
notes = { type = "text" }
''')
    england = parse_playbook(ENGLAND, "england.toml")
    assert book.actions["escalate"].title == "Refer to the director"
    assert replace(book.actions["escalate"], title="") == replace(england.actions["escalate"], title="")
    assert list(book.actions)[:-1] == list(england.actions) and list(book.actions)[-1] == "note_phone_call"


def test_the_resolved_playbook_is_what_a_case_pins() -> None:
    for name in ("milton-keynes", "staffordshire", "central-south"):
        book = shipped(name)
        assert "extends" not in book.text
        assert _same_rules(parse_playbook(book.text, f"{name}.toml@{book.version}"), book), name


@pytest.mark.parametrize(("extra", "needle", "reason"), [
    ('[omit]\nactions = ["record_tig_meting"]\n', 'actions = ["record_tig_meting"]', "record_tig_meting is not in england"),
    ('[omit]\nschools = ["x"]\n', "schools = ", "unknown key 'schools' in [omit]"),
    ('[actions.escalate]\nfrom = ["nowhere"]\n', '"nowhere"', "stage 'nowhere' is not declared"),
])
def test_a_mistake_in_the_local_file_is_refused_with_its_line_there(extra: str, needle: str, reason: str) -> None:
    error = _refused(extra)
    text = LOCAL + extra
    assert error.path == "riverford.toml"
    assert error.line == next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)
    assert reason in error.reason


def test_what_extends_names_must_be_the_playbook_given() -> None:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(LOCAL, "riverford.toml", [(WALES, "wales.toml")])
    assert "is the playbook 'wales'" in caught.value.reason and caught.value.line == 1
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(LOCAL, "riverford.toml")
    assert 'extends = "england" but no playbook of that name was found' in caught.value.reason
    with pytest.raises(PlaybookError) as caught:
        parse_playbook('extends = "england"\nname = "riverford"\n', "riverford.toml", [(ENGLAND, "england.toml")])
    assert "gives its own version, title" in caught.value.reason


def test_a_guard_that_reads_a_deadline_no_action_sets_is_refused() -> None:
    without_window = ENGLAND.replace("powers_window_end", "powers_window_closes")
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(without_window, "england.toml")
    assert "reads the deadline powers_window_end, which no action sets" in caught.value.reason
    assert caught.value.line is not None and '"within_powers_window"' in without_window.splitlines()[caught.value.line - 1]


def test_a_guard_that_reads_a_field_its_action_lacks_is_refused() -> None:
    error = _refused('[actions.record_progress_review.fields]\nnext_steps = { type = "text" }\n')
    assert "guard rag_covers_priorities reads the field(s) rag" in error.reason
    assert error.path == "england.toml"  # the guard is written there
