"""Scaling out: the recurring flows deployed on a real Prefect server and run by a worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from models.db.session import engine
from tests.cli.support import NOTICE, advance, open_case
from tests.conftest import Scc, free_port, wait_answering

BIN = Path(sys.executable).parent


def test_scc_deploy_then_a_worker_runs_the_sweep(la: Scc, db_url: str, tmp_path: Path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)  # compliance period ends 5 January 2027
    api = f"http://127.0.0.1:{free_port()}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_WORKER_QUERY_SECONDS": "1",
           "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING"}
    port = api.split(":")[2].split("/")[0]
    log = (tmp_path / "server.log").open("ab")
    processes = [subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", port],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)]
    try:
        wait_answering(f"{api}/health", processes[0])
        deployed = subprocess.run([str(BIN / "scc"), "deploy", "--json"], env=env, capture_output=True, text=True, timeout=120)
        assert deployed.returncode == 0, deployed.stderr
        assert "deadline-sweep/scc-deadline-sweep" in deployed.stdout
        processes.append(subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", "scc-casework"],
                                          env=env, stdout=log, stderr=subprocess.STDOUT))
        ran = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "deadline-sweep/scc-deadline-sweep", "--param", "on=2027-01-06",
             "--watch", "--watch-timeout", "150"],
            env=env, capture_output=True, text=True, timeout=200)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "Completed" in ran.stdout
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    with engine(db_url).connect() as connection:
        statuses = connection.execute(text("SELECT kind, status FROM deadline ORDER BY id")).all()
        queued = connection.execute(text("SELECT count(*) FROM notification WHERE kind = 'reminder'")).scalar_one()
    assert ("compliance_period_end", "overdue") in [tuple(row) for row in statuses]
    assert queued == 2  # the overdue reminder, to the lead and the senior officer


def test_deploy_without_a_prefect_server_is_refused(la: Scc, refused, monkeypatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert "scc deploy needs a Prefect server" in refused("deploy")
