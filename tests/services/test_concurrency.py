"""One change per case at a time: the same action taken at the same moment by several real
processes applies once; the others are refused in one line and write nothing."""

from __future__ import annotations

import multiprocessing
import os
from datetime import date

from sqlalchemy import select

from models.db.audit import verify
from models.db.cases import Deadline, WarningNotice
from models.db.session import engine, transaction
from models.services.cases import Actor, open_case
from models.services.directory import SchoolDetails, add_person, add_school
from models.vocab import Role, SchoolType

LEAD = "lead@riverford.example.gov.uk"
NOTICE = {"grounds": "low_standards", "reasons": "r", "required_action": "a", "compliance_days": "15", "minded_to": "m"}


def _advance(url: str, case_id: int, start: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:  # type: ignore[name-defined]
    os.environ["SCC_DATABASE_URL"] = url
    from models.errors import CaseworkError
    from models.services.cases import take_action

    start.wait()
    try:
        with transaction() as session:
            take_action(session, case_id, "issue_warning_notice", NOTICE, on=date(2026, 10, 5), actor_email=LEAD)
        out.put("applied")
    except CaseworkError as refusal:
        out.put(f"refused: {refusal}")


def test_four_notices_at_once_apply_once(db_url: str) -> None:
    with transaction() as session:
        add_person(session, "Lena Lead", LEAD, "lead", "test")
        add_school(session, SchoolDetails("100001", "Brook Primary", SchoolType.COMMUNITY, "Primary", "Riverford"), "test")
        case_id = open_case(session, "100001", "Outcomes", on=date(2026, 9, 14), actor=Actor(LEAD, Role.LEAD), lead=LEAD).id
    engine(db_url).dispose()  # the children open their own connections
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=_advance, args=(db_url, case_id, start, out)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
    results = sorted(out.get(timeout=5) for _ in workers)
    assert results.count("applied") == 1, results
    for refusal in (r for r in results if r != "applied"):
        assert "\n" not in refusal and ("changed while this action was being decided" in refusal or "without an outcome" in refusal)
    with transaction() as session:
        assert len(session.execute(select(WarningNotice.id)).all()) == 1
        assert len(session.execute(select(Deadline.id).where(Deadline.kind == "compliance_period_end")).all()) == 1
        assert verify(session).ok
