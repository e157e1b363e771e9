"""`scc person set-role`: a person's role changes, audited, unless they hold a place the new
role cannot (the lead or IP of an open case, a school's head, chair, clerk or IP)."""

from __future__ import annotations

import json

from tests.cli.support import IP, LEAD, SENIOR, open_case
from tests.conftest import Scc


def refused_by(scc: Scc, *args: str) -> str:
    result = scc(*args, ok=False)
    assert result.exit_code == 1
    return result.stderr


def test_a_role_changes_and_is_audited(la: Scc, db_url: str) -> None:
    assert "a lead cannot add people or change their roles: ask a senior" in refused_by(la, "person", "set-role", SENIOR, "lead",
                                                                                        "--as", LEAD)
    la("person", "set-role", LEAD, "senior", "--as", SENIOR)  # the last senior officer may not step down: a second first
    assert la.json("person", "set-role", SENIOR, "lead", "--as", SENIOR)["role"] == "lead"
    assert {p["email"]: p["role"] for p in la.json("person", "list", "--as", SENIOR)}[SENIOR] == "lead"
    from sqlalchemy import text

    from models.db.session import engine

    with engine(db_url).connect() as connection:
        before, after = connection.execute(text("SELECT before, after FROM audit_event WHERE action = 'person_role_changed' "
                                                "ORDER BY seq DESC LIMIT 1")).one()
    loaded = [json.loads(v) if isinstance(v, str) else v for v in (before, after)]  # SQLite hands JSON back as text
    assert loaded == [{"email": SENIOR, "role": "senior"}, {"email": SENIOR, "role": "lead"}]


def test_a_role_the_places_held_cannot_take_is_refused(la: Scc, refused) -> None:
    case = open_case(la)
    message = refused("person", "set-role", LEAD, "head", "--as", SENIOR)
    assert f"is the lead of case {case}, which a head cannot be: name someone else there first" in message
    message = refused("person", "set-role", IP, "lead", "--as", SENIOR)
    assert f"the ip of case {case}" in message and "the ip of school 100001" in message
    assert "unknown role 'wizard'" in refused("person", "set-role", IP, "wizard", "--as", SENIOR)


def test_the_first_person_is_added_with_scc_user_already_naming_them(scc: Scc, db_url: str, monkeypatch) -> None:
    monkeypatch.setenv("SCC_USER", SENIOR)
    scc("person", "add", "--name", "Sue Senior", "--email", SENIOR, "--role", "senior")
    # once someone is on record, SCC_USER names who acts again
    scc("person", "add", "--name", "Ian Partner", "--email", IP, "--role", "ip")
    from sqlalchemy import text

    from models.db.session import engine

    with engine(db_url).connect() as connection:
        actors = connection.execute(text("SELECT actor FROM audit_event WHERE action = 'person_added' ORDER BY seq")).scalars().all()
    assert actors == ["setup", SENIOR]
    # and only a senior officer adds people
    monkeypatch.setenv("SCC_USER", IP)
    assert "an IP cannot add people" in refused_by(scc, "person", "add", "--name", "Eve", "--email", "eve@example.org", "--role", "ip")
