"""What only the command-line tests share: a config folder of their own to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped config folder, with an empty templates/ for the LA's own, in use."""
    from models.settings.environment import SHIPPED_CONFIG

    folder = tmp_path / "config"
    shutil.copytree(SHIPPED_CONFIG, folder)
    (folder / "templates").mkdir()
    monkeypatch.setenv("SCC_CONFIG_DIR", str(folder))
    return folder
