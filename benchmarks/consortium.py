"""A consortium on one installation, on PostgreSQL: five authorities, their cases worked
through the use cases, an IP shared between authorities, and the consortium's senior officer
seeing the region.

    .venv/bin/python benchmarks/consortium.py [--quick] [--cases 5000] [--deadlines 50000] [--users 100] [--seconds 60]

Builds ``--cases`` cases spread over five authorities (each opened, taken through diagnosis
into intervention, which plans its half-term, and given a warning notice: events, deadlines
and documents), then live deadlines up to ``--deadlines`` in all. Starts ``scc serve`` on it
and measures, beside ``/healthz`` of the same server as the floor:

- p50/p95 of the case page, the case list, My work and the regional dashboard (all five
  authorities) as the consortium's senior officer, and of the case list as an IP working
  for three authorities (200 requests each);
- ``--users`` signed-in users (leads, IPs and the senior officer in turn) opening random
  pages for ``--seconds``, with the count of answers that were not 200;
- the daily sweep (``deadline_sweep``, one transaction) over every live deadline.

A database ``scc_bench_consortium_<pid>`` is created through ``SCC_BENCH_POSTGRES_URL``
(default: the local server, trust auth) and dropped at the end; nothing else is touched.
Targets: the four pages p95 ≤ 100 ms; 0 errors under 100 users; the sweep over 50,000 live
deadlines ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script
from serving import page, postgres_database, serving, signed_in, timed, users

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the product's packages, not this folder's scripts

AUTHORITIES = 5
PASSWORD = "bench password 2026"
SENIOR = "senior@consortium.example.gov.uk"
RUNS = 200


def _lead(n: int) -> str:
    return f"lead{n}@consortium.example.gov.uk"


def _ip(n: int) -> str:
    return f"ip{n}@consortium.example.gov.uk"


def _build(cases: int, deadlines: int) -> dict[str, int]:
    """The consortium and its caseload; returns what was built."""
    from sqlalchemy import func, insert, select, text

    from models.db.audit import AuditEvent
    from models.db.authorities import Authority
    from models.db.cases import Case, Deadline, Document
    from models.db.schools import Person
    from models.db.session import engine, transaction, upgrade
    from models.services.accounts import set_password
    from models.services.authorities import add_authority, grant_role
    from models.services.cases import Actor, open_case, take_action
    from models.services.directory import SchoolDetails, add_person, add_school
    from models.settings.files import calendar_named
    from models.vocab import Role, SchoolType

    upgrade()
    ips = AUTHORITIES * 2
    with transaction() as session:
        made = [add_authority(session, "bench", f"authority-{n}", {"name": f"Authority {n}", "la_code": str(801 + n)})
                for n in range(AUTHORITIES)]
        add_person(session, "Consortium Senior", SENIOR, "senior", "bench", authorities=made)
        for n, authority in enumerate(made):
            add_person(session, f"Lead {n}", _lead(n), "lead", "bench", authorities=[authority])
        for n in range(ips):  # each IP works for three neighbouring authorities
            add_person(session, f"IP {n}", _ip(n), "ip", "bench", authorities=[made[(n + k) % AUTHORITIES] for k in range(3)])
        for email in [SENIOR] + [_lead(n) for n in range(AUTHORITIES)] + [_ip(n) for n in range(ips)]:
            set_password(session, email, PASSWORD, "bench")
        for i in range(cases):
            add_school(session, SchoolDetails(str(500000 + i), f"School {i}", SchoolType.COMMUNITY, "Primary", "Bench",
                                              la_code=str(801 + i % AUTHORITIES)), "bench")
        grant_role(session, session.execute(select(Person).where(Person.email == SENIOR)).scalar_one(), made, Role.SENIOR, "bench")
    start = date.today() - timedelta(days=90)
    for first in range(0, cases, 50):
        with transaction() as session:
            for i in range(first, min(first + 50, cases)):
                # An IP of the school's authority: IP n works for authorities n, n+1 and n+2 (of five).
                here, turn = i % AUTHORITIES, i // AUTHORITIES
                lead, ip = _lead(here), _ip((here - turn % 3) % AUTHORITIES + AUTHORITIES * (turn // 3 % 2))
                case = open_case(session, str(500000 + i), "bench", on=start, actor=Actor(lead, Role.LEAD), lead=lead, ip=ip).id
                for action, offset, fields in [
                    ("start_diagnosis", 1, {}),
                    ("conclude_diagnosis", 10, {"level": "LA4b", "reasons": "attendance"}),
                    ("issue_warning_notice", 30, {"grounds": "low_standards", "reasons": "Standards fell", "required_action": "Plan",
                                                  "compliance_days": "15", "minded_to": "appoint additional governors"}),
                ]:
                    take_action(session, case, action, fields, on=start + timedelta(days=offset), actor_email=lead)
    with transaction() as session:
        live = session.execute(select(func.count()).select_from(Deadline).where(Deadline.status.in_(["open", "overdue"]))).scalar_one()
        more = max(deadlines - live, 0)  # the rest of the year's reviews and visits, as the half-term plans add them
        case_ids = session.execute(select(Case.id)).scalars().all()
        version = calendar_named("riverford").version
        kinds = ["monitoring_visit_due", "progress_review_due", "ip_progress_report_due", "tig_meeting_due"]
        session.execute(insert(Deadline), [
            {"case_id": case_ids[i % len(case_ids)], "kind": kinds[i % len(kinds)], "counted_from": start, "amount": 1,
             "unit": "days", "basis": "school", "due": date.today() + timedelta(days=(i % 120) - 20), "calendar": "riverford",
             "calendar_version": version, "explanation": "planned for the benchmark", "status": "open",
             "set_by_action": "bench"} for i in range(more)])
    with engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # what autovacuum does within a minute of a bulk load
    with transaction() as session:
        return {"authorities": session.execute(select(func.count()).select_from(Authority)).scalar_one(),
                "cases": len(case_ids),
                "live deadlines": session.execute(select(func.count()).select_from(Deadline)
                                                  .where(Deadline.status.in_(["open", "overdue"]))).scalar_one(),
                "events": session.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
                "documents": session.execute(select(func.count()).select_from(Document)).scalar_one()}


def _sweep() -> tuple[float, int]:
    """Seconds of the daily sweep over every live deadline, in one transaction, and how many it swept."""
    from sqlalchemy import func, select

    from models.db.cases import Deadline
    from models.db.session import transaction
    from models.services.sweep import deadline_sweep

    with transaction() as session:
        live = session.execute(select(func.count()).select_from(Deadline).where(Deadline.status.in_(["open", "overdue"]))).scalar_one()
    started = time.perf_counter()
    with transaction() as session:
        deadline_sweep(session, date.today())
    return time.perf_counter() - started, live


def _visit(chooser: random.Random, account: int, cases: int) -> str:
    """A page the account (0: the senior officer, then the leads, then the IPs) may open: the
    senior officer any case, a lead one of their authority's; an IP their lists."""
    if account == 0:
        return chooser.choice(["/", "/cases", "/dashboard", "/schools", f"/cases/{chooser.randint(1, cases)}"])
    if account <= AUTHORITIES:  # the lead of authority account - 1: its cases are every fifth, from its number
        own = chooser.randrange(account, cases + 1, AUTHORITIES) if cases >= account else 1
        return chooser.choice(["/", "/cases", "/dashboard", "/schools", f"/cases/{own}"])
    return chooser.choice(["/", "/cases", "/schools"])


