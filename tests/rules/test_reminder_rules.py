"""When reminders go, how stalls are measured, and a malformed reminders file refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.errors import ConfigError
from models.rules.escalation import last_improvement, terms_since
from models.settings.files import calendar_named, reminder_rules
from models.vocab import Role

RIVERFORD = calendar_named("riverford")
DUE = date(2027, 1, 5)  # a Tuesday after Christmas and New Year


def test_the_latest_reminder_due_is_the_one_sent() -> None:
    rule = reminder_rules().for_kind("compliance_period_end")
    assert (rule.before, rule.after, rule.to) == ((5, 1), (1,), (Role.LEAD, Role.SENIOR))
    assert rule.offset_due(DUE, date(2026, 12, 23), RIVERFORD) is None
    assert rule.offset_due(DUE, date(2026, 12, 24), RIVERFORD) == -5  # 5 working days before, over the holidays
    assert rule.offset_due(DUE, date(2026, 12, 31), RIVERFORD) == -5
    assert rule.offset_due(DUE, date(2027, 1, 4), RIVERFORD) == -1
    # A sweep that missed both days sends only the latest, not a backlog.
    assert rule.offset_due(DUE, DUE, RIVERFORD) == -1
    assert rule.offset_due(DUE, date(2027, 1, 6), RIVERFORD) == 1  # overdue by a working day
    assert rule.offset_due(date(2027, 1, 8), date(2027, 1, 9), RIVERFORD) is None  # Saturday: not yet a working day late


def test_unlisted_kinds_use_the_default_rule_with_a_readable_title() -> None:
    rule = reminder_rules().for_kind("governors_meeting_due")
    assert rule.title == "Governors meeting due" and rule.before == (5, 1) and rule.to == (Role.LEAD,)


def test_a_malformed_reminders_file_is_refused_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_CONFIG_DIR", str(tmp_path))
    bad = tmp_path / "reminders.toml"
    bad.write_text('[kinds.tig_meeting_due]\nbefore = [0]\n')
    with pytest.raises(ConfigError, match="offsets are working days, 1 or more"):
        reminder_rules()
    bad.write_text('[kinds.tig_meeting_due]\nto = ["headmaster"]  \n')  # a new version of the file
    with pytest.raises(ConfigError, match=r"reminders.toml: \[kinds.tig_meeting_due\].*roles"):
        reminder_rules()
    bad.write_text('[digest]\nweekday = "funday"\n\n')
    with pytest.raises(ConfigError, match="weekday must be one of monday"):
        reminder_rules()


def test_stalls_are_counted_in_whole_terms_since_the_last_improving_review() -> None:
    reviews = [(date(2026, 10, 20), 1.0), (date(2026, 12, 10), 1.5), (date(2027, 3, 10), 0.5)]
    assert last_improvement(reviews, date(2026, 9, 14)) == date(2026, 12, 10)
    assert last_improvement([], date(2026, 9, 14)) == date(2026, 9, 14)
    assert terms_since(RIVERFORD, date(2026, 12, 10), date(2027, 3, 25)) == 1  # autumn ended 18 December
    assert terms_since(RIVERFORD, date(2026, 12, 10), date(2027, 3, 26)) == 2  # spring ends 26 March
