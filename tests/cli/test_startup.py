"""Read-only commands start fast: the scc command does not import Prefect until a flow runs."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_does_not_import_prefect_or_the_scheduler_at_start() -> None:
    probe = "import sys, cli.main; print(sorted(m for m in ('prefect', 'apscheduler', 'docx') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_commands_report_to_the_prefect_server_scc_serve_runs_while_it_lives(tmp_path) -> None:
    import json
    import os

    probe = "import os; from flows.runtime import configure; configure(); print(os.environ.get('PREFECT_API_URL'))"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(tmp_path)}

    def api_url() -> str:
        return subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.strip()

    assert api_url() == "None"  # no server recorded: Prefect's temporary one
    record = tmp_path / "scc-prefect-server.json"
    record.write_text(json.dumps({"url": "http://127.0.0.1:4999/api", "pid": os.getpid()}))
    assert api_url() == "http://127.0.0.1:4999/api"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    record.write_text(json.dumps({"url": "http://127.0.0.1:4999/api", "pid": int(ended.stdout)}))
    assert api_url() == "None"  # its process is gone: not used
    assert subprocess.run([sys.executable, "-c", probe], env=env | {"PREFECT_API_URL": "http://elsewhere/api"},
                          capture_output=True, text=True, check=True).stdout.strip() == "http://elsewhere/api"
