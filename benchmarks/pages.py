"""The web pages under load: p50/p95 of the pages a lead opens most, beside ``/healthz`` of
the same server as the floor, and 20 users at once.

    .venv/bin/python benchmarks/pages.py [--cases 1000] [--seconds 60] [--users 20]

Builds, on a new SQLite database (``SCC_BENCH_DATABASE_URL`` for another), N cases through
the use cases (each opened, taken through diagnosis to a warning notice and given priorities
and a review: events, deadlines and two documents each), serves the application on
127.0.0.1 with uvicorn (as ``scc serve`` does, without its scheduler), signs a lead in and
times each page 200 times in turn; then ``--users`` threads, each signed in, open random
pages for ``--seconds`` and every answer that is not 200 is counted as an error.
Targets (issue 12): pages p95 ≤ 50 ms and within 10× the floor; dashboard p95 ≤ 150 ms;
0 errors under 20 users.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

# Run as a script, this folder comes first on sys.path, and its web.py would shadow the
# product's web package: look in the checkout first.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LEAD, IP = "lead@bench.example.gov.uk", "ip@bench.example.gov.uk"
PASSWORD = "bench password 2026"


def _build(cases: int) -> None:
    from models.db.session import transaction, upgrade
    from models.services.accounts import set_password
    from models.services.cases import Actor, open_case, take_action
    from models.services.directory import SchoolDetails, add_person, add_school
    from models.services.documents import generate
    from models.vocab import Role, SchoolType

    upgrade()
    with transaction() as session:
        add_person(session, "Bench Lead", LEAD, "lead", "bench")
        add_person(session, "Bench Partner", IP, "ip", "bench")
        set_password(session, LEAD, PASSWORD, "bench")
        for i in range(cases):
            add_school(session, SchoolDetails(str(500000 + i), f"School {i}", SchoolType.COMMUNITY, "Primary", "Bench"), "bench")
    start = date.today() - timedelta(days=120)
    for i in range(cases):
        with transaction() as session:
            case = open_case(session, str(500000 + i), "bench", on=start, actor=Actor(LEAD, Role.LEAD), lead=LEAD, ip=IP).id
            for action, offset, fields in [
                ("start_diagnosis", 1, {}),
                ("conclude_diagnosis", 10, {"level": "LA4b", "reasons": "attendance"}),
                ("add_priority", 12, {"title": "Attendance", "success_criteria": "Above 94%"}),
                ("add_priority", 12, {"title": "Governance", "success_criteria": "Challenge in minutes"}),
                ("record_progress_review", 40, {"rag.1": "amber", "rag.2": "red", "reason.2": "No minutes", "next_steps": "Visit"}),
                ("issue_warning_notice", 60, {"grounds": "low_standards", "reasons": "Standards fell", "required_action": "Plan",
                                              "compliance_days": "15", "minded_to": "appoint additional governors"}),
            ]:
                take_action(session, case, action, fields, on=start + timedelta(days=offset), actor_email=LEAD)
            generate(session, case, "tig_agenda", LEAD)


def _client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    answer = client.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "csrftoken": token.group(1)})
    assert answer.status_code == 303, answer.text
    return client


def _times(client: httpx.Client, path: str, runs: int) -> tuple[float, float]:
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-pages-"))
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")
    os.environ["SCC_DATABASE_URL"] = os.environ.get("SCC_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'pages.db'}"
    started = time.perf_counter()
    _build(args.cases)
    built = time.perf_counter() - started

    import logging

    import uvicorn

    from web.app import create_app

    logging.getLogger("scc.web.requests").setLevel(logging.WARNING)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app("bench-secret"), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    client = _client(base)
    pages = {"/healthz (floor)": "/healthz", "case page": "/cases/1", "case list": "/cases", "My work": "/",
             "dashboard": "/dashboard"}
    for path in pages.values():
        _times(client, path, 5)  # warm
    results = {name: _times(client, path, 200) for name, path in pages.items()}

    errors, served = 0, 0
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def user(seed: int) -> None:
        nonlocal errors, served
        mine = _client(base)
        chooser = random.Random(seed)
        while time.monotonic() < stop:
            path = chooser.choice(["/", "/cases", f"/cases/{chooser.randint(1, args.cases)}", "/dashboard"])
            try:
                ok = mine.get(path).status_code == 200
            except httpx.HTTPError:
                ok = False
            with lock:
                served += 1
                errors += 0 if ok else 1

    users = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
    for thread in users:
        thread.start()
    for thread in users:
        thread.join()
    server.should_exit = True

    floor = results["/healthz (floor)"][1]
    print(f"SCC Casework pages ({args.cases} cases built in {built:.0f} s, {os.environ['SCC_DATABASE_URL'].split(':')[0]})")
    for name, (p50, p95) in results.items():
        print(f"  {name:<18} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({p95 / floor:5.1f}x the floor's p95)")
    print(f"  {args.users} users for {args.seconds} s: {served} pages, {errors} errors, {served / args.seconds:.0f} pages/s")


if __name__ == "__main__":
    main()
