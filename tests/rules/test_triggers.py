"""The rules that flag a school from its figures: each test, the run of periods, phases,
and a malformed rule named with its line."""

from __future__ import annotations

import pytest

from models.errors import ConfigError
from models.rules.triggers import Comparison, flags, parse_triggers
from models.settings.environment import SHIPPED_CONFIG

RULES = parse_triggers((SHIPPED_CONFIG / "triggers.toml").read_text(), "triggers.toml")


def _met(phase: str, **figures: list[tuple[str, float]]) -> list[str]:
    return [f.rule.name for f in flags(RULES, phase, figures)]


def test_the_tests_compare_as_their_names_say() -> None:
    assert Comparison.BELOW.passes(-0.1, 0) and not Comparison.BELOW.passes(0, 0)
    assert Comparison.ABOVE.passes(5.1, 5) and not Comparison.ABOVE.passes(5, 5)
    assert Comparison.AT_LEAST.passes(4, 4) and not Comparison.AT_LEAST.passes(3.9, 4)
    assert Comparison.BEYOND.passes(-8.5, 8) and Comparison.BEYOND.passes(8.5, 8) and not Comparison.BEYOND.passes(-8, 8)


def test_attendance_needs_its_latest_three_quarters_all_below_average() -> None:
    below = [("2026-Q4", -1.0), ("2027-Q1", -0.5), ("2027-Q2", -2.0)]
    assert _met("Primary", attendance_vs_average=below) == ["attendance_below_average"]
    assert _met("Primary", attendance_vs_average=below[:2]) == []  # two quarters are not three
    # the latest three count, in period order whatever the file's order
    recovered = [("2027-Q3", 0.4), *below]
    assert _met("Primary", attendance_vs_average=list(reversed(recovered))) == []
    flag = flags(RULES, "Primary", {"attendance_vs_average": below})[0]
    assert flag.period == "2027-Q2"
    assert flag.detail == "Attendance below average for 3 or more quarters (2026-Q4: -1, 2027-Q1: -0.5, 2027-Q2: -2)"


def test_budget_variance_is_5_percent_for_secondary_schools_and_8_for_primary() -> None:
    assert _met("Secondary", budget_variance_percent=[("2026-27", -6.0)]) == ["budget_variance_secondary"]
    assert _met("Primary", budget_variance_percent=[("2026-27", -6.0)]) == []
    assert _met("Primary", budget_variance_percent=[("2026-27", 8.5)]) == ["budget_variance_primary_special"]


def test_a_malformed_rule_is_refused_with_its_line() -> None:
    text = '[[rules]]\nname = "late"\ntitle = "Late"\nindicator = "x"\ntest = "under"\nthreshold = 1\n'
    with pytest.raises(ConfigError) as refused:
        parse_triggers(text, "triggers.toml")
    assert str(refused.value) == "triggers.toml:5: rule 'late': test 'under' is unknown; it may be below, above, at_least, beyond"
    with pytest.raises(ConfigError, match=r"triggers.toml:7: rule 'late': periods must be a whole number of 1 or more"):
        parse_triggers(text.replace('"under"', '"below"') + "periods = 0\n", "triggers.toml")
