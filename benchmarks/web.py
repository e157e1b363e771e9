"""The web application and the command line as a lead meets them, at 1,000 cases, on SQLite
and on PostgreSQL in one run.

    .venv/bin/python benchmarks/web.py [--quick] [--cases 1000] [--seconds 60] [--users 20] [--databases sqlite,postgresql]

For each database: build N cases through the use cases (each opened, taken through
diagnosis to a warning notice, given priorities and a progress review: events, deadlines
and documents), start ``scc serve`` on it (web pages, API, scheduler and its Prefect
server, as an LA runs it) and measure, beside ``/healthz`` of the same server as the floor:

- p50/p95 of the case page, the case list, My work and the dashboard (200 requests each,
  one signed-in lead responsible for every case);
- an action posted through its form (``start_diagnosis``, each a flow on the Prefect
  server), on cases opened for the purpose;
- ``--users`` signed-in users opening random pages for ``--seconds`` on 127.0.0.1, with
  the count of answers that were not 200;
- ``scc`` commands typed beside the server, each a fresh process (``python -c pass`` is the
  floor): read-only ones, and a state-changing one, each a request of the server's REST API.

PostgreSQL: a database ``scc_bench_<pid>`` is created through ``SCC_BENCH_POSTGRES_URL``
(default: the local server, trust auth) and dropped at the end; nothing else is touched.
Targets: pages p95 ≤ 50 ms and within 10× the floor; dashboard p95 ≤ 150 ms; action POST
median ≤ 300 ms; 0 errors under 20 users; commands beside the server: state-changing
≤ 1.5 s, read-only ≤ 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import sizes  # benchmarks/sizes.py, beside this script
from serving import BIN, page, percentiles, postgres_database, serving, signed_in, timed, users

# Run as a script, this folder comes first on sys.path and its files would shadow the
# product's web package (and the standard library's calendar): look from the checkout.
ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

LEAD, IP = "lead@bench.example.gov.uk", "ip@bench.example.gov.uk"
PASSWORD = "bench password 2026"
ACTIONS = 30  # cases opened for the action POSTs
RUNS = 200  # requests per page


def _build(cases: int) -> dict[str, float]:
    """N worked cases plus ``ACTIONS`` just opened; returns the records per worked case."""
    from sqlalchemy import func, select

    from models.db.audit import AuditEvent
    from models.db.cases import Deadline, Document
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
        for i in range(cases + ACTIONS):
            add_school(session, SchoolDetails(str(500000 + i), f"School {i}", SchoolType.COMMUNITY, "Primary", "Bench"), "bench")
    start = date.today() - timedelta(days=120)
    for i in range(cases):
        with transaction() as session:
            case = open_case(session, str(500000 + i), "bench", on=start, actor=Actor(LEAD, Role.LEAD), lead=LEAD, ip=IP).id
            for action, offset, fields in [
                ("start_diagnosis", 1, {}),
                ("conclude_diagnosis", 10, {"level": "LA4b", "reasons": "attendance"}),
                ("add_priority", 12, {"title": "Attendance", "success_criteria": "Above 94%",
                    "lead": "Head teacher", "target_on": "2027-07-16", "resources": "IP time"}),
                ("add_priority", 12, {"title": "Governance", "success_criteria": "Challenge in minutes",
                    "lead": "Head teacher", "target_on": "2027-07-16", "resources": "IP time"}),
                ("record_progress_review", 40, {"rag.1": "amber", "rag.2": "red", "reason.2": "No minutes", "next_steps": "Visit"}),
                ("issue_warning_notice", 60, {"grounds": "low_standards", "reasons": "Standards fell", "required_action": "Plan",
                                              "compliance_days": "15", "minded_to": "appoint additional governors"}),
            ]:
                take_action(session, case, action, fields, on=start + timedelta(days=offset), actor_email=LEAD)
            generate(session, case, "tig_agenda", LEAD)
    with transaction() as session:
        for i in range(cases, cases + ACTIONS):
            open_case(session, str(500000 + i), "bench", on=start, actor=Actor(LEAD, Role.LEAD), lead=LEAD, ip=IP)
    if "postgresql" in os.environ["SCC_DATABASE_URL"]:
        # What autovacuum does within a minute of a bulk load: without statistics the planner
        # takes a thousand fresh cases for one and nests its loops accordingly.
        from sqlalchemy import text

        from models.db.session import engine

        with engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    with transaction() as session:
        worked = cases or 1
        return {name: session.execute(select(func.count()).select_from(table)).scalar_one() / worked
                for name, table in [("events", AuditEvent), ("deadlines", Deadline), ("documents", Document)]}


def _action_posts(client: httpx.Client, first_case: int) -> tuple[float, float]:
    spent = []
    for case in range(first_case, first_case + ACTIONS):
        form = client.get(f"/cases/{case}/actions/start_diagnosis")
        token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
        assert form.status_code == 200 and token is not None, form.text[:300]
        started = time.perf_counter()
        answer = client.post(f"/cases/{case}/actions/start_diagnosis", data={"csrftoken": token.group(1)})
        spent.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 303, answer.text[:500]
    return percentiles(spent)


def _command(env: dict[str, str], *args: str, runs: int = 5) -> float:
    """Median seconds of a fresh process, as typed at the terminal."""
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(list(args), env=env, capture_output=True, text=True)
        spent.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
    return statistics.median(spent)


def _advance_beside(env: dict[str, str], first_case: int) -> float:
    """Median seconds of ``scc case advance`` (its API request run by the server as its flow) on fresh cases."""
    spent = []
    for case in range(first_case, first_case + 5):
        started = time.perf_counter()
        done = subprocess.run([str(BIN / "scc"), "case", "advance", str(case), "conclude_diagnosis", "--set", "level=LA4b",
                               "--set", "reasons=attendance"], env=env, capture_output=True, text=True)
        spent.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"scc case advance {case}: {done.stderr.strip()}")
    return statistics.median(spent)


def _measure(name: str, url: str, args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"scc-bench-web-{name}-"))
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")
    os.environ["SCC_DATABASE_URL"] = url
    started = time.perf_counter()
    per_case = _build(args.cases)
    built = time.perf_counter() - started
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCC_", "PREFECT_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"SCC_DATABASE_URL": url, "SCC_DATA_DIR": str(workdir / "data"), "PREFECT_HOME": str(workdir / "prefect"),
            "SCC_USER": LEAD}
    with serving(env, workdir) as base:
        client = signed_in(base, LEAD, PASSWORD)
        pages = {"/healthz (floor)": "/healthz", "case page": "/cases/1", "case list": "/cases", "My work": "/",
                 "dashboard": "/dashboard"}
        for path in pages.values():
            timed(page(client, path), 5)  # warm
        results = {label: timed(page(client, path), RUNS) for label, path in pages.items()}
        posted = _action_posts(client, args.cases + 1)
        served, errors = users(base, [(LEAD, PASSWORD)], args.users, args.seconds,
                               lambda chooser, _: chooser.choice(["/", "/cases", f"/cases/{chooser.randint(1, args.cases)}",
                                                                  "/dashboard"]))
        python = _command(env, str(BIN / "python"), "-c", "pass")
        reads = {f"scc {' '.join(command)}": _command(env, str(BIN / "scc"), *command)
                 for command in (["case", "show", "1"], ["case", "list"], ["deadlines"])}
        advanced = _advance_beside(env, args.cases + 1)
    floor = results["/healthz (floor)"][1]
    print(f"\n{name}: {args.cases} cases built in {built:.0f} s; per case {per_case['events']:.0f} events, "
          f"{per_case['deadlines']:.0f} deadlines, {per_case['documents']:.0f} documents")
    for label, (p50, p95) in results.items():
        target = "" if label.startswith("/healthz") else f"   target p95 <= {150 if label == 'dashboard' else 50} ms"
        print(f"  {label:<18} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({p95 / floor:5.1f}x the floor's p95){target}")
    print(f"  action POST (flow) median {posted[0]:6.0f} ms   p95 {posted[1]:6.0f} ms   target median <= 300 ms")
    print(f"  {args.users} users for {args.seconds} s: {served} pages ({served / args.seconds:.0f}/s), {errors} errors   target 0 errors")
    print(f"  python -c pass (floor)            {python:5.2f} s")
    for label, seconds in reads.items():
        print(f"  {label:<33} {seconds:5.2f} s   target <= 0.6 s")
    print(f"  scc case advance (through the API) {advanced:5.2f} s   target <= 1.5 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = sizes.parse(parser, {"cases": 20, "seconds": 2, "users": 2})
    import logging

    logging.getLogger("scc").setLevel(logging.WARNING)
    print("SCC Casework: the web application and the command line beside it")
    for name in args.databases.split(","):
        if name == "sqlite":
            workdir = Path(tempfile.mkdtemp(prefix="scc-bench-web-db-"))
            _measure("sqlite", f"sqlite:///{workdir / 'scc.db'}", args)
        elif name == "postgresql":
            with postgres_database("scc_bench") as url:
                if url:
                    _measure("postgresql", url, args)
        else:
            raise SystemExit(f"no database '{name}': choose sqlite, postgresql or both, comma-separated")


if __name__ == "__main__":
    main()
