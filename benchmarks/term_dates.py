"""Term dates that change under 10,000 live deadlines: how long ``scc calendar check`` takes.

    .venv/bin/python benchmarks/term_dates.py [--quick] [--deadlines 10000]

Builds, on a new SQLite database (``SCC_BENCH_DATABASE_URL`` for another), one open case
per 10 deadlines and N open deadlines counted in school days on the shipped Riverford
calendar, each from a day of the autumn term; then adds an INSET day to a copy of the
calendar and times the check that lists every deadline whose date would move (the use case
behind ``scc calendar check`` and the Term dates page), beside the same check when nothing
changed (the daily sweep's cost). Target: ≤ 2 s for 10,000 live deadlines.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script

# Run as a script, this folder would come first on sys.path: look from the project root.
ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deadlines", type=int, default=10_000)
    args = sizes.parse(parser, {"deadlines": 200})
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-calendar-"))
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")
    os.environ["SCC_DATABASE_URL"] = os.environ.get("SCC_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'scc.db'}"
    from sqlalchemy import insert, select

    from models.db.cases import Case, Deadline
    from models.db.schools import Person, School
    from models.db.session import transaction, upgrade
    from models.services.authorities import home_authority
    from models.services.directory import add_person
    from models.services.recount import deadline_moves
    from models.settings.files import calendar_named
    from models.vocab import Basis

    upgrade()
    calendar = calendar_named("riverford")
    term_start, today = date(2026, 9, 3), date(2026, 9, 3)
    cases = max(args.deadlines // 10, 1)
    with transaction() as session:
        add_person(session, "Bench Lead", "lead@bench.example.gov.uk", "lead", "bench")
        lead = session.execute(select(Person.id)).scalar_one()
        home = home_authority(session).id
        session.execute(insert(School), [{"urn": str(600000 + i), "name": f"School {i}", "type": "community", "phase": "Primary",
                                          "la": "Bench", "authority_id": home} for i in range(cases)])
        schools = session.execute(select(School.id)).scalars().all()
        session.execute(insert(Case), [{"school_id": sid, "playbook": "england", "playbook_version": "2026.5",
                                        "jurisdiction": "england", "calendar": "riverford", "stage": "intervention",
                                        "stage_since": term_start, "lead_id": lead, "opened_on": term_start, "reason": "bench"}
                                       for sid in schools])
        case_ids = session.execute(select(Case.id)).scalars().all()
        rows = []
        for i in range(args.deadlines):
            start = term_start + timedelta(days=i % 40)
            counted = calendar.add_days(start, 20, Basis.SCHOOL)
            rows.append({"case_id": case_ids[i % len(case_ids)], "kind": "progress_review_due", "counted_from": start,
                         "amount": 20, "unit": "days", "basis": "school", "due": counted.date, "calendar": calendar.name,
                         "calendar_version": calendar.version, "explanation": counted.explanation, "status": "open",
                         "set_by_action": "bench"})
        session.execute(insert(Deadline), rows)

    started = time.perf_counter()
    with transaction() as session:
        unchanged, _ = deadline_moves(session, today)
    quiet = time.perf_counter() - started
    assert unchanged == []

    folder = workdir / "config" / "calendars"
    folder.mkdir(parents=True)
    text = (ROOT / "config" / "calendars" / "riverford.toml").read_text(encoding="utf-8")
    folder.joinpath("riverford.toml").write_text(
        text.replace("closures = [2026-09-02, 2026-11-27]", "closures = [2026-09-02, 2026-10-01, 2026-11-27]"), encoding="utf-8")
    os.environ["SCC_CONFIG_DIR"] = str(workdir / "config")
    started = time.perf_counter()
    with transaction() as session:
        moves, same = deadline_moves(session, today)
    checked = time.perf_counter() - started
    print(f"SCC Casework term-date check over {args.deadlines} live deadlines in {cases} cases "
          f"({os.environ['SCC_DATABASE_URL'].split(':')[0]})")
    print(f"  an INSET day added: {len(moves)} would move, {sum(len(v) for v in same.values())} stay   "
          f"{checked:5.2f} s   target <= 2 s")
    print(f"  term dates unchanged (the daily sweep's check)              {quiet:5.2f} s")


if __name__ == "__main__":
    main()
