"""Read-only commands start fast: the scc command does not import Prefect until a flow runs."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_does_not_import_prefect_or_the_scheduler_at_start() -> None:
    probe = "import sys, cli.main; print(sorted(m for m in ('prefect', 'apscheduler', 'docx') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "[]"
