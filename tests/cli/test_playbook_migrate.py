"""``scc playbook migrate``: a readable dry run, then each case moved in its own transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Scc
from tests.services.test_playbook_migration import next_version


def test_dry_run_then_migrate(la: Scc, refused, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    oak = open_case(la)
    ash = open_case(la, urn="100004")
    advance(la, ash, "start_diagnosis", "2026-09-15")
    next_version(tmp_path, monkeypatch)
    dry = la("playbook", "migrate", "england", "--to", "2026.6", "--dry-run", "--as", SENIOR).stdout
    assert "england → version 2026.6: 2 open case(s) on another version" in dry
    assert f"case {ash} (Brook Foundation School, england 2026.5): stage diagnosis → review (mapped)" in dry
    assert f"case {oak} (Oak Primary, england 2026.5): stage concern_raised → concern_raised" in dry
    assert "dry run: nothing changed; 2 would move, 0 refused" in dry
    assert la.json("case", "show", str(ash))["playbook_version"] == "2026.5"
    assert refused("playbook", "migrate", "england", "--to", "2026.6", "--as", LEAD) == (
        "error: a lead cannot move running cases to a new playbook version: ask a senior")
    assert "is version 2026.6, not 2027.1" in refused("playbook", "migrate", "england", "--to", "2027.1", "--as", SENIOR)
    report = la.json("playbook", "migrate", "england", "--to", "2026.6", "--as", SENIOR)
    assert sorted(report["moved"]) == sorted([oak, ash])
    shown = la.json("case", "show", str(ash))
    assert (shown["playbook_version"], shown["stage"]) == ("2026.6", "review")
    assert shown["events"][-1]["action"] == "playbook_migrated"
