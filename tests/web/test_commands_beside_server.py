"""A command typed beside a running ``scc serve`` is a client of its REST API: the records are
exactly those the command makes when it runs the use case itself, and what it prints is
exactly what it prints alone."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Scc, free_port, wait_answering
from tests.web.conftest import LINK_SECRET


def _link(server: str, pid: int | None = None, secret: str = LINK_SECRET) -> Path:
    """Record the session's server as this database's ``scc serve``, as it does at start-up."""
    from models.services.installation import database_identity
    from models.settings.environment import database_url
    from models.settings.server_link import publish

    path = publish(database_url(), server, database_identity(), secret)
    if pid is not None:
        found = json.loads(path.read_text())
        path.write_text(json.dumps({**found, "pid": pid}))
    return path


@pytest.fixture
def handed_over() -> Iterator[list[str]]:
    """The API requests the server logs while the test runs, with the status when it is not
    2xx (a handler on the request log itself: the first flow of a process lets Prefect
    replace the root's)."""
    paths: list[str] = []

    class Seen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged = json.loads(record.getMessage())
            if logged["path"].startswith("/api/"):
                paths.append(f"{logged['method']} {logged['path']}" + ("" if logged["status"] < 300 else f" {logged['status']}"))

    log, seen = logging.getLogger("scc.web.requests"), Seen()
    level = log.level
    log.setLevel(logging.INFO)
    log.addHandler(seen)
    yield paths
    log.removeHandler(seen)
    log.setLevel(level)


def _same_for_any_case(after: dict[str, Any]) -> dict[str, Any]:
    """An event's record without what differs from one case to another: its school, the
    path of a document (named by case), the document's digest and the ids of the deadlines
    an action closed (their statuses stay)."""
    return {k: [status for _, status in v] if k == "closed_deadlines" else v for k, v in after.items()
            if k not in ("school", "path") and not (isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v))}


def _records(scc: Scc, case: int) -> dict[str, Any]:
    """What a case's history holds, without what differs between two cases."""
    shown = scc.json("case", "show", str(case))
    return {
        "stage": shown["stage"],
        "events": [(e["on"], e["actor"], e["action"], _same_for_any_case(e["after"])) for e in shown["events"]],
        "deadlines": [(d["kind"], d["due"], d["basis"], d["status"], d["explanation"]) for d in shown["deadlines"]],
        "documents": sorted((d["kind"], d["version"]) for d in scc.json("doc", "list", str(case))),
    }


def test_a_command_beside_the_server_records_what_it_records_alone(la: Scc, server: str,
                                                                   handed_over: list[str]) -> None:
    la("school", "add", "--urn", "100005", "--name", "Elm Primary", "--type", "community", "--phase", "Primary",
       "--la", "Riverford")
    link = _link(server)
    beside = open_case(la, "100001")
    advance(la, beside, "start_diagnosis", "2026-09-15")
    advance(la, beside, "conclude_diagnosis", "2026-10-01", "level=LA4b", "reasons=Attendance")
    assert handed_over == ["POST /api/v1/cases", f"POST /api/v1/cases/{beside}/actions/start_diagnosis",
                           f"POST /api/v1/cases/{beside}/actions/conclude_diagnosis"]

    link.unlink()
    alone = open_case(la, "100005")
    advance(la, alone, "start_diagnosis", "2026-09-15")
    advance(la, alone, "conclude_diagnosis", "2026-10-01", "level=LA4b", "reasons=Attendance")
    assert len(handed_over) == 3  # run in the command's own process
    assert _records(la, beside) == _records(la, alone)
    assert _records(la, beside)["stage"] == "intervention"
    records = _records(la, beside)
    assert [e[2] for e in records["events"]] == ["case_opened", "start_diagnosis", "half_term_planned", "conclude_diagnosis",
                                                 "document_generated"]
    assert records["deadlines"] and records["documents"]


