"""Moving in from the spreadsheet: the live cases an authority tracks today, one row each,
opened where they stand, with the deadlines that run from the dates that matter recounted.

The header row names the columns (any order; ``TRACKER_COLUMNS`` says what each means);
``urn``, ``reason``, ``opened_on`` and ``stage`` are required. A row places its case at a
stage of the playbook (by its name or its title), records the categories it gives, and, for
a warning notice given or an inspection report published, counts the deadlines the
playbook's own action would have set from that date. A dry run lists, per row, the case that
would be opened, its stage and each deadline with how it was counted, and every refused row
with its line and reason. Applying refuses the whole file while any row is refused; then
each case is opened in a transaction of its own, audited as imported with the file's sha256.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models.db import audit
from models.db.cases import Case, Classification, Concern, Deadline, WarningNotice
from models.db.playbooks import pin_playbook
from models.db.session import transaction
from models.errors import CaseworkError, InvalidInput
from models.rules.deadlines import PlannedDeadline, plan_deadlines
from models.rules.playbook import Playbook
from models.rules.text import LONG_TEXT, checked_text, parse_day
from models.rules.words import words
from models.schemas import DeadlineSet, TrackerRow
from models.services.cases import check_open_case
from models.services.directory import decoded_csv, holder
from models.settings.files import calendar_named, glossary
from models.vocab import DeadlineStatus, Scheme, SchoolType

__all__ = ["REQUIRED", "TRACKER_COLUMNS", "Planned", "column_words", "import_tracker", "read_tracker"]

# The columns of a tracker, and what each holds (the README's table is this one).
TRACKER_COLUMNS: Mapping[str, str] = {
    "urn": "the school's URN (required)",
    "reason": "why the school causes concern (required)",
    "opened_on": "the day the case was opened, YYYY-MM-DD (required)",
    "stage": "where the case stands: a stage of the playbook, by name or title (required)",
    "stage_since": "the day it reached that stage (default: opened_on)",
    "lead": "the lead's email (a lead or senior officer on record)",
    "ip": "the improvement partner's email (default: the school's)",
    "la_category": "the LA category or level of concern, e.g. LA4b",
    "inspection_category": "special_measures, serious_weaknesses or significant_improvement",
    "report_published_on": "the day that inspection report was published",
    "notice_given_on": "the day a warning notice still live was given",
    "notice_compliance_days": "its compliance period in working days",
    "notice_grounds": "its grounds, comma-separated, as the playbook names them",
}
REQUIRED = ("urn", "reason", "opened_on", "stage")
NOTICE_ACTION, CATEGORY_ACTION = "issue_warning_notice", "record_inspection_category"


@dataclass
class Planned:
    """One row: the case it would open, or why it is refused."""

    line: int
    urn: str
    school: str = ""
    stage: str = ""
    stage_title: str = ""
    deadlines: list[PlannedDeadline] = field(default_factory=list)
    refused: str | None = None
    case_id: int | None = None  # once applied

    def view(self) -> TrackerRow:
        return TrackerRow(line=self.line, urn=self.urn, school=self.school, stage=self.stage, stage_title=self.stage_title,
                          refused=self.refused, case_id=self.case_id,
                          deadlines=[DeadlineSet(kind=d.kind, due=d.due, basis=d.basis.value, explanation=d.explanation)
                                     for d in self.deadlines])


def column_name(heading: str) -> str:
    """A heading as the tracker's column is named: "Opened on" and "opened_on" are one column."""
    return "_".join(str(heading).strip().lower().split())


def column_words(column: str) -> str:
    """A column as a tracker's heading may say it ("Opened on", "LA category")."""
    return words(column, glossary())


