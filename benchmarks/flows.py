"""What Prefect costs an action, and the daily sweep over a large caseload, on the embedded default.

    .venv/bin/python benchmarks/flows.py [--quick] [--actions 50] [--deadlines 10000]

1. One ``record_concern`` action through its flow (``scc case advance`` does exactly this:
   the apply-action flow under flows.runtime.run, against a local Prefect server
   started once, as the CLI does without PREFECT_API_URL) beside the same action called
   directly (take_action: decision, records, documents and email in one transaction). Median and 90th percentile;
   the difference is Prefect's overhead. Target: under 250 ms median through the flow.
2. The daily deadline sweep over N open deadlines (overdue marking, escalation rules,
   reminders due that day, the outbox), as the use case in one transaction and as the
   deadline_sweep flow. Target: under 2 s for 10,000 deadlines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script

# Run as a script, this file would shadow the product's ``flows`` package: look from the project root.
sys.path[0] = str(Path(__file__).resolve().parent.parent)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.9 * (len(ordered) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=50)
    parser.add_argument("--deadlines", type=int, default=10_000)
    args = sizes.parse(parser, {"actions": 3, "deadlines": 200})
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-flows-"))
    os.environ["SCC_DATABASE_URL"] = f"sqlite:///{workdir / 'flows.db'}"
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")
    os.environ.setdefault("PREFECT_HOME", str(workdir / "prefect"))
    os.environ["SCC_SMTP_HOST"], os.environ["SCC_SMTP_PORT"] = "127.0.0.1", "9"  # no mail server: rows stay queued

    from sqlalchemy import insert, select

    from flows import case_flows, recurring
    from flows.runtime import run
    from models.db.cases import Case, Deadline
    from models.db.schools import Person, School
    from models.db.session import transaction, upgrade
    from models.services import case_changes
    from models.services.access import terminal_viewer
    from models.services.authorities import home_authority
    from models.services.cases import Actor, open_case
    from models.services.directory import SchoolDetails, add_person, add_school
    from models.services.sweep import deadline_sweep
    from models.settings.files import calendar_named
    from models.vocab import Role, SchoolType

    upgrade()
    on = date(2026, 10, 5)
    with transaction() as session:
        add_person(session, "Bench Lead", "lead@bench.example.org", "lead", "bench")
        add_person(session, "Bench IP", "ip@bench.example.org", "ip", "bench")
        add_person(session, "Bench Senior", "senior@bench.example.org", "senior", "bench")
        for i in range(2):
            add_school(session, SchoolDetails(str(400000 + i), f"Bench School {i}", SchoolType.COMMUNITY, "Primary", "Bench"),
                       "bench")
        lead = Actor("lead@bench.example.org", Role.LEAD)
        direct_case, flow_case = (open_case(session, str(400000 + i), "bench", on=on, actor=lead,
                                            lead="lead@bench.example.org", ip="ip@bench.example.org").id for i in range(2))
    fields = {"source": "data", "detail": "Attendance fell again this month"}
    viewer = terminal_viewer(lead.email)

    case_flows.take_action(viewer, flow_case, "record_concern", fields, on)  # starts the local server
    direct: list[float] = []
    for _ in range(args.actions):
        started = time.perf_counter()
        case_changes.take_action(viewer.email, direct_case, "record_concern", fields, on)
        direct.append(time.perf_counter() - started)
    through_flow: list[float] = []
    for _ in range(args.actions):
        started = time.perf_counter()
        case_flows.take_action(viewer, flow_case, "record_concern", fields, on)
        through_flow.append(time.perf_counter() - started)

    # A caseload: one open case per 10 deadlines, the deadlines spread over the weeks around the sweep day.
    sweep_day = date(2026, 11, 16)
    cases = max(args.deadlines // 10, 1)
    version = calendar_named("riverford").version  # counted on the term dates as they are: nothing to recount
    with transaction() as session:
        ids = {p.role: p.id for p in session.execute(select(Person)).scalars()}
        home = home_authority(session).id
        session.execute(insert(School), [
            {"urn": str(500000 + i), "name": f"Caseload School {i}", "type": "community", "phase": "Primary", "la": "Bench",
             "authority_id": home} for i in range(cases)])
        school_ids = session.execute(select(School.id).where(School.la == "Bench", School.urn >= "500000")).scalars().all()
        session.execute(insert(Case), [
            {"school_id": sid, "playbook": "england", "playbook_version": "2026.5", "jurisdiction": "england",
             "calendar": "riverford", "stage": "intervention", "stage_since": on, "lead_id": ids["lead"], "ip_id": ids["ip"],
             "opened_on": on, "reason": "bench"} for sid in school_ids])
        case_ids = session.execute(select(Case.id).where(Case.reason == "bench")).scalars().all()
        kinds = ["monitoring_visit_due", "progress_review_due", "ip_progress_report_due", "tig_meeting_due",
                 "compliance_period_end", "statement_of_action_due", "diagnosis_due"]
        session.execute(insert(Deadline), [
            {"case_id": case_ids[i % len(case_ids)], "kind": kinds[i % len(kinds)], "counted_from": on, "amount": 1,
             "unit": "days", "basis": "working", "due": sweep_day + timedelta(days=(i % 60) - 30), "calendar": "riverford",
             "calendar_version": version, "explanation": "set for the benchmark", "status": "open",
             "set_by_action": "bench"} for i in range(args.deadlines)])

    started = time.perf_counter()
    with transaction() as session:
        report = deadline_sweep(session, sweep_day)
    sweep_seconds = time.perf_counter() - started
    started = time.perf_counter()
    run(recurring.deadline_sweep, on=sweep_day + timedelta(days=1))
    sweep_flow_seconds = time.perf_counter() - started

    direct_median, direct_p90 = _percentiles(direct)
    flow_median, flow_p90 = _percentiles(through_flow)
    print(f"SCC Casework flows benchmark (SQLite at {workdir})")
    print(f"  one action (record_concern), {args.actions} times      median      p90")
    print(f"    called directly                       {direct_median:7.1f} ms {direct_p90:7.1f} ms")
    print(f"    through its Prefect flow              {flow_median:7.1f} ms {flow_p90:7.1f} ms   (target: median < 250 ms)")
    print(f"    Prefect's overhead                    {flow_median - direct_median:7.1f} ms")
    print(f"  daily sweep over {args.deadlines} open deadlines in {len(case_ids)} cases")
    print(f"    use case, one transaction             {sweep_seconds:7.2f} s   (target: < 2 s)   "
          f"[{report.overdue} overdue, {report.reminders_queued} reminders, {len(report.alerts_raised)} alerts]")
    print(f"    deadline_sweep flow, next day         {sweep_flow_seconds:7.2f} s   (target: < 2 s)")


if __name__ == "__main__":
    main()