def test_a_refusal_on_the_server_is_one_line_and_writes_nothing(la: Scc, server: str,
                                                               handed_over: list[str]) -> None:
    case = open_case(la)
    _link(server)
    before = la.json("doc", "list", str(case))
    result = la("doc", "render", str(case), "no_such_letter", "--as", LEAD, ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert "no_such_letter" in result.output
    assert handed_over == [f"GET /api/v1/cases/{case}/documents", f"POST /api/v1/cases/{case}/documents/no_such_letter 404"]
    assert la.json("doc", "list", str(case)) == before


def test_a_link_with_the_wrong_secret_is_refused_with_what_to_do(la: Scc, server: str) -> None:
    case = open_case(la)
    link = _link(server, secret="stale")
    result = la("case", "advance", str(case), "start_diagnosis", "--on", "2026-09-15", "--as", LEAD, ok=False)
    assert result.output.strip() == ("error: the scc serve beside this command did not accept its link (it was restarted since): "
                                     "run the command again")
    link.unlink()
    assert la.json("case", "show", str(case))["stage"] == "concern_raised"


def test_a_server_that_has_gone_is_passed_over(la: Scc, server: str, handed_over: list[str]) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()
    _link(server, pid=ended.pid)
    assert not os.path.exists(f"/proc/{ended.pid}")
    case = open_case(la)
    assert la.json("case", "show", str(case))["stage"] == "concern_raised"
    assert handed_over == []


def test_scc_serve_takes_the_commands_flows_and_stops_cleanly_after(la: Scc, tmp_path: Path) -> None:
    """The real thing: ``scc serve`` with its own Prefect server, a command typed beside it,
    then Ctrl-C. It stops (the flow's logs reach its Prefect server first), takes its
    record with it, and the next command runs the use case itself."""
    import signal
    import sys

    scc = str(Path(sys.executable).parent / "scc")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "SCC_USER"}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect")}  # the server's: no SCC_USER (it would take the one lead)
    case = open_case(la)
    port = free_port()
    log = tmp_path / "serve.log"
    serve = subprocess.Popen([scc, "serve", "--port", str(port)], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_answering(f"http://127.0.0.1:{port}/healthz", serve)
        from models.settings.server_link import link_file

        link = link_file(env["SCC_DATABASE_URL"])
        assert link.exists() and oct(link.stat().st_mode & 0o777) == "0o600"
        assert oct(link.parent.stat().st_mode & 0o777) == "0o700"
        done = subprocess.run([scc, "case", "advance", str(case), "start_diagnosis", "--on", "2026-09-15"],
                              env={**env, "SCC_USER": SENIOR}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "stage now 'diagnosis'" in done.stdout, done.stderr
        assert f'"method": "POST", "path": "/api/v1/cases/{case}/actions/start_diagnosis", "status": 200' in log.read_text()
        shown = subprocess.run([scc, "case", "show", str(case)], env=env, capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0 and "stage: diagnosis" in shown.stdout, shown.stderr
        assert f'"method": "GET", "path": "/api/v1/cases/{case}", "status": 200' in log.read_text()
    finally:
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=90) == 0, log.read_text()[-2000:]
    assert not link.exists()
    after = subprocess.run([scc, "case", "show", str(case), "--json"], env=env, capture_output=True, text=True, timeout=60)
    shown = json.loads(after.stdout)
    assert shown["stage"] == "diagnosis"
    assert shown["events"][-1]["actor"] == SENIOR  # the person at the terminal, not whoever runs the server


def _typed(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``scc ARGS`` as typed at a terminal beside the server (the installed command, its own process)."""
    import sys

    scc = str(Path(sys.executable).parent / "scc")
    return subprocess.run([scc, *args], env={**os.environ, "COLUMNS": "160", **env},
                          capture_output=True, text=True, timeout=120)


def test_a_read_only_command_beside_the_server_is_answered_by_it_as_it_answers_itself(
        la: Scc, server: str, handed_over: list[str]) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    link = _link(server)
    asked = [("case", "show", str(case)), ("case", "list"), ("deadlines", "--all"), ("case", "actions", str(case)),
             ("case", "show", str(case), "--json")]
    beside = [_typed(*args) for args in asked]
    assert handed_over == [f"GET /api/v1/cases/{case}", "GET /api/v1/cases", "GET /api/v1/deadlines",
                           f"GET /api/v1/cases/{case}/actions", f"GET /api/v1/cases/{case}"]

    link.unlink()
    alone = [_typed(*args) for args in asked]
    assert len(handed_over) == len(asked)  # each ran in its own process
    for args, by_server, by_itself in zip(asked, beside, alone, strict=True):
        assert by_server.returncode == by_itself.returncode == 0, (args, by_server.stderr, by_itself.stderr)
        assert (by_server.stdout, by_server.stderr) == (by_itself.stdout, by_itself.stderr), args
    assert f"case {case}" in beside[0].stdout and "start_diagnosis" in beside[0].stdout
    assert json.loads(beside[4].stdout)["stage"] == "diagnosis"


def test_a_refused_read_only_command_beside_the_server_is_one_line(la: Scc, server: str,
                                                                  handed_over: list[str]) -> None:
    _link(server)
    result = _typed("case", "show", "999")
    assert handed_over == ["GET /api/v1/cases/999 404"]
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "error: no case 999\n"


def test_a_server_that_would_answer_otherwise_is_not_asked(la: Scc, server: str, handed_over: list[str]) -> None:
    """The server counts with its own business date and configuration: a terminal with
    another gets its answer from its own process."""
    case = open_case(la)
    _link(server)
    result = _typed("case", "show", str(case), "--json", SCC_TODAY="2027-10-01")
    assert result.returncode == 0 and json.loads(result.stdout)["id"] == case
    assert handed_over == []  # the command ran itself


def test_the_api_takes_the_terminal_only_with_the_secret_and_as_the_person_named(la: Scc, server: str) -> None:
    import httpx

    from models.settings.server_link import settings_seen
    from tests.cli.support import IP

    case = open_case(la, "100004")  # a school with no IP: its case is not the IP's
    _link(server)
    unsigned = httpx.get(f"{server}/api/v1/cases/{case}", headers={"X-SCC-As": LEAD})
    assert unsigned.status_code == 401
    signed = {"X-SCC-Link": LINK_SECRET}
    assert httpx.get(f"{server}/api/v1/cases/{case}", headers={**signed, "X-SCC-As": LEAD}).json()["id"] == case
    assert httpx.get(f"{server}/api/v1/cases/{case}", headers={**signed, "X-SCC-As": IP}).status_code == 404
    refused = httpx.post(f"{server}/api/v1/cases/{case}/actions/start_diagnosis", headers={**signed, "X-SCC-As": IP},
                         json={"on": "2026-09-15"})
    assert refused.status_code == 404 and refused.json() == {"detail": f"no case {case}"}
    assert la.json("case", "show", str(case))["stage"] == "concern_raised"
    assert settings_seen()["SCC_TODAY"] == os.environ["SCC_TODAY"]