def _rows(name: str, data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8 or Windows-1252) or an Excel workbook's first sheet, by header."""
    if Path(name).suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # openpyxl only when a workbook is read (0.3 s to import)

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise InvalidInput(f"{name} is not an Excel workbook: save it as .xlsx or .csv") from None
        cells = [["" if v is None else v.isoformat()[:10] if isinstance(v, date) else str(v) for v in row]
                 for row in sheet.iter_rows(values_only=True)]
    elif Path(name).suffix.lower() == ".csv":
        cells = list(csv.reader(io.StringIO(decoded_csv(name, data), newline="")))
    else:
        raise InvalidInput(f"{name} is neither .csv nor .xlsx: save the tracker as one of them")
    if not cells:
        raise InvalidInput(f"{name} is empty: the first row names the columns ({', '.join(REQUIRED)}, …)")
    header = [column_name(h) for h in cells[0]]
    unknown = [h for h in header if h and h not in TRACKER_COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        problem = f"unknown column(s) {', '.join(unknown)}" if unknown else f"missing column(s) {', '.join(map(column_words, missing))}"
        raise InvalidInput(f"{name}: {problem}: the first row names the columns, from "
                           f"{', '.join(map(column_words, TRACKER_COLUMNS))}")
    return [{h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h} for row in cells[1:]
            if any(str(c).strip() for c in row)]


def _stage(book: Playbook, given: str) -> str:
    wanted = given.strip().lower()
    for name, title in book.stages.items():
        if wanted in (name.lower(), title.lower()):
            return name
    raise InvalidInput(f"'{given}' is not a stage of the {book.name} playbook: use one of {', '.join(book.stages.values())}")


def _day(row: Mapping[str, str], column: str) -> date | None:
    return parse_day(row[column], column) if row.get(column) else None


def _plan(session: Session, row: Mapping[str, str], line: int, today: date) -> tuple[Planned, dict[str, Any]]:
    """Every check of one row, reading only; with what applying it would write."""
    planned = Planned(line=line, urn=row.get("urn", ""))
    opened = _day(row, "opened_on")
    assert opened is not None  # a required column
    reason = row.get("reason", "")
    school, book, calendar_name, _ = check_open_case(session, planned.urn, reason, on=opened)
    planned.school = school.name
    stage = _stage(book, row["stage"])
    if book.is_closed(stage):
        raise InvalidInput("a closed case is not moved in: import only the cases still open")
    since = _day(row, "stage_since") or opened
    if since < opened or since > today:
        raise InvalidInput(f"stage_since {since.isoformat()} is before opened_on or after today: give the day it reached the stage")
    calendar = calendar_named(calendar_name)
    kind = SchoolType(school.type)
    write: dict[str, Any] = {"school": school, "book": book, "calendar": calendar_name, "stage": stage, "since": since,
                             "opened": opened, "reason": checked_text(reason.strip(), "the reason", limit=LONG_TEXT, lines=True),
                             "lead": holder(session, "lead", row.get("lead") or None, school.authority),
                             "ip": holder(session, "ip", row.get("ip") or None, school.authority) or school.ip, "classifications": [],
                             "notice": None}
    if row.get("la_category"):
        write["classifications"].append((Scheme.LA_CATEGORY, checked_text(row["la_category"], "la_category"), opened))
    if row.get("inspection_category"):
        published = _day(row, "report_published_on")
        if published is None:
            raise InvalidInput("inspection_category needs report_published_on: the deadlines count from it")
        fields = {"category": row["inspection_category"], "report_published_on": published}
        action = book.actions.get(CATEGORY_ACTION)
        if action is None or row["inspection_category"] not in next((f.options for f in action.fields if f.name == "category"), ()):
            raise InvalidInput(f"'{row['inspection_category']}' is not an inspection category of the {book.name} playbook")
        write["classifications"].append((Scheme.INSPECTION, row["inspection_category"], published))
        planned.deadlines += plan_deadlines(action.deadlines, fields, published, calendar, kind)
    if row.get("notice_given_on"):
        given = _day(row, "notice_given_on")
        assert given is not None
        action, rules = book.actions.get(NOTICE_ACTION), book.notice
        if action is None or rules is None or not action.schools.admits(kind):
            raise InvalidInput(f"{school.name} cannot have been given a warning notice under the {book.name} playbook")
        days = row.get("notice_compliance_days") or ""
        if not days.isdigit() or not 0 < int(days) <= 1000:
            raise InvalidInput("notice_compliance_days must be the compliance period in working days, e.g. 15")
        grounds = [g.strip() for g in (row.get("notice_grounds") or "").split(",") if g.strip()]
        section = rules.section(None)
        unknown = [g for g in grounds if g not in section.grounds]
        if not grounds or unknown:
            raise InvalidInput(f"notice_grounds must name the notice's grounds from {', '.join(section.grounds)}")
        fields = {"compliance_days": int(days), "grounds": grounds}
        deadlines = plan_deadlines(action.deadlines, fields, given, calendar, kind)
        planned.deadlines += deadlines
        end = next(d.due for d in deadlines if d.kind == "compliance_period_end")
        write["notice"] = {"act": rules.act, "section": section.name, "regime": rules.regime_on(given, section.name).label,
                           "grounds": grounds, "reasons": "as recorded in the tracker", "required_action": "as recorded in the tracker",
                           "given_on": given, "compliance_days": int(days), "compliance_end": end, "minded_to": ""}
    planned.stage, planned.stage_title = stage, book.stages[stage]
    return planned, write


def read_tracker(name: str, data: bytes, today: date) -> list[Planned]:
    """The dry run: what each row would open, or why it is refused (nothing is written)."""
    plans = []
    with transaction() as session:
        for line, row in enumerate(_rows(name, data), start=2):
            try:
                plans.append(_plan(session, row, line, today)[0])
            except CaseworkError as error:
                plans.append(Planned(line=line, urn=row.get("urn", ""), refused=str(error)))
        session.rollback()
    return plans


def import_tracker(name: str, data: bytes, actor: str, today: date) -> list[Planned]:
    """Open every row's case, each in its own transaction; refused while any row is."""
    plans = read_tracker(name, data, today)
    refused = [p for p in plans if p.refused]
    if refused:
        first = refused[0]
        raise InvalidInput(f"{name}:{first.line}: {first.refused} ({len(refused)} row(s) refused: see the dry run; nothing imported)")
    digest = hashlib.sha256(data).hexdigest()
    rows = _rows(name, data)
    for plan, row in zip(plans, rows, strict=True):
        with transaction() as session:
            _, write = _plan(session, row, plan.line, today)
            plan.case_id = _write(session, write, plan, actor, name, digest)
    return plans


def _write(session: Session, write: dict[str, Any], plan: Planned, actor: str, name: str, digest: str) -> int:
    book: Playbook = write["book"]
    pin_playbook(session, book)
    school = write["school"]
    case = Case(school=school, playbook=book.name, playbook_version=book.version, jurisdiction=book.jurisdiction.value,
                calendar=write["calendar"], stage=write["stage"], stage_since=write["since"], lead=write["lead"], ip=write["ip"],
                opened_on=write["opened"], reason=write["reason"])
    session.add(case)
    session.flush()
    session.add(Concern(school_id=school.id, case_id=case.id, raised_on=write["opened"], source="case_opened",
                        detail=case.reason, raised_by=actor))
    for scheme, value, on in write["classifications"]:
        session.add(Classification(school_id=school.id, case_id=case.id, scheme=scheme, value=value, effective_on=on,
                                   set_by=actor, evidence=f"imported from {name}"))
    if write["notice"]:
        session.add(WarningNotice(case_id=case.id, **write["notice"]))
    if plan.deadlines:
        session.execute(insert(Deadline), [
            {"case_id": case.id, "kind": d.kind, "counted_from": d.counted_from, "amount": d.amount, "unit": d.unit,
             "basis": d.basis.value, "due": d.due, "calendar": d.calendar, "calendar_version": d.calendar_version,
             "explanation": d.explanation, "status": DeadlineStatus.OPEN, "set_by_action": "case_imported"}
            for d in plan.deadlines])
    audit.record(session, actor, "case_imported", case_id=case.id, effective_on=write["since"],
                 after={"stage": case.stage, "school": school.urn, "playbook": f"{book.name}@{book.version}", "file": name,
                        "sha256": digest, "line": plan.line,
                        "deadlines": [{"kind": d.kind, "due": d.due.isoformat()} for d in plan.deadlines]})
    return case.id
