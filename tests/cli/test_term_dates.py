"""``scc calendar check`` and ``scc calendar apply``: the same moves as the Term dates page,
at the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Scc
from tests.services.test_term_dates import add_inset_day


def test_check_lists_the_moves_and_apply_makes_them_for_a_senior_officer(la: Scc, refused, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_TODAY", "2026-09-20")
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    assert la("calendar", "check", "--as", SENIOR).stdout.strip() == "no live deadline would move: the term dates they were counted on are current"
    add_inset_day(tmp_path, monkeypatch)
    (move,) = la.json("calendar", "check", "--as", SENIOR)
    assert (move["case_id"], move["kind"], move["old_due"], move["new_due"]) == (case, "diagnosis_due", "2026-10-13", "2026-10-14")
    shown = la("calendar", "check", "--as", SENIOR, "riverford").stdout
    assert "case 1 (Oak Primary), Diagnosis: 2026-10-13 → 2026-10-14" in shown and "Thu 1 Oct 2026 (2026-10-01)" in shown
    message = refused("calendar", "apply", "riverford", "--as", LEAD)
    assert message == "error: a lead cannot move deadlines to changed term dates: ask a senior"
    assert la("calendar", "apply", "riverford", "--as", SENIOR).stdout.strip() == "moved 1 deadline(s) to the term dates of 'riverford'"
    assert la.json("calendar", "check", "--as", SENIOR) == []
    assert "no calendar 'atlantis'" in refused("calendar", "check", "--as", SENIOR, "atlantis")
