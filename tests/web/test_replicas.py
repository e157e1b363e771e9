"""More than one web process: one ``scc serve`` runs the scheduler, two ``scc serve
--no-scheduler`` replicas serve the pages and the API on the same database. Signed in on one,
a person carries on on the other (a form too: its CSRF key is the installation's); twenty
users across both see no error."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from tests.cli.support import IP, LEAD, SENIOR, open_case
from tests.conftest import Scc, free_port, wait_answering
from tests.security.support import copied, csrf, signed_in

SCC = str(Path(sys.executable).parent / "scc")
USERS, ROUNDS = 20, 5


def _start(args: list[str], env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([SCC, "serve", "--port", str(port), *args], env=env, stdout=log.open("ab"),
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_answering(f"{url}/healthz", process)
    return process, url


def test_two_web_replicas_beside_one_scheduler_serve_any_request(la: Scc, staff: dict[str, str], prefect_server: str,
                                                                 tmp_path: Path) -> None:
    case = open_case(la)
    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    started = []
    try:
        scheduler, _ = _start([], env, tmp_path / "scheduler.log")
        started.append(scheduler)
        first, one = _start(["--no-scheduler"], env, tmp_path / "one.log")
        started.append(first)
        second, two = _start(["--no-scheduler"], env, tmp_path / "two.log")
        started.append(second)

        lead = signed_in(one, LEAD)
        other = copied(two, lead)  # the same browser, its next request sent to the other replica
        assert other.get(f"/cases/{case}").status_code == 200
        token = csrf(lead, f"/cases/{case}")  # a form read from one replica, sent to the other
        noted = other.post(f"/cases/{case}/notes", data={"csrftoken": token, "note": "Spoke to the head"},
                           headers={"accept": "text/html"})
        assert noted.status_code == 303, noted.text[:500]
        assert "Spoke to the head" in lead.get(f"/cases/{case}").text

        failures: list[str] = []
        served: list[str] = []

        def user(n: int) -> None:
            email = (LEAD, IP, SENIOR)[n % 3]
            try:
                client = signed_in((one, two)[n % 2], email)
                for round_ in range(ROUNDS):
                    base = (one, two)[(n + round_) % 2]
                    with httpx.Client(base_url=base, cookies=dict(client.cookies.items()), timeout=60) as browser:
                        for path in ("/", "/cases", f"/cases/{case}"):
                            answer = browser.get(path)
                            served.append(path)
                            if answer.status_code != 200:
                                failures.append(f"{email} {base}{path}: {answer.status_code}")
                client.close()
            except Exception as error:  # noqa: BLE001 - a user who could not carry on is a failure the test reports
                failures.append(f"{email}: {type(error).__name__}: {error}")

        threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not failures, failures[:5]
        assert len(served) == USERS * ROUNDS * 3  # every user opened every page, on both replicas
        assert "a replica: no scheduler" in (tmp_path / "one.log").read_text()
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=60)
