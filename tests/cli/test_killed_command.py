"""A command killed mid-flight (SIGKILL: no clean-up of its own runs) leaves no debris: its
temporary Prefect server stops with it, its run shows as crashed once the next command
starts, and its action wrote nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.cli.support import LEAD, NOTICE, open_case
from tests.conftest import Scc
from tests.processes import alive, until

BIN = Path(sys.executable).parent
SLOW = "{% for i in range(90000) %}{% for j in range(90000) %}{% endfor %}{% endfor %}"  # stopped after 5 seconds


def _flow_runs(home: Path) -> dict[str, str]:
    try:
        with sqlite3.connect(home / "prefect.db") as db:
            return dict(db.execute("SELECT name, state_type FROM flow_run").fetchall())
    except sqlite3.Error:
        return {}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rpartition(")")[2].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def test_a_killed_command_leaves_no_server_and_its_run_shows_crashed(la: Scc, config: Path, tmp_path: Path) -> None:
    case = open_case(la)
    (config / "templates" / "warning_notice.xml.j2").write_text(SLOW)
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
    advance = [str(BIN / "scc"), "case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-05", "--as", LEAD]
    for pair in NOTICE:
        advance += ["--set", pair]
    command = subprocess.Popen(advance, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert until(lambda: "RUNNING" in _flow_runs(home).values(), 150), "the action's run never started"
        servers = [p for p in _children(command.pid) if b"uvicorn" in (Path("/proc") / str(p) / "cmdline").read_bytes()]
        assert len(servers) == 1
        (killed_run,) = [name for name, state in _flow_runs(home).items() if state == "RUNNING"]
        os.kill(command.pid, signal.SIGKILL)
    finally:
        command.kill()
        command.wait()
    assert until(lambda: not alive(servers[0]), 15), "the temporary Prefect server outlived its command"
    assert la.json("case", "show", str(case))["stage"] == "concern_raised"  # the action wrote nothing

    (config / "templates" / "warning_notice.xml.j2").unlink()
    after = subprocess.run([str(BIN / "scc"), "flows", "run", "plan_half_term", "--on", "2026-09-02"],
                           env=env, capture_output=True, text=True, timeout=300)
    assert after.returncode == 0, after.stderr
    assert _flow_runs(home)[killed_run] == "CRASHED"
