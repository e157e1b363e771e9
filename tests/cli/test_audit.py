"""`scc audit verify` catches what a person with database access might do to hide a change:
delete the newest events (with or without fixing the head), empty the log, rewrite an event
and recompute the whole chain, or edit a case, a deadline or a notice directly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from models.db.audit import _digest
from models.db.session import engine
from tests.cli.support import NOTICE, advance, open_case
from tests.conftest import Scc


@pytest.fixture
def history(la: Scc) -> int:
    """A case with a diagnosis, a warning notice (deadlines, a letter) and a clean log."""
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    assert la.json("audit", "verify")["ok"] is True
    return case


@pytest.fixture
def sql(db_url: str) -> Callable[[str], None]:
    def run(statement: str) -> None:
        with engine(db_url).begin() as connection:
            connection.execute(text(statement))
    return run


def _refused(la: Scc, *expected: str) -> str:
    result = la("audit", "verify", ok=False)
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert all(e in line for e in expected), line
    return line


def _recompute_chain(db_url: str) -> None:
    """What someone who read this code could do: rehash every event and fix the head."""
    with engine(db_url).begin() as connection:
        prev = "0" * 64
        for e in connection.execute(text("SELECT * FROM audit_event ORDER BY seq")).mappings().all():
            before, after = e["before"], e["after"]
            if isinstance(before, str):  # SQLite hands JSON back as text
                import json
                before, after = json.loads(before), json.loads(after)
            at, effective = e["at"], e["effective_on"]
            if isinstance(at, str):
                from datetime import date, datetime
                at = datetime.fromisoformat(at)
                effective = date.fromisoformat(effective) if effective else None
            digest = _digest(e["seq"], at, e["actor"], e["action"], e["case_id"], effective, before, after, prev)
            connection.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s"),
                               {"p": prev, "h": digest, "s": e["seq"]})
            prev = digest
        last = connection.execute(text("SELECT max(seq) FROM audit_event")).scalar()
        connection.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": last, "h": prev})


def test_deleting_the_newest_events_and_fixing_the_head_is_caught(la: Scc, history: int, sql, db_url: str) -> None:
    sql("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
    with engine(db_url).begin() as connection:
        seq, digest = connection.execute(text("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")).one()
        connection.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq, "h": digest})
    _refused(la, "head was not written by SCC Casework")


def test_deleting_the_newest_events_with_the_head_is_caught(la: Scc, history: int, sql) -> None:
    sql("DELETE FROM audit_event WHERE seq > 2")
    sql("DELETE FROM audit_head")
    _refused(la, "events were deleted")


def test_emptying_the_log_is_caught(la: Scc, history: int, sql) -> None:
    sql("DELETE FROM audit_event")
    sql("DELETE FROM audit_head")
    _refused(la, "0 events", "events were deleted")


def test_rewriting_an_event_and_recomputing_the_chain_is_caught(la: Scc, history: int, sql, db_url: str) -> None:
    sql("UPDATE audit_event SET actor = 'someone-else@riverford.example.gov.uk' WHERE seq = 2")
    _recompute_chain(db_url)
    _refused(la, "head was not written by SCC Casework")


@pytest.mark.parametrize(("statement", "expected"), [
    ("UPDATE case_record SET stage = 'exited'", "is at stage 'exited' but its audit log leaves it at 'warning_notice'"),
    ("UPDATE deadline SET due = '2027-03-01' WHERE kind = 'compliance_period_end'", "was not set by any recorded event"),
    ("UPDATE warning_notice SET reasons = 'Something else'", "changed outside the product: reasons"),
    ("UPDATE warning_notice SET compliance_days = 40", "compliance_days"),
])
def test_a_record_edited_behind_the_logs_back_is_caught(la: Scc, history: int, sql, statement: str, expected: str) -> None:
    sql(statement)
    _refused(la, expected)


def test_a_sweep_a_plan_and_documents_keep_the_log_verifiable(la: Scc, history: int) -> None:
    la("doc", "render", str(history), "warning_notice", "--as", "lead@riverford.example.gov.uk")
    la("flows", "run", "plan_half_term", "--on", "2026-11-02")
    la("flows", "run", "deadline_sweep", "--on", "2026-11-03")
    assert la.json("audit", "verify")["ok"] is True


def test_a_gias_import_is_audited_school_by_school_with_what_changed(scc: Scc, tmp_path, db_url: str) -> None:
    header = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name)\n"
    gias = tmp_path / "gias.csv"
    gias.write_text(header + "123456,Elm Primary,Community school,Primary,Riverford\n"
                    "123457,Ash Primary,Community school,Primary,Riverford\n")
    scc("school", "import", str(gias))
    gias.write_text(header + "123456,Elm Church Primary,Community school,Primary,Riverford\n"
                    "123457,Ash Primary,Community school,Primary,Riverford\n")
    scc("school", "import", str(gias))
    with engine(db_url).connect() as connection:
        events = connection.execute(text("SELECT action, before, after FROM audit_event ORDER BY seq")).all()
    import json
    loaded = [(a, json.loads(b) if isinstance(b, str) else b, json.loads(c) if isinstance(c, str) else c) for a, b, c in events]
    assert [a for a, _, _ in loaded] == ["school_imported"] * 3
    assert loaded[0][2]["urn"] == "123456" and loaded[1][2]["name"] == "Ash Primary"
    assert loaded[2][1] == {"urn": "123456", "name": "Elm Primary"}
    assert loaded[2][2] == {"file": "gias.csv", "urn": "123456", "name": "Elm Church Primary"}
    assert scc.json("audit", "verify")["ok"] is True
