"""The case lifecycle as a lead drives it from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import IP, NOTICE, advance, open_case
from tests.conftest import Scc


def test_warning_notice_sets_compliance_and_powers_window_from_the_date_given(la: Scc) -> None:
    case = open_case(la)
    shown = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    assert shown["stage"] == "warning_notice"
    due = {d["kind"]: d for d in shown["deadlines"]}
    # 15 working days after Thu 10 Dec 2026 skip weekends, Christmas Day, the Boxing Day
    # substitute (Mon 28 Dec) and New Year's Day: Tue 5 Jan 2027.
    assert due["compliance_period_end"]["due"] == "2027-01-05"
    assert due["compliance_period_end"]["basis"] == "working"
    explanation = due["compliance_period_end"]["explanation"]
    assert "Christmas Day" in explanation and "28 Dec" in explanation
    # Two calendar months after the compliance period ends.
    assert due["powers_window_end"]["due"] == "2027-03-05"
    assert la.json("calendar", "add-days", "2026-12-10", "15", "--calendar", "riverford")["date"] == "2027-01-05"


def test_academy_cannot_be_given_a_warning_notice(la: Scc, refused) -> None:
    case = open_case(la, "100003")
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-01",
                      *sum((["--set", s] for s in NOTICE), []))
    assert "academy" in message and "refer_to_regional_director" in message
    shown = advance(la, case, "refer_to_regional_director", "2026-10-01", "reasons=LA has no powers")
    assert shown["stage"] == "referred_to_regional_director"


def test_unknown_action_names_the_allowed_ones(la: Scc, refused) -> None:
    case = open_case(la)
    message = refused("case", "advance", str(case), "fly_to_the_moon")
    assert "'fly_to_the_moon' is not allowed" in message
    assert "start_diagnosis" in message and "issue_warning_notice" in message


def test_missing_field_is_named(la: Scc, refused) -> None:
    case = open_case(la)
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-01",
                      "--set", "grounds=low_standards", "--set", "reasons=r")
    assert "required_action" in message and "compliance_days" in message and "minded_to" in message


def test_unknown_urn_is_refused(la: Scc, refused) -> None:
    assert "no school with URN 999999" in refused("case", "open", "999999", "--reason", "x")


def test_a_second_open_case_for_a_school_is_refused(la: Scc, refused) -> None:
    case = open_case(la)
    assert f"already has an open case {case}" in refused("case", "open", "100001", "--reason", "again")


def test_exit_needs_its_conditions(la: Scc, refused) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=standards")
    advance(la, case, "add_priority", "2026-09-25", "title=Reading", "success_criteria=70% expected",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    advance(la, case, "begin_exit", "2026-10-01", "reasons=better")
    message = refused("case", "advance", str(case), "close_case", "--on", "2026-10-02", "--set", "exit_conditions=met")
    assert "summative meeting" in message
    advance(la, case, "record_summative_meeting", "2026-10-05", "attendees=head, chair", "notes=tapered")
    message = refused("case", "advance", str(case), "close_case", "--on", "2026-10-06", "--set", "exit_conditions=met")
    assert "no progress review" in message
    advance(la, case, "record_progress_review", "2026-10-06", "rag.1=amber", "next_steps=more", actor=IP)
    assert "priorities 1" in refused("case", "advance", str(case), "close_case", "--on", "2026-10-07",
                                     "--set", "exit_conditions=met")
    advance(la, case, "record_progress_review", "2026-10-08", "rag.1=green", "reason.1=95% at standard", "next_steps=exit",
            actor=IP)
    closed = advance(la, case, "close_case", "2026-10-09", "exit_conditions=reading at 95%")
    assert closed["stage"] == "closed" and closed["closed_on"] == "2026-10-09"
    # closed: only the reviews of the year after exit remain
    assert {a["action"] for a in la.json("case", "actions", str(case))["actions"]} == {"record_six_month_review", "end_exit_watch"}


def test_red_and_green_judgements_need_reasons(la: Scc, refused) -> None:
    case = open_case(la)
    advance(la, case, "add_priority", "2026-09-15", "title=Reading", "success_criteria=70%",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    message = refused("case", "advance", str(case), "record_progress_review", "--on", "2026-09-20", "--as", IP,
                      "--set", "rag.1=red", "--set", "next_steps=x")
    assert "reason.1" in message


def test_role_is_checked(la: Scc, refused) -> None:
    case = open_case(la)
    message = refused("case", "advance", str(case), "issue_warning_notice", "--as", IP, "--on", "2026-10-01",
                      *sum((["--set", s] for s in NOTICE), []))
    assert "lead, senior" in message and "ip" in message


def test_statement_of_action_due_ten_working_days_after_the_reports_publication(la: Scc) -> None:
    case = open_case(la)
    shown = advance(la, case, "record_inspection_category", "2026-10-20", "category=special_measures",
                    "report_published_on=2026-10-16")
    deadline = next(d for d in shown["deadlines"] if d["kind"] == "statement_of_action_due")
    # 10 working days after Fri 16 Oct 2026, the report's publication, on the inspection basis: the
    # one-week half-term is not a school holiday longer than a week, so it counts. Fri 30 Oct.
    assert (deadline["due"], deadline["basis"]) == ("2026-10-30", "inspection")
    advance(la, case, "add_priority", "2026-10-21", "title=Safeguarding", "success_criteria=SCR compliant",
            "lead=Head teacher", "target_on=2027-03-26", "resources=IP time")
    shown = advance(la, case, "submit_statement_of_action", "2026-10-30", "target_removal_on=2028-03-31", "summary=plan",
                    "parents_arrangements=Letter home and a parents' meeting")
    status = {d["kind"]: d["status"] for d in shown["deadlines"]}
    assert status["statement_of_action_due"] == "met"


def test_case_show_lists_events_and_explained_deadlines(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    shown = la.json("case", "show", str(case))
    assert [e["action"] for e in shown["events"]] == ["case_opened", "start_diagnosis"]
    (deadline,) = shown["deadlines"]
    assert deadline["kind"] == "diagnosis_due" and deadline["basis"] == "school"
    assert "school days" in deadline["explanation"]
    text = la("case", "show", str(case)).stdout
    assert "diagnosis_due" in text and "Oak Primary" in text
    listed = la.json("deadlines", "--until", "2026-12-31")
    assert [d["kind"] for d in listed] == ["diagnosis_due"]
    assert la.json("case", "list", "--stage", "diagnosis")[0]["id"] == case


def test_school_day_deadline_past_the_last_term_is_refused(la: Scc, refused, monkeypatch) -> None:
    monkeypatch.setenv("SCC_TODAY", "2028-07-31")
    case = open_case(la, on="2028-07-01")
    message = refused("case", "advance", str(case), "start_diagnosis", "--on", "2028-07-10")
    assert "last term on record" in message


def test_audit_verify_detects_edits_and_deletions(la: Scc, db_url: str) -> None:
    from sqlalchemy import text

    from models.db.session import engine

    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    assert la.json("audit", "verify")["ok"] is True
    with engine(db_url).begin() as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2"))
    result = la("audit", "verify", ok=False)
    assert result.exit_code == 1 and "event 2" in result.stderr and "edited" in result.stderr
    with engine(db_url).begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    result = la("audit", "verify", ok=False)
    assert "missing" in result.stderr or "deleted" in result.stderr
    with engine(db_url).begin() as connection:
        last = connection.execute(text("SELECT max(seq) FROM audit_event")).scalar()
        connection.execute(text(f"DELETE FROM audit_event WHERE seq = {last}"))
        connection.execute(text("DELETE FROM audit_event WHERE seq < 2"))
    assert la("audit", "verify", ok=False).exit_code == 1


def test_uninitialised_database_says_run_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    scc = Scc()
    result = scc("school", "list", ok=False)
    assert result.exit_code == 1 and "scc init" in result.stderr
    assert scc.json("init")["schema"]
    assert scc.json("init")["schema"]  # idempotent
    assert scc.json("school", "list") == []


def test_a_database_behind_the_newest_migration_is_sent_to_init(db_url: str) -> None:
    """Commands check the schema against the newest migration file without loading Alembic;
    that file's revision is Alembic's head, and an older schema is refused."""
    from sqlalchemy import text

    from models.db.session import _schema_checked, engine, head_revision, newest_revision

    assert newest_revision() == head_revision()
    with engine(db_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    _schema_checked.cache_clear()
    try:
        result = Scc()("school", "list", ok=False)
        assert result.exit_code == 1
        assert f"is at schema 0007, this version needs {head_revision()}: run `scc init`" in result.stderr
    finally:
        with engine(db_url).begin() as connection:
            connection.execute(text(f"UPDATE alembic_version SET version_num = '{head_revision()}'"))
        _schema_checked.cache_clear()


def test_gias_import_adds_and_refreshes_and_refuses_bad_files(scc: Scc, refused, tmp_path: Path) -> None:
    header = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),Diocese (name),ReligiousCharacter (name)\n"
    good = tmp_path / "gias.csv"
    good.write_text(header + "123456,Elm Primary,Community school,Primary,Riverford,Not applicable,Does not apply\n"
                    "123457,Ash CE Primary,Voluntary aided school,Primary,Riverford,Diocese of Riverford,Church of England\n"
                    "123458,Birch Academy,Academy converter,Secondary,Riverford,Not applicable,Does not apply\n")
    assert scc.json("school", "import", str(good)) == {"added": 3, "updated": 0}
    schools = {s["urn"]: s for s in scc.json("school", "list")}
    assert schools["123457"]["type"] == "voluntary_aided" and schools["123457"]["diocese"] == "Diocese of Riverford"
    assert schools["123456"]["diocese"] is None and schools["123458"]["type"] == "academy"
    assert scc.json("school", "import", str(good)) == {"added": 0, "updated": 3}
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "123459,Yew Primary,Community school,Primary,Riverford,,\n"
                   "123460,Odd School,Space station,Primary,Riverford,,\n")
    message = refused("school", "import", str(bad))
    assert "bad.csv:3" in message and "Space station" in message
    missing = tmp_path / "missing.csv"
    missing.write_text("URN,Name\n1,x\n")
    assert "EstablishmentName" in refused("school", "import", str(missing))


def test_gias_exports_are_read_in_their_encoding_with_heads_and_addresses(scc: Scc, refused, tmp_path: Path) -> None:
    from models.settings.environment import SHIPPED_CONFIG

    sample = SHIPPED_CONFIG / "samples" / "gias-riverford.csv"  # Windows-1252, as GIAS exports it
    assert scc.json("school", "import", str(sample)) == {"added": 3, "updated": 0}
    schools = {s["urn"]: s for s in scc.json("school", "list")}
    assert schools["123457"]["name"] == "St John\u2019s CE Primary School"
    assert schools["123457"]["head_name"] == "Mr Tom\u00e1s \u00d3 Briain"
    assert schools["123457"]["address"] == "Church Lane, Westbury, Riverford, RF3 1SJ"
    text = sample.read_bytes().decode("cp1252")
    for encoding, prefix in (("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")):  # UTF-8, with and without the BOM
        copy = tmp_path / f"gias-{len(prefix)}.csv"
        copy.write_bytes(prefix + text.replace("123456", "223456").replace("123457", "223457").replace("123458", "223458")
                         .encode(encoding))
        scc.json("school", "import", str(copy))
        assert {s["urn"]: s for s in scc.json("school", "list")}["223457"]["name"] == "St John\u2019s CE Primary School"
    garbage = tmp_path / "not-text.csv"
    garbage.write_bytes(text.encode("utf-16"))
    before = scc.json("school", "list")
    assert "neither UTF-8 nor Windows-1252" in refused("school", "import", str(garbage))
    assert scc.json("school", "list") == before


def test_bad_date_and_bad_set_are_refused(la: Scc, refused) -> None:
    case = open_case(la)
    assert "2026-11-30" in refused("case", "advance", str(case), "start_diagnosis", "--on", "yesterday")
    assert "FIELD=VALUE" in refused("case", "advance", str(case), "start_diagnosis", "--set", "novalue")
    assert "no case 42" in refused("case", "show", "42")


def test_malformed_playbook_is_refused_with_file_and_line(la: Scc, refused, tmp_path: Path) -> None:
    from models.settings.environment import SHIPPED_CONFIG

    text = (SHIPPED_CONFIG / "playbooks" / "england.toml").read_text()
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('to = "warning_notice"', 'to = "warning_notise"'))
    line = next(n for n, text in enumerate(broken.read_text().splitlines(), 1) if "warning_notise" in text)
    message = refused("case", "open", "100001", "--reason", "x", "--playbook", str(broken))
    assert f"broken.toml:{line}" in message and "warning_notise" in message


def test_malformed_calendar_is_refused_with_file_and_line(la: Scc, refused, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "Bad"\njurisdiction = "england"\n[[terms]]\nname = "Autumn"\nstart = 2026-09-02\nend = 2026-08-01\n')
    message = refused("calendar", "add-days", "2026-09-10", "3", "--calendar", str(bad), "--basis", "school")
    assert "bad.toml:" in message
    assert "bad.toml:" in refused("case", "open", "100001", "--reason", "x", "--calendar", str(bad))


def test_case_is_pinned_to_its_playbook_version(la: Scc, refused, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.settings.environment import SHIPPED_CONFIG

    config = tmp_path / "config"
    shutil_copy = __import__("shutil").copytree
    shutil_copy(SHIPPED_CONFIG, config)
    monkeypatch.setenv("SCC_CONFIG_DIR", str(config))
    case = open_case(la)
    playbook = config / "playbooks" / "england.toml"
    playbook.write_text(playbook.read_text().replace("days = 20\nbasis = \"school\"", "days = 5\nbasis = \"school\"", 1))
    # The open case keeps the rules it started with: diagnosis is still due 20 school days on.
    shown = advance(la, case, "start_diagnosis", "2026-09-15")
    assert shown["deadlines"][0]["amount"] == 20
    # A new case with the edited file but the same version is refused: the version must change.
    assert "new version" in refused("case", "open", "100004", "--reason", "x")
    playbook.write_text(playbook.read_text().replace('version = "2026.5"', 'version = "2026.6"'))
    newer = la.json("case", "open", "100004", "--reason", "x", "--on", "2026-09-14")
    assert newer["playbook_version"] == "2026.6"
    assert advance(la, newer["id"], "start_diagnosis", "2026-09-15")["deadlines"][0]["amount"] == 5


def test_demo_walks_cases_and_is_idempotent(scc: Scc) -> None:
    first = scc.json("demo")
    assert first["loaded"] is True and len(first["cases"]) == 4
    text = "\n".join(first["lines"])
    assert "issue_warning_notice: REFUSED" in text and "academy" in text
    assert "close_case → closed" in text
    second = scc.json("demo")
    assert second["loaded"] is False and second["cases"] == first["cases"]
    assert scc.json("audit", "verify")["ok"] is True


def test_a_database_with_cases_upgrades_to_the_newest_schema(la: Scc, db_url: str) -> None:
    """An LA's database, full of cases and their deadlines, events and documents, takes the
    newest migrations (and gives them back) without losing a case."""
    from alembic import command

    from models.db.session import _alembic_config, _schema_checked, engine, upgrade

    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    engine(db_url).dispose()
    command.downgrade(_alembic_config(db_url), "0008")
    upgrade(db_url)
    _schema_checked.cache_clear()
    shown = la.json("case", "show", str(case))
    assert (shown["stage"], shown["watch_until"], shown["reopened_from"]) == ("diagnosis", None, None)
    assert [d["kind"] for d in shown["deadlines"]] == ["diagnosis_due"]


def test_gias_import_reads_the_trust_and_keeps_what_was_recorded_by_hand(scc: Scc, tmp_path: Path) -> None:
    header = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),Trusts (name)\n"
    first = tmp_path / "gias.csv"
    first.write_text(header + "123458,Birch Academy,Academy converter,Secondary,Riverford,Birch Learning Trust\n")
    scc.json("school", "import", str(first))
    scc("school", "record", "123458", "--trust-address", "1 Birch Lane, Riverford RF7 7BB")
    plain = tmp_path / "plain.csv"  # an export without the trusts column
    plain.write_text("URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name)\n"
                     "123458,Birch Academy,Academy converter,Secondary,Riverford\n")
    scc.json("school", "import", str(plain))
    (school,) = scc.json("school", "list")
    assert (school["trust"], school["trust_address"]) == ("Birch Learning Trust", "1 Birch Lane, Riverford RF7 7BB")
    moved = tmp_path / "moved.csv"
    moved.write_text(header + "123458,Birch Academy,Academy converter,Secondary,Riverford,Oakwood Multi-Academy Trust\n")
    scc.json("school", "import", str(moved))
    (school,) = scc.json("school", "list")
    assert school["trust"] == "Oakwood Multi-Academy Trust" and school["trust_address"] == "1 Birch Lane, Riverford RF7 7BB"


def test_recording_a_school_s_details_needs_something_to_record(scc: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    scc("school", "add", "--urn", "123459", "--name", "Yew Primary", "--type", "community", "--phase", "Primary", "--la", "Riverford")
    assert "give at least one of --trust" in refused("school", "record", "123459")
    assert "no school with URN 999999" in refused("school", "record", "999999", "--trust", "A Trust")
