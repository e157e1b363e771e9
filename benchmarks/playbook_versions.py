"""A playbook migration's dry run over 1,000 open cases.

    .venv/bin/python benchmarks/playbook_versions.py [--quick] [--cases 1000]

Builds, on a new SQLite database (``SCC_BENCH_DATABASE_URL`` for another), N open cases on
the shipped England playbook (version 2026.5) spread over its open stages, each with five
live deadlines; then puts a version 2026.6 in a config folder of its own (the diagnosis stage
renamed "review" and mapped, the escalated stage renamed and not mapped) and times the plan
behind ``scc playbook migrate england --to 2026.6 --dry-run``: every case's stage before and
after, the actions that open and close, the deadlines no new action meets, the refusals.
Target: ≤ 5 s for 1,000 cases.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script

# Run as a script, this folder would come first on sys.path: look from the project root.
ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    args = sizes.parse(parser, {"cases": 20})
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-migration-"))
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")
    os.environ["SCC_DATABASE_URL"] = os.environ.get("SCC_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'scc.db'}"
    from sqlalchemy import insert, select

    from models.db.cases import Case, Deadline
    from models.db.playbooks import pin_playbook
    from models.db.schools import Person, School
    from models.db.session import transaction, upgrade
    from models.services.authorities import home_authority
    from models.services.directory import add_person
    from models.services.playbook_versions import plan_migration, target_playbook
    from models.settings.files import playbook_named

    upgrade()
    old = playbook_named("england")
    stages = ["concern_raised", "diagnosis", "intervention", "warning_notice", "escalated"]
    kinds = ["progress_review_due", "monitoring_visit_due", "tig_meeting_due", "diagnosis_due", "compliance_period_end"]
    opened = date(2026, 9, 14)
    with transaction() as session:
        pin_playbook(session, old)
        add_person(session, "Bench Lead", "lead@bench.example.gov.uk", "lead", "bench")
        lead = session.execute(select(Person.id)).scalar_one()
        home = home_authority(session).id
        session.execute(insert(School), [{"urn": str(700000 + i), "name": f"School {i}", "type": "community", "phase": "Primary",
                                          "la": "Bench", "authority_id": home} for i in range(args.cases)])
        schools = session.execute(select(School.id)).scalars().all()
        session.execute(insert(Case), [{"school_id": sid, "playbook": "england", "playbook_version": old.version,
                                        "jurisdiction": "england", "calendar": "riverford", "stage": stages[i % len(stages)],
                                        "stage_since": opened, "lead_id": lead, "opened_on": opened, "reason": "bench"}
                                       for i, sid in enumerate(schools)])
        cases = session.execute(select(Case.id)).scalars().all()
        session.execute(insert(Deadline), [{"case_id": case, "kind": kind, "counted_from": opened, "amount": 20, "unit": "days",
                                            "basis": "school", "due": opened + timedelta(days=40), "calendar": "bench",
                                            "calendar_version": "bench", "explanation": "set for the benchmark",
                                            "status": "open", "set_by_action": "bench"}
                                           for case in cases for kind in kinds])

    text = (ROOT / "config" / "playbooks" / "england.toml").read_text(encoding="utf-8").replace('version = "2026.5"',
                                                                                               'version = "2026.6"')
    text = re.sub(r'"diagnosis"', '"review"', text).replace('diagnosis = { title = "Diagnosis" }', 'review = { title = "Review" }')
    text = re.sub(r'"escalated"', '"escalation_review"', text).replace('escalated = { title = "Escalated" }',
                                                                     'escalation_review = { title = "Escalation review" }')
    text += '\n[migrations."2026.5"]\nstages = { diagnosis = "review" }\n'
    (workdir / "config" / "playbooks").mkdir(parents=True)
    (workdir / "config" / "playbooks" / "england.toml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "config" / "calendars", workdir / "config" / "calendars")
    os.environ["SCC_CONFIG_DIR"] = str(workdir / "config")

    started = time.perf_counter()
    new = target_playbook("england", "2026.6")
    with transaction() as session:
        plans = plan_migration(session, new)
    planned = time.perf_counter() - started
    outcome = Counter("refused" if p.refused else "mapped" if p.new_stage != p.stage else "same stage" for p in plans)
    print(f"SCC Casework playbook migration dry run over {len(plans)} open cases "
          f"({os.environ['SCC_DATABASE_URL'].split(':')[0]}): " + ", ".join(f"{n} {k}" for k, n in sorted(outcome.items())))
    print(f"  plan (scc playbook migrate england --to 2026.6 --dry-run)   {planned:5.2f} s   target <= 5 s")


if __name__ == "__main__":
    main()
