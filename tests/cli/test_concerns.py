"""The register of concerns fed by data: a CSV of figures flags exactly the schools the
rules find, a school flagged again moves up a stage of concern, bad files change nothing,
and the flagged schools without a case are suggested to a lead."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.support import LEAD
from tests.conftest import Scc

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "indicators-2027-summer.csv"


def test_the_rules_flag_the_right_schools_from_a_csv(la: Scc) -> None:
    report = la.json("concerns", "import", str(FIXTURE), "--on", "2027-07-01", "--as", LEAD)
    assert report["figures"] == 15
    assert sorted(report["flagged"]) == ["100001", "100002", "100003", "100004"]
    assert report["flagged"]["100001"] == ["Attendance below average for 3 or more quarters "
                                           "(2026-Q4: -1.2, 2027-Q1: -0.8, 2027-Q2: -2.1)"]
    assert report["flagged"]["100002"][0].startswith("Budget overspent or underspent by more than 8 %")  # -9.5 %, primary
    assert report["flagged"]["100003"][0].startswith("Budget overspent or underspent by more than 5 %")  # 6 %, secondary
    assert report["flagged"]["100004"][0].startswith("Results below the floor target for 3 years")
    assert set(report["stages"].values()) == {"stage_1"}

    again = la.json("concerns", "import", str(FIXTURE), "--on", "2027-07-02", "--as", LEAD)
    assert again["flagged"] == {}  # the same figures flag nothing twice

    suggested = la.json("concerns", "list")
    assert [s["school"] for s in suggested] == [  # one stage of concern: by name
        "Brook Foundation School", "Hill Academy", "Oak Primary", "St Mary & St John's <Federation>"]
    assert {s["stage"] for s in suggested} == {"stage_1"}


def test_a_school_surfacing_again_moves_up_a_stage_of_concern(la: Scc, tmp_path: Path) -> None:
    la("concerns", "import", str(FIXTURE), "--on", "2027-07-01", "--as", LEAD)
    later = tmp_path / "floor-2027.csv"
    later.write_text("urn,indicator,value,period\n100003,below_floor_target,1,2027\n", encoding="utf-8")
    report = la.json("concerns", "import", str(later), "--on", "2027-09-15", "--as", LEAD)
    assert report["flagged"] == {"100003": ["Results below the floor target for 3 years "
                                            "(2025: 1, 2026: 1, 2027: 1)"]}
    assert report["stages"] == {"100003": "stage_2"}
    hill = next(s for s in la.json("concerns", "list") if s["urn"] == "100003")
    assert hill["stage"] == "stage_2" and len(hill["concerns"]) == 2
    assert hill["concerns"][0]["raised_on"] == "2027-09-15"  # newest first

    la("case", "open", "100003", "--reason", "Flagged by data at stage 2", "--on", "2027-09-16", "--lead", LEAD)
    assert "100003" not in [s["urn"] for s in la.json("concerns", "list")]  # a case is open: no longer suggested
    la("audit", "verify")


def test_a_bad_file_is_refused_in_one_line_and_changes_nothing(la: Scc, refused: Callable[..., str], tmp_path: Path) -> None:
    bad = tmp_path / "figures.csv"
    bad.write_text("urn,indicator,value,period\n100001,attendance_vs_average,-1,2027-Q1\n999999,attendance_vs_average,-1,2027-Q1\n")
    assert refused("concerns", "import", str(bad), "--as", LEAD) == (
        "error: figures.csv:3: no school with URN 999999: import it from GIAS first (scc school import)")
    bad.write_text("urn,indicator,value,period\n100001,attendance_vs_average,low,2027-Q1\n")
    assert refused("concerns", "import", str(bad), "--as", LEAD) == (
        "error: figures.csv:2: value 'low' is not a number: give a figure such as 93.5 or -2")
    bad.write_text("urn,indicator,period\n100001,attendance_vs_average,2027-Q1\n")
    assert "missing column(s) value" in refused("concerns", "import", str(bad), "--as", LEAD)
    bad.write_text("urn,indicator,value,period\n100001,x,1,2027\n100001,x,2,2027\n")
    assert "is also on line 2" in refused("concerns", "import", str(bad), "--as", LEAD)
