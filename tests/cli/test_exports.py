"""Exports for the committee: the case list, the deadlines and the termly picture as CSV and
Excel, read back as a spreadsheet would read them; a cell that looks like a formula stays text."""

from __future__ import annotations

import csv
from pathlib import Path

import httpx
import openpyxl

from tests.cli.support import LEAD, SENIOR, advance, open_case
from tests.conftest import Scc
from tests.web.conftest import bearer

FORMULA = "=HYPERLINK(\"http://example.com\",\"Click\")"


def _caseload(la: Scc) -> int:
    la("school", "add", "--urn", "100011", "--name", FORMULA, "--type", "community", "--phase", "Primary", "--la", "Riverford",
       "--as", LEAD)
    case = open_case(la, "100011")
    advance(la, case, "issue_warning_notice", "2026-10-05", "grounds=low_standards", "reasons=r", "required_action=a",
            "compliance_days=15", "minded_to=appoint additional governors")
    open_case(la, "100001")
    return case


def test_the_case_list_goes_to_excel_and_csv_with_formulas_kept_as_text(la: Scc, tmp_path: Path) -> None:
    case = _caseload(la)
    book, table = tmp_path / "cases.xlsx", tmp_path / "cases.csv"
    said = la("case", "list", "--xlsx", str(book), "--csv", str(table), "--as", LEAD).stdout
    assert f"wrote 2 row(s) to {book}" in said
    sheet = openpyxl.load_workbook(book).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Case", "School", "URN", "School type", "Stage")
    formula_row = next(r for r in rows[1:] if r[0] == case)
    assert formula_row[1] == FORMULA and formula_row[4] == "Warning notice given"
    cell = next(c for c in sheet.iter_rows(min_row=2) if c[0].value == case)[1]
    assert cell.data_type == "s"  # text: Excel shows it, never evaluates it
    read = list(csv.reader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert read[0][0] == "Case" and len(read) == 3
    assert next(r for r in read[1:] if r[0] == str(case))[1] == "'" + FORMULA


def test_deadlines_and_the_termly_picture_export_the_same_figures_as_their_pages(la: Scc, tmp_path: Path) -> None:
    case = _caseload(la)
    la("deadlines", "--xlsx", str(tmp_path / "deadlines.xlsx"), "--as", LEAD)
    rows = list(openpyxl.load_workbook(tmp_path / "deadlines.xlsx").active.iter_rows(values_only=True))
    assert {(r[0], r[2]) for r in rows[1:]} == {(case, "Compliance period end"), (case, "Powers window end")}
    assert all("working days" in r[5] or "calendar months" in r[5] for r in rows[1:])  # how each was counted
    la("report", "termly", "--term", "Autumn 2026", "--csv", str(tmp_path / "termly.csv"), "--as", SENIOR)
    read = list(csv.reader((tmp_path / "termly.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert read[0][:5] == ["School", "URN", "Stage", "Category", "Days in stage"]
    assert sorted(r[1] for r in read[1:]) == ["100001", "100011"]


def test_an_export_is_refused_in_one_line(la: Scc, refused, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "cannot write" in refused("case", "list", "--csv", str(tmp_path / "no-such-folder" / "cases.csv"), "--as", LEAD)


def test_the_api_hands_out_the_same_files(server: str, staff: dict[str, str], la: Scc) -> None:
    _caseload(la)
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    answer = api.get("/exports/cases.xlsx")
    assert answer.status_code == 200 and answer.headers["content-disposition"].endswith('.xlsx"')
    assert answer.content[:2] == b"PK"
    assert api.get("/exports/cases.pdf").status_code == 422 and "choose csv or xlsx" in api.get("/exports/cases.pdf").text
    assert api.get("/exports/people.csv").status_code == 404
