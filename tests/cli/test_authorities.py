"""A consortium on one installation: adding authorities, placing schools by their LA code,
people holding roles per authority, and the refusals that write nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from models.services.access import terminal_viewer
from tests.cli.support import IP, LEAD, SENIOR, advance
from tests.conftest import Scc

GIAS = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),LA (code)\n"
WELSH_LEAD = "lead@glanmor.example.gov.wales"


def _consortium(la: Scc) -> None:
    """The test LA (given its LA code) and a Welsh authority beside it, with a lead of its own."""
    home = la.json("authority", "list", "--as", SENIOR)[0]["code"]
    la("authority", "change", home, "--la-code", "998", "--as", SENIOR)
    la("authority", "add", "glanmor", "--name", "Glanmor County Council", "--la-code", "699", "--playbook", "wales",
       "--calendar", "glanmor", "--letterhead", "letterheads/glanmor.toml", "--as", SENIOR)
    la("person", "add", "--name", "Rhian Lead", "--email", WELSH_LEAD, "--role", "lead", "--authority", "glanmor", "--as", SENIOR)


def test_a_single_authority_installation_is_one_authority_holding_everything(la: Scc) -> None:
    (only,) = la.json("authority", "list", "--as", SENIOR)
    assert (only["name"], only["playbook"], only["calendar"], only["letterhead"], only["role"]) == (
        "Riverford Council", "england", "riverford", "letterhead.toml", "senior")
    people = {p["email"]: p for p in la.json("person", "list", "--as", LEAD)}
    assert people[IP]["authorities"] == [["Riverford Council", "ip"]]
    assert len(la.json("school", "list", "--as", IP)) == 4


def test_an_authority_is_added_with_its_own_playbook_calendar_and_letterhead(la: Scc) -> None:
    _consortium(la)
    listed = {a["code"]: a for a in la.json("authority", "list", "--as", SENIOR)}
    assert listed["glanmor"]["playbook"] == "wales" and listed["glanmor"]["role"] == "senior"  # the one adding it is its senior officer
    assert [a["code"] for a in la.json("authority", "list", "--as", WELSH_LEAD)] == ["glanmor"]
    assert [a["code"] for a in la.json("authority", "list", "--as", LEAD)] == [listed["riverford-council"]["code"]]


def test_an_authority_that_cannot_be_added_is_refused_and_nothing_is_written(la: Scc, refused: Callable[..., str]) -> None:
    home = la.json("authority", "list", "--as", SENIOR)[0]["code"]
    base = ["authority", "add", "glanmor", "--name", "Glanmor County Council", "--as", SENIOR]
    assert "give the authority's LA code" in refused(*base)
    assert "not an LA code" in refused(*base, "--la-code", "69")
    assert "not a short name" in refused("authority", "add", "Glan Mor!", "--name", "Glanmor", "--la-code", "699", "--as", SENIOR)
    assert f"an authority '{home}' already exists" in refused("authority", "add", home, "--name", "Again", "--la-code", "699",
                                                                "--as", SENIOR)
    assert "no playbook 'scotland'" in refused(*base, "--la-code", "699", "--playbook", "scotland")
    assert "no letterhead 'letterheads/nowhere.toml'" in refused(*base, "--la-code", "699", "--letterhead", "letterheads/nowhere.toml")
    assert "senior" in refused(*base, "--la-code", "699", "--as", LEAD)


def test_gias_places_each_school_in_its_authority_and_refuses_a_school_of_none(la: Scc, tmp_path: Path,
                                                                               refused: Callable[..., str]) -> None:
    _consortium(la)
    both = tmp_path / "gias.csv"
    both.write_text(GIAS + "120001,Riverside Primary,Community school,Primary,Riverford,998\n"
                           "120002,Ysgol Glan yr Afon,Community school,Primary,Glanmor,699\n")
    assert la.json("school", "import", str(both), "--as", SENIOR)["added"] == 2
    assert {s["urn"] for s in la.json("school", "list", "--as", WELSH_LEAD)} == {"120002"}
    assert "120002" not in {s["urn"] for s in la.json("school", "list", "--as", LEAD)}
    stray = tmp_path / "stray.csv"
    stray.write_text(GIAS + "120003,Ysgol Arall,Community school,Primary,Elsewhere,681\n")
    line = refused("school", "import", str(stray), "--as", SENIOR)
    assert "stray.csv:2:" in line and "LA code 681" in line and "add its authority first" in line
    assert "cannot add or import schools there" in refused("school", "import", str(both), "--as", WELSH_LEAD)


def test_each_authoritys_lead_sees_and_acts_on_its_own_cases_only(la: Scc, refused: Callable[..., str]) -> None:
    _consortium(la)
    la("school", "add", "--urn", "120002", "--name", "Ysgol Glan yr Afon", "--type", "community", "--phase", "Primary",
       "--la", "Glanmor", "--la-code", "699", "--as", SENIOR)
    english = la.json("case", "open", "100001", "--reason", "Outcomes below floor", "--on", "2026-09-14", "--lead", LEAD,
                      "--as", LEAD)["id"]
    assert "holds no role in Glanmor County Council" in refused("case", "open", "120002", "--reason", "x", "--on", "2026-09-14",
                                                                "--lead", LEAD, "--as", SENIOR)
    welsh = la.json("case", "open", "120002", "--reason", "Standards falling", "--on", "2026-09-14", "--lead", WELSH_LEAD,
                    "--as", WELSH_LEAD)
    assert welsh["playbook"] == "wales" and welsh["calendar"] == "glanmor"  # the authority's own
    assert [c["id"] for c in la.json("case", "list", "--as", WELSH_LEAD)] == [welsh["id"]]
    assert [c["id"] for c in la.json("case", "list", "--as", LEAD)] == [english]
    assert f"no case {english}" in refused("case", "advance", str(english), "start_diagnosis", "--on", "2026-09-15",
                                           "--as", WELSH_LEAD)
    assert "no school with URN 100001" in refused("case", "open", "100001", "--reason", "x", "--on", "2026-09-14",
                                                   "--as", WELSH_LEAD)


def test_an_ip_holds_a_role_in_each_authority_they_work_for(la: Scc, refused: Callable[..., str]) -> None:
    _consortium(la)
    la("school", "add", "--urn", "120002", "--name", "Ysgol Glan yr Afon", "--type", "community", "--phase", "Primary",
       "--la", "Glanmor", "--la-code", "699", "--as", SENIOR)
    assert "holds no role in Glanmor County Council" in refused("school", "assign", "120002", "--ip", IP, "--as", SENIOR)
    la("person", "grant", IP, "--authority", "glanmor", "--role", "ip", "--as", SENIOR)
    la("school", "assign", "120002", "--ip", IP, "--as", WELSH_LEAD)
    welsh = la.json("case", "open", "120002", "--reason", "Standards falling", "--on", "2026-09-14", "--lead", WELSH_LEAD,
                    "--as", WELSH_LEAD)
    english = la.json("case", "open", "100001", "--reason", "Outcomes below floor", "--on", "2026-09-14", "--lead", LEAD,
                      "--as", LEAD)["id"]
    advance(la, english, "start_diagnosis", "2026-09-15")
    assert {c["id"] for c in la.json("case", "list", "--as", IP)} == {welsh["id"], english}
    (ip,) = [p for p in la.json("person", "list", "--as", SENIOR) if p["email"] == IP]
    assert sorted(ip["authorities"]) == [["Glanmor County Council", "ip"], ["Riverford Council", "ip"]]
    assert "a lead cannot add people or change their roles" in refused("person", "grant", LEAD, "--authority", "glanmor",
                                                                       "--role", "lead", "--as", WELSH_LEAD)
    viewer = terminal_viewer(IP)
    assert viewer.everywhere and len(viewer.authorities) == 2
