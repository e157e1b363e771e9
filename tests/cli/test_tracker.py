"""Moving in from the spreadsheet: a tracker of live cases read in a dry run (each row's case,
stage and deadlines with how they were counted, each refused row with its line), then applied,
each case audited as imported with the file's sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl

from models.settings.environment import SHIPPED_CONFIG
from tests.cli.support import LEAD
from tests.conftest import Scc, dump

HEADER = "urn,reason,opened_on,stage,stage_since,lead,la_category,inspection_category,report_published_on,notice_given_on," \
         "notice_compliance_days,notice_grounds\n"


def test_the_shipped_sample_moves_in_after_a_dry_run(la: Scc, db_url: str) -> None:
    la("school", "import", str(SHIPPED_CONFIG / "samples" / "gias-riverford.csv"), "--as", LEAD)
    sample = SHIPPED_CONFIG / "samples" / "tracker-riverford.csv"
    before = dump(db_url)
    plans = la.json("case", "import", str(sample), "--as", LEAD)
    assert dump(db_url) == before  # a dry run writes nothing
    elm, ash = plans
    assert (elm["stage"], [d["kind"] for d in elm["deadlines"]]) == ("warning_notice", ["compliance_period_end", "powers_window_end"])
    assert elm["deadlines"][0]["due"] == "2026-10-26" and "15 working days after Mon 5 Oct 2026" in elm["deadlines"][0]["explanation"]
    assert (ash["stage"], [d["kind"] for d in ash["deadlines"]]) == ("concern_raised", ["statement_of_action_due"])
    opened = la.json("case", "import", str(sample), "--apply", "--as", LEAD)
    case = la.json("case", "show", str(opened[0]["case_id"]))
    assert case["stage"] == "warning_notice" and case["stage_since"] == "2026-10-05" and case["lead"] is None
    assert {d["kind"]: d["due"] for d in case["deadlines"]} == {"compliance_period_end": "2026-10-26", "powers_window_end": "2026-12-26"}
    (imported,) = [e for e in case["events"] if e["action"] == "case_imported"]
    assert imported["after"]["sha256"] == hashlib.sha256(sample.read_bytes()).hexdigest() and imported["after"]["line"] == 2
    # the notice is live: the playbook's next step is open, as for a notice given here
    la("case", "advance", str(opened[0]["case_id"]), "record_compliance", "--on", "2026-10-27", "--set", "evidence=Plan in place",
       "--as", LEAD)


def test_twenty_rows_from_excel_and_every_refused_row_named_with_its_line(la: Scc, refused, tmp_path: Path, db_url: str) -> None:  # type: ignore[no-untyped-def]
    gias = tmp_path / "gias.csv"
    gias.write_text("URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name)\n"
                    + "".join(f"2000{n:02d},School {n},Community school,Primary,Riverford\n" for n in range(20)))
    la("school", "import", str(gias), "--as", LEAD)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for n in range(20):
        sheet.append([f"2000{n:02d}", f"Concern {n}", "2026-09-14", "Diagnosis", "2026-09-21", LEAD, "LA3", None, None, None, None, None])
    book.save(tmp_path / "tracker.xlsx")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"200000,Concern,2026-09-14,Diagnosis,,{LEAD},,,,,,\n"
                   "999999,Unknown school,2026-09-14,Diagnosis,,,,,,,,\n"
                   "200001,Concern,2026-09-14,Nowhere,,,,,,,,\n"
                   "200002,Concern,2026-09-14,Warning notice given,,,,,,2026-10-05,ten,low_standards\n")
    plans = la.json("case", "import", str(bad), "--as", LEAD)
    assert [(p["line"], bool(p["refused"])) for p in plans] == [(2, False), (3, True), (4, True), (5, True)]
    assert "no school with URN 999999" in plans[1]["refused"] and "'Nowhere' is not a stage" in plans[2]["refused"]
    assert "notice_compliance_days" in plans[3]["refused"]
    assert "bad.csv:3: no school with URN 999999" in refused("case", "import", str(bad), "--apply", "--as", LEAD)
    opened = la.json("case", "import", str(tmp_path / "tracker.xlsx"), "--apply", "--as", LEAD)
    assert len(opened) == 20 and len({p["case_id"] for p in opened}) == 20
    assert {c["stage"] for c in la.json("case", "list", "--as", LEAD)} == {"diagnosis"}
    assert "already has an open case" in refused("case", "import", str(tmp_path / "tracker.xlsx"), "--apply", "--as", LEAD)
    assert "missing column(s) Stage" in refused("case", "import", str(_file(tmp_path, "urn,reason,opened_on\n")), "--as", LEAD)


def _file(folder: Path, text: str) -> Path:
    path = folder / "short.csv"
    path.write_text(text)
    return path
