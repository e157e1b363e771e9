"""Bad input at the door: each refused in one line naming the field, nothing written, no traceback."""

from __future__ import annotations

import pytest

from tests.cli.support import LEAD, NOTICE, SENIOR, open_case
from tests.conftest import Scc, dump

EMAIL = "new@riverford.example.gov.uk"


@pytest.mark.parametrize(("args", "says"), [
    (["person", "add", "--name", "Eve\r\nBcc: all@example.org", "--email", EMAIL, "--role", "ip", "--as", SENIOR],
     "the name contains a control character"),
    (["person", "add", "--name", "x" * 100_000, "--email", EMAIL, "--role", "ip", "--as", SENIOR],
     "the name is 100,000 characters long: at most 200"),
    (["person", "add", "--name", "Eve", "--email", 'a"b,c<d>@example.org', "--role", "ip", "--as", SENIOR], "is not an email address"),
    (["person", "add", "--name", "Eve", "--email", "eve@example.org\nBcc: x@y.org", "--role", "ip", "--as", SENIOR], "is not an email address"),
    (["school", "add", "--urn", "\u0661\u0662\u0663\u0664\u0665\u0666", "--name", "S", "--type", "community", "--phase", "Primary",
      "--la", "Riverford"], "is not a 5–8 digit number"),
    (["school", "add", "--urn", "123456", "--name", "Bell\x1b[31m", "--type", "community", "--phase", "Primary",
      "--la", "Riverford"], "the school name contains a control character"),
    (["calendar", "add-days", "2026-10-05", "99999999999"], "N must be a whole number"),
    (["calendar", "add-days", "2026-10-05", "5000"], "N must be at most 1,000"),
    (["calendar", "add-days", "0001-01-01", "5"], "DATE must fall between 1990 and 2100"),
    (["calendar", "add-days", "2026-W38-1", "5"], "DATE must be a date like 2026-11-30"),
    (["case", "show", "99999999999999999999"], "no case 99999999999999999999"),
])
def test_bad_input_is_refused_in_one_line(la: Scc, refused, db_url: str, args: list[str], says: str) -> None:
    before = dump(db_url)
    message = refused(*args)
    assert says in message and "\n" not in message.strip() and "Traceback" not in message
    assert dump(db_url) == before


@pytest.mark.parametrize(("field", "says"), [
    ("compliance_days=1_5", "field compliance_days must be a whole number"),
    ("compliance_days=100000", "field compliance_days must be at most 1,000"),
    ("reasons=Falling\x00standards", "field reasons contains a control character"),
])
def test_bad_action_fields_are_refused_in_one_line(la: Scc, refused, db_url: str, field: str, says: str) -> None:
    case = open_case(la)
    before = dump(db_url)
    name = field.split("=")[0]
    sets = [s for s in NOTICE if not s.startswith(name + "=")] + [field]
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-05", "--as", LEAD,
                      *sum((["--set", s] for s in sets), []))
    assert says in message and "\n" not in message.strip()
    assert dump(db_url) == before


def test_a_date_outside_the_window_is_refused(la: Scc, refused) -> None:
    case = open_case(la)
    assert "must fall between 1990 and 2100" in refused("case", "advance", str(case), "start_diagnosis", "--on", "0001-01-01",
                                                        "--as", LEAD)


def test_calendar_and_playbook_paths_must_be_toml_files_and_are_kept_absolute(la: Scc, refused, tmp_path, monkeypatch) -> None:
    from models.settings.environment import SHIPPED_CONFIG

    base = ["case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--as", LEAD]
    assert "'/bin/ls' is not a .toml file" in refused(*base, "--calendar", "/bin/ls")
    assert "'/tmp' is not a .toml file" in refused(*base, "--playbook", "/tmp")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00name")
    assert "not a text file" in refused(*base, "--calendar", str(binary))
    copy = tmp_path / "term-dates.toml"
    copy.write_text((SHIPPED_CONFIG / "calendars" / "riverford.toml").read_text())
    monkeypatch.chdir(tmp_path)
    case = la.json(*base, "--calendar", "term-dates.toml")
    assert la.json("case", "show", str(case["id"]))["calendar"] == str(copy)  # found again from any folder


def test_a_playbook_minimum_that_is_not_a_number_is_refused_at_load() -> None:
    from models.errors import PlaybookError
    from models.rules.playbook_file import parse_playbook
    from models.settings.environment import SHIPPED_CONFIG

    text = (SHIPPED_CONFIG / "playbooks" / "england.toml").read_text().replace("min = 1,", 'min = "one",', 1)
    with pytest.raises(PlaybookError, match='min must be a whole number like min = 1, not .one.'):
        parse_playbook(text, "custom.toml")


def test_a_broken_gias_file_is_refused_in_one_line(scc: Scc, refused, tmp_path) -> None:
    header = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name)\n"
    short = tmp_path / "short.csv"
    short.write_text(header + "123456,Elm Primary\n")
    assert "short.csv:2: " in refused("school", "import", str(short))
    huge = tmp_path / "huge.csv"
    huge.write_text(header + "123456," + "x" * 140_000 + ",Community school,Primary,Riverford\n")
    message = refused("school", "import", str(huge))
    assert "huge.csv" in message and "\n" not in message.strip()
    assert scc.json("school", "list") == []


@pytest.mark.parametrize("database", ["garbage://", "not-a-database"])
def test_a_database_that_is_not_one_is_refused_in_one_line(tmp_path, monkeypatch, database: str) -> None:
    if database == "not-a-database":
        (tmp_path / "scc.db").write_text("hello")
        database = f"sqlite:///{tmp_path / 'scc.db'}"
    monkeypatch.setenv("SCC_DATABASE_URL", database)
    for command in (["init"], ["case", "list"]):
        result = Scc()(*command, ok=False)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert ("is not a database URL" in result.stderr) or ("file is not a database" in result.stderr), result.stderr


def test_a_settings_section_that_is_not_a_table_is_refused_with_its_line(config, la: Scc, refused) -> None:
    settings = config / "settings.toml"
    settings.write_text(settings.read_text().replace('[authority]\nname = "Riverford Council"', 'authority = 5\n[authority_x]\nname = "x"'))
    message = refused("authority", "add", "second", "--name", "Second Council", "--la-code", "699", "--as", SENIOR)
    assert "settings.toml:4" in message and "'authority' must be a table" in message
