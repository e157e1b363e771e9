"""The register of concerns fed by data: figures imported, checked against the rules of
``config/triggers.toml``, and schools flagged for a lead to review.

``import_indicators`` reads a CSV of ``urn, indicator, value, period`` (every row checked
before anything is written), keeps the figures (a later import adds periods or corrects
them), and checks every school in the file against the rules with all its figures on
record. Each rule met for a period not flagged before becomes a concern on the register,
and a school flagged by an import moves up a stage of concern: Stage 1 a watching brief,
Stage 2 light-touch support, Stage 3 full intervention (003:L1508–1514). ``suggested_cases``
lists the flagged schools without an open case, for a lead to open one.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models.db import audit
from models.db.cases import Case, Classification, Concern, IndicatorValue
from models.db.queries import case_is_open, latest_classifications
from models.db.schools import School
from models.errors import InvalidInput
from models.messages import N_
from models.rules.triggers import TriggerRule, flags, parse_triggers
from models.services.directory import decoded_csv
from models.settings.environment import config_file, file_text
from models.vocab import Scheme

__all__ = ["ImportedFigures", "Suggestion", "import_indicators", "suggested_cases", "trigger_rules"]

COLUMNS = ("urn", "indicator", "value", "period")
STAGES = ("stage_1", "stage_2", "stage_3")
SOURCE = "data"


@dataclass
class ImportedFigures:
    """What one import did: figures kept, and per school flagged the concerns raised and its stage."""

    figures: int = 0
    flagged: dict[str, list[str]] = field(default_factory=dict)  # URN -> details of the new concerns
    stages: dict[str, str] = field(default_factory=dict)  # URN -> its stage of concern now

    def as_dict(self) -> dict[str, object]:
        return {"figures": self.figures, "flagged": self.flagged, "stages": self.stages}


@dataclass(frozen=True)
class Suggestion:
    """A school the data flags, with no open case: what a lead reviews."""

    urn: str
    name: str
    stage: str | None
    concerns: list[tuple[date, str]]  # (raised on, detail), newest first


def trigger_rules() -> tuple[TriggerRule, ...]:
    """The rules of ``triggers.toml`` (the config folder's, else the shipped one)."""
    path = config_file("triggers.toml")
    return parse_triggers(file_text(path), str(path))


def _rows(name: str, text: str) -> list[tuple[int, str, str, float, str]]:
    """(line, urn, indicator, value, period) of every row, or the first row's problem."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in [f.strip().lower() for f in reader.fieldnames or []]]
    if missing:
        raise InvalidInput(N_("%(file)s: missing column(s) %(missing)s: the first row must be %(columns)s"), file=name, missing=", ".join(missing),
                           columns=",".join(COLUMNS))
    rows = []
    try:
        for row in reader:
            cells = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
            where = f"{name}:{reader.line_num}"
            if not all(cells.get(c) for c in COLUMNS):
                raise InvalidInput(N_("%(where)s: %(empty)s is empty: fill it or remove the row"), where=where,
                                   empty=", ".join(c for c in COLUMNS if not cells.get(c)))
            not_a_number = InvalidInput(N_("%(where)s: value '%(value)s' is not a number: give a figure such as 93.5 or -2"), where=where,
                                        value=cells["value"])
            try:
                value = float(cells["value"])
            except ValueError:
                raise not_a_number from None
            if not math.isfinite(value):
                raise not_a_number
            rows.append((reader.line_num, cells["urn"], cells["indicator"], value, cells["period"]))
    except csv.Error as exc:
        raise InvalidInput(N_("%(file)s:%(line)s: %(problem)s: save the file from the spreadsheet as CSV"), file=name, line=reader.line_num,
                           problem=exc) from None
    return rows


def import_indicators(session: Session, name: str, data: bytes, actor: str, on: date, visible: ColumnElement[bool]) -> ImportedFigures:
    """Keep the file's figures and flag the schools the rules find, in the caller's
    transaction: one bad row, a URN of no school ``visible`` selects (the person's
    authorities') or a figure given twice refuses the whole file."""
    rules = trigger_rules()
    rows = _rows(name, decoded_csv(name, data))
    schools = {s.urn: s for s in session.execute(select(School).where(School.urn.in_({r[1] for r in rows}), visible)).scalars()}
    seen: dict[tuple[str, str, str], int] = {}
    for line, urn, indicator, _, period in rows:
        if urn not in schools:
            raise InvalidInput(N_("%(file)s:%(line)s: no school with URN %(urn)s: import it from GIAS first (scc school import)"), file=name,
                               line=line, urn=urn)
        if (urn, indicator, period) in seen:
            raise InvalidInput(N_("%(file)s:%(line)s: %(indicator)s for %(period)s of URN %(urn)s is also on line %(earlier)s: give each figure "
                                  "once"), file=name, line=line, indicator=indicator, period=period, urn=urn, earlier=seen[urn, indicator, period])
        seen[urn, indicator, period] = line
    ids = [s.id for s in schools.values()]
    kept = {(v.school_id, v.indicator, v.period): v for v in session.execute(
        select(IndicatorValue).where(IndicatorValue.school_id.in_(ids))).scalars()}
    for _, urn, indicator, value, period in rows:
        known = kept.get((schools[urn].id, indicator, period))
        if known is None:
            session.add(IndicatorValue(school_id=schools[urn].id, indicator=indicator, period=period, value=value, imported_on=on))
        else:
            known.value, known.imported_on = value, on
    session.flush()
    report = ImportedFigures(figures=len(rows))
    _flag(session, sorted(schools.values(), key=lambda s: s.urn), rules, report, actor, on, name)
    return report


def _flag(session: Session, schools: list[School], rules: tuple[TriggerRule, ...], report: ImportedFigures, actor: str,
          on: date, name: str) -> None:
    """Raise a concern for each rule a school's figures now meet for a period not yet
    flagged; a school flagged moves up a stage of concern. What it reads about the schools
    is read for all of them at once."""
    ids = [s.id for s in schools]
    figures: dict[int, dict[str, list[tuple[str, float]]]] = defaultdict(lambda: defaultdict(list))
    for school_id, indicator, period, value in session.execute(
        select(IndicatorValue.school_id, IndicatorValue.indicator, IndicatorValue.period, IndicatorValue.value)
        .where(IndicatorValue.school_id.in_(ids))
    ):
        figures[school_id][indicator].append((period, value))
    raised = set(session.execute(select(Concern.school_id, Concern.rule, Concern.period).where(
        Concern.school_id.in_(ids), Concern.source == SOURCE)).tuples())
    open_cases = {school_id: case_id for school_id, case_id in session.execute(
        select(Case.school_id, Case.id).where(Case.school_id.in_(ids), case_is_open()))}
    stages = latest_classifications(session, [Scheme.CONCERN_STAGE], ids)
    events = []
    for school in schools:
        new = [f for f in flags(rules, school.phase, figures[school.id]) if (school.id, f.rule.name, f.period) not in raised]
        if not new:
            continue
        open_case = open_cases.get(school.id)
        for flag in new:
            session.add(Concern(school_id=school.id, case_id=open_case, raised_on=on, source=SOURCE, detail=flag.detail,
                                raised_by=actor, rule=flag.rule.name, period=flag.period))
        current = stages.get((school.id, Scheme.CONCERN_STAGE))
        stage = STAGES[min(STAGES.index(current) + 1, len(STAGES) - 1)] if current in STAGES else STAGES[0]
        details = [f.detail for f in new]
        if stage != current:
            session.add(Classification(school_id=school.id, case_id=open_case, scheme=Scheme.CONCERN_STAGE, value=stage,
                                       effective_on=on, set_by=actor, evidence="; ".join(details)))
        report.flagged[school.urn], report.stages[school.urn] = details, stage
        events.append(audit.Entry(actor, "concerns_flagged", open_case, on,
                                  after={"file": name, "urn": school.urn, "concerns": details, "concern_stage": stage}))
    if events:
        audit.record_many(session, events)


def suggested_cases(session: Session, visible: ColumnElement[bool]) -> list[Suggestion]:
    """Schools ``visible`` selects with concerns raised by data and no open case, the highest
    stage of concern first, each with its concerns newest first."""
    concerns: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for school_id, raised_on, detail in session.execute(
        select(Concern.school_id, Concern.raised_on, Concern.detail).where(Concern.source == SOURCE)
        .order_by(Concern.raised_on.desc(), Concern.id.desc())
    ):
        concerns[school_id].append((raised_on, detail))
    with_case = set(session.execute(select(Case.school_id).where(case_is_open(), Case.school_id.in_(list(concerns)))).scalars())
    stages = latest_classifications(session, [Scheme.CONCERN_STAGE], list(concerns))
    schools = session.execute(select(School).where(School.id.in_(set(concerns) - with_case), visible)).scalars()
    found = [Suggestion(s.urn, s.name, stages.get((s.id, Scheme.CONCERN_STAGE)), concerns[s.id]) for s in schools]
    return sorted(found, key=lambda s: (-STAGES.index(s.stage) if s.stage in STAGES else 1, s.name))
