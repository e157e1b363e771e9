"""Engine throughput on the embedded default (SQLite), beside the raw cost of the same rows.

    .venv/bin/python benchmarks/engine.py [--quick] [--cases 1000]

1. Opens N cases, then applies ``issue_warning_notice`` to each, one transaction per action,
   exactly as ``scc case advance`` does (playbook decision, guards, deadline counting, notice,
   copies, deadlines, stage, hash-chained audit event).
2. Inserts the very same rows (notice, copies, two deadlines, audit event, the case's stage
   and version, the audit head and its seal) with SQLAlchemy Core, one transaction per case:
   the floor any engine on this database pays.
3. Times ``add_days`` on the shipped calendar for every basis.
Targets: the engine within 3x of the raw cost; add_days at least 50,000 per second.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import random
import secrets
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script
from sqlalchemy import insert, select, update


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    args = sizes.parse(parser, {"cases": 20})
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-"))
    os.environ["SCC_DATABASE_URL"] = f"sqlite:///{workdir / 'engine.db'}"
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")

    from models.db.audit import AuditEvent, AuditHead
    from models.db.cases import Case, Deadline, NoticeCopy, WarningNotice
    from models.db.session import engine, transaction, upgrade
    from models.services.cases import ActionRequest, Actor, apply_action, open_case
    from models.services.directory import SchoolDetails, add_person, add_school
    from models.settings.files import calendar_named
    from models.vocab import Basis, Role, SchoolType

    upgrade()
    on = date(2026, 10, 5)
    actor = Actor("bench@example.org", Role.LEAD)
    with transaction() as session:
        add_person(session, "Bench Lead", actor.email, "lead", "bench")
        for i in range(2 * args.cases):
            add_school(session, SchoolDetails(str(300000 + i), f"School {i}", SchoolType.COMMUNITY, "Primary", "Bench"), "bench")
    with transaction() as session:
        case_ids = [open_case(session, str(300000 + i), "bench", on=on, actor=actor).id for i in range(args.cases)]
    fields = {"grounds": "low_standards", "reasons": "Standards are unacceptably low", "required_action": "Implement the plan",
              "compliance_days": "15", "minded_to": "appoint additional governors"}

    started = time.perf_counter()
    for case_id in case_ids:
        with transaction() as session:
            apply_action(session, ActionRequest(case_id, "issue_warning_notice", fields, on, actor.email))
    engine_seconds = time.perf_counter() - started

    # The same rows, written directly, for another N cases of the same shape.
    with transaction() as session:
        raw_ids = [open_case(session, str(300000 + args.cases + i), "bench", on=on, actor=actor).id for i in range(args.cases)]
    db = engine()
    key = secrets.token_bytes(32)
    due, window = date(2026, 10, 26), date(2026, 12, 26)
    started = time.perf_counter()
    for case_id in raw_ids:
        with db.begin() as connection:
            head = connection.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
            notice_id = connection.execute(insert(WarningNotice).values(
                case_id=case_id, act="Education and Inspections Act 2006", section="s60", regime="regime",
                grounds=["low_standards"], reasons=fields["reasons"], required_action=fields["required_action"],
                given_on=on, compliance_days=15, compliance_end=due, minded_to=fields["minded_to"],
            )).inserted_primary_key[0]
            connection.execute(insert(NoticeCopy), [
                {"notice_id": notice_id, "role": "head", "name": "The Head Teacher", "email": None, "sent_on": on},
                {"notice_id": notice_id, "role": "regional_director", "name": "RD", "email": "rd@example.org", "sent_on": on},
            ])
            connection.execute(insert(Deadline), [
                {"case_id": case_id, "kind": k, "counted_from": on, "amount": 15, "unit": "days", "basis": "working",
                 "due": d, "calendar": "riverford", "calendar_version": "v", "explanation": "explanation",
                 "status": "open", "set_by_action": "issue_warning_notice"}
                for k, d in (("compliance_period_end", due), ("powers_window_end", window))
            ])
            connection.execute(update(Case).where(Case.id == case_id, Case.version == 0)
                               .values(stage="warning_notice", stage_since=on, version=Case.version + 1))
            connection.execute(insert(AuditEvent).values(
                seq=head.seq + 1, at=time_now(), actor=actor.email, action="issue_warning_notice", case_id=case_id,
                effective_on=on, before={"stage": "concern_raised"}, after={"stage": "warning_notice"},
                prev_hash=head.hash, hash=f"{case_id:064d}",
            ))
            seal = hmac.new(key, f"{head.seq + 1}:{case_id:064d}".encode(), hashlib.sha256).hexdigest()
            connection.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=head.seq + 1, hash=f"{case_id:064d}", seal=seal))
    raw_seconds = time.perf_counter() - started

    calendar = calendar_named("riverford")
    rng = random.Random(7)
    starts = [calendar.first_day + timedelta(days=rng.randrange(0, 300)) for _ in range(1000)]
    print(f"SCC Casework engine benchmark ({args.cases} cases, SQLite at {workdir})")
    print(f"  engine: apply issue_warning_notice   {args.cases / engine_seconds:10.0f} actions/s  ({engine_seconds * 1000 / args.cases:.2f} ms each)")
    print(f"  raw SQLAlchemy Core, same rows       {args.cases / raw_seconds:10.0f} cases/s    ({raw_seconds * 1000 / args.cases:.2f} ms each)")
    print(f"  engine cost / raw cost               {engine_seconds / raw_seconds:10.2f}x   (target: within 3x)")
    for basis in Basis:
        calls = 100_000
        started = time.perf_counter()
        for i in range(calls):
            calendar.add_days(starts[i % 1000], 10, basis)
        rate = calls / (time.perf_counter() - started)
        print(f"  calendar add_days, basis {basis.value:<11} {rate:10.0f} per s   (target: >= 50,000)")


def time_now():  # noqa: ANN201 - a timezone-aware now, as the audit log stores it
    from datetime import UTC, datetime

    return datetime.now(UTC)


if __name__ == "__main__":
    main()