def _measure(url: str, args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-consortium-"))
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")
    os.environ["SCC_DATABASE_URL"] = url
    started = time.perf_counter()
    built = _build(args.cases, args.deadlines)
    seconds = time.perf_counter() - started
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCC_", "PREFECT_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"SCC_DATABASE_URL": url, "SCC_DATA_DIR": str(workdir / "data"), "PREFECT_HOME": str(workdir / "prefect"),
            "SCC_USER": SENIOR}
    accounts = [(SENIOR, PASSWORD)] + [(_lead(n), PASSWORD) for n in range(AUTHORITIES)] + [(_ip(n), PASSWORD) for n in range(10)]
    with serving(env, workdir, "--no-scheduler") as base:
        senior, ip = signed_in(base, SENIOR, PASSWORD), signed_in(base, _ip(0), PASSWORD)
        pages = {"/healthz (floor)": (senior, "/healthz"), "case page": (senior, "/cases/1"), "case list": (senior, "/cases"),
                 "My work": (senior, "/"), "regional dashboard": (senior, "/dashboard"), "case list, an IP of 3": (ip, "/cases"),
                 "My work, an IP of 3": (ip, "/")}
        for client, path in pages.values():
            timed(page(client, path), 5)  # warm
        results = {label: timed(page(client, path), RUNS) for label, (client, path) in pages.items()}
        served, errors = users(base, accounts, args.users, args.seconds,
                               lambda chooser, user: _visit(chooser, user % len(accounts), args.cases))
        floor_after = timed(page(senior, "/healthz"), RUNS)
    swept, live = _sweep()
    floor = results["/healthz (floor)"][1]
    print(f"\npostgresql: {built['authorities']} authorities, {built['cases']} cases built in {seconds:.0f} s "
          f"({built['events']} events, {built['documents']} documents, {built['live deadlines']} live deadlines)")
    for label, (p50, p95) in results.items():
        target = "" if label.startswith("/healthz") else "   target p95 <= 100 ms"
        print(f"  {label:<22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({p95 / floor:5.1f}x the floor's p95){target}")
    print(f"  {args.users} users for {args.seconds} s: {served} pages ({served / args.seconds:.0f}/s), {errors} errors"
          f"   target 0 errors   (/healthz afterwards p95 {floor_after[1]:.1f} ms)")
    print(f"  daily sweep over {live} live deadlines   {swept:6.2f} s   target <= 5 s for 50,000")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--deadlines", type=int, default=50000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    args = sizes.parse(parser, {"cases": 15, "deadlines": 300, "users": 4, "seconds": 2})
    import logging

    logging.getLogger("scc").setLevel(logging.WARNING)
    print("SCC Casework: a consortium of five authorities on one installation (PostgreSQL)")
    with postgres_database("scc_bench_consortium") as url:
        if url:
            _measure(url, args)


if __name__ == "__main__":
    main()
