"""What only the command-line tests share: a config folder of their own to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.support import IP, advance, open_case
from tests.cli.support import made as _made
from tests.conftest import Scc


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped config folder, with an empty templates/ for the LA's own, in use."""
    from models.settings.environment import SHIPPED_CONFIG

    folder = tmp_path / "config"
    shutil.copytree(SHIPPED_CONFIG, folder)
    (folder / "templates").mkdir()
    monkeypatch.setenv("SCC_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def monitored(la: Scc) -> tuple[Scc, int, dict[str, str]]:
    """Oak Primary through diagnosis, special measures, its statement of action, a TIG, a visit and a review."""
    case = open_case(la)
    paths: dict[str, str] = {}
    advance(la, case, "start_diagnosis", "2026-09-15")
    shown = advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=Reading & writing <well below> floor")
    paths["causing_concern_notification"] = _made(shown, "causing_concern_notification")
    advance(la, case, "add_priority", "2026-09-28", "title=Raise attainment in reading", "success_criteria=70% at expected",
            "lead=Deputy head", "target_on=2027-03-26", "resources=English hub support")
    advance(la, case, "add_priority", "2026-09-28", "title=Strengthen governance", "success_criteria=Governors challenge leaders",
            "lead=Chair of governors", "target_on=2027-02-12", "resources=National leader of governance")
    shown = advance(la, case, "record_inspection_category", "2026-09-29", "category=special_measures", "evidence=Ofsted report",
                    "report_published_on=2026-09-28")
    paths["category_letter"] = _made(shown, "category_letter")
    shown = advance(la, case, "submit_statement_of_action", "2026-10-05", "target_removal_on=2027-07-16",
                    "summary=Reading first; governance review",
                    "parents_arrangements=A letter to every family and a meeting for parents with the chair")
    paths["statement_of_action"] = _made(shown, "statement_of_action")
    shown = advance(la, case, "record_tig_meeting", "2026-10-06", "attendees=Head, chair, lead, IP",
                    "notes=Funding agreed for phonics training")
    paths["tig_minutes"] = _made(shown, "tig_minutes")
    shown = advance(la, case, "record_monitoring_visit", "2026-10-07", "focus=Phonics teaching",
                    "notes=Strong routines in Year 1", actor=IP)
    paths["note_of_visit"] = _made(shown, "note_of_visit")
    shown = advance(la, case, "record_progress_review", "2026-10-20", "rag.1=red", "reason.1=Reading still below 40%",
                    "rag.2=green", "reason.2=Minutes show challenge", "next_steps=Reading audit by half-term", actor=IP)
    paths["progress_review_report"] = _made(shown, "progress_review_report")
    return la, case, paths
