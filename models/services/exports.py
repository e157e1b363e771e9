"""The case list, the deadlines and the termly picture as CSV and Excel, for the committee
paper and the spreadsheet people keep beside the product.

A cell that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is neutralised: in CSV with a leading apostrophe, as
OWASP advises against CSV injection; in Excel by storing it as text, which Excel never
evaluates. A school name like "=HYPERLINK(…)" stays a name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from models.errors import InvalidInput
from models.messages import N_
from models.schemas import CaseRow, DeadlineView

__all__ = ["FORMATS", "Table", "case_table", "deadline_table", "exported", "neutralised"]

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # a title, the column headings, the rows


def neutralised(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate, made plain text for CSV."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(table: Table) -> bytes:
    _, headings, rows = table
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headings)
    for row in rows:
        writer.writerow(["" if v is None else neutralised(v.isoformat() if isinstance(v, date) else v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark: Excel then reads the names in UTF-8


def _xlsx(table: Table) -> bytes:
    # openpyxl takes 0.3 s to import: only when a workbook is made, not with every command that reads.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    title, headings, rows = table
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet's name
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            elif isinstance(value, date):
                cell.number_format = "d mmmm yyyy"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exported(table: Table, form: str) -> bytes:
    """The table in one of ``FORMATS``."""
    if form == "csv":
        return _csv(table)
    if form == "xlsx":
        return _xlsx(table)
    raise InvalidInput(N_("cannot export as '%(form)s': choose %(forms)s"), form=form, forms=" or ".join(FORMATS))


def case_table(rows: Sequence[CaseRow]) -> Table:
    return ("Cases", ["Case", "School", "URN", "School type", "Stage", "Since", "Playbook", "Lead", "Improvement partner",
                      "Opened", "Closed", "Overdue deadlines"],
            [[r.id, r.school, r.urn, r.school_type.replace("_", " "), r.stage_title, r.stage_since, r.playbook, r.lead, r.ip,
              r.opened_on, r.closed_on, r.overdue] for r in rows])


def deadline_table(rows: Sequence[DeadlineView]) -> Table:
    return ("Deadlines", ["Case", "School", "Deadline", "Due", "Status", "How it was counted"],
            [[d.case_id, d.school, d.kind.replace("_", " ").capitalize(), d.due, d.status, d.explanation] for d in rows])
