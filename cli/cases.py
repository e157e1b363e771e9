"""``scc case …``, ``scc deadlines`` and ``scc demo``."""

from __future__ import annotations

from datetime import date
from typing import Any, List, Optional

import typer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cli.common import parse_date, parse_sets
from cli.output import JSON_OPTION, console, emit, table
from models.db.session import transaction

app = typer.Typer(no_args_is_help=True)


@app.command("open")
def open_(
    urn: str = typer.Argument(..., help="The school's URN"),
    reason: str = typer.Option(..., help="Why the school is causing concern"),
    on: Optional[str] = typer.Option(None, help="Date the case was opened (default today)"),
    playbook: Optional[str] = typer.Option(None, help="Playbook name or path (default: settings, else england)"),
    calendar: Optional[str] = typer.Option(None, help="Calendar name or path (default: settings.toml)"),
    lead: Optional[str] = typer.Option(None, help="Email of the LA lead"),
    ip: Optional[str] = typer.Option(None, help="Email of the improvement partner (default: the school's)"),
    as_: Optional[str] = typer.Option(None, "--as", help="Email of the person acting"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Open a case for a school causing concern (runs as the open-case flow)."""
    from flows.runtime import run

    day = parse_date(on)
    from flows.casework import open_case_flow

    data = run(open_case_flow, urn=urn, reason=reason, on=day, actor=as_,
               options={"playbook": playbook, "calendar": calendar, "lead": lead, "ip": ip})
    emit(data, as_json, lambda d: console.print(
        f"opened case {d['id']} for {d['school']['name']} ({d['school']['urn']}) at '{d['stage']}' "
        f"under {d['playbook']} {d['playbook_version']}"))


@app.command("actions")
def actions(case_id: int = typer.Argument(..., metavar="CASE"), as_json: bool = JSON_OPTION) -> None:
    """The actions allowed now, with their required fields."""
    from models.services.cases import allowed_actions, get_case

    with transaction() as session:
        case = get_case(session, case_id)
        data = {"id": case.id, "stage": case.stage, "actions": [a.as_dict() for a in allowed_actions(session, case)]}

    def show(d: dict[str, Any]) -> None:
        console.print(f"case {d['id']} is at '{d['stage']}'; allowed now:")
        for action in d["actions"]:
            fields = ", ".join(f["name"] + ("" if f["required"] else "?") for f in action["fields"]) or "no fields"
            console.print(f"  [bold]{action['action']}[/bold] — {action['title']}\n      fields: {fields}; by: {', '.join(action['roles'])}")
    emit(data, as_json, show)


@app.command("advance")
def advance(
    case_id: int = typer.Argument(..., metavar="CASE"),
    action: str = typer.Argument(...),
    set_: List[str] = typer.Option([], "--set", help="FIELD=VALUE, repeatable"),
    on: Optional[str] = typer.Option(None, help="Date the action took effect (default today); deadlines count from it"),
    as_: Optional[str] = typer.Option(None, "--as", help="Email of the person acting (default: the case lead)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply one playbook action to a case (runs as the apply-action flow)."""
    fields, day = parse_sets(set_), parse_date(on)
    from flows.casework import apply_action_flow
    from flows.runtime import run

    applied = run(apply_action_flow, case_id=case_id, action=action, fields=fields, on=day, actor=as_)
    from models.services.cases import case_summary, get_case

    with transaction() as session:
        data = case_summary(session, get_case(session, case_id))
    data["applied"] = applied

    def show(d: dict[str, Any]) -> None:
        console.print(f"case {d['id']}: {action} applied; stage now '{d['stage']}'")
        for deadline in d["applied"]["deadlines"]:
            console.print(f"  deadline {deadline['kind']}: {deadline['due']} ({deadline['explanation']})")
        for doc in d["applied"]["documents"]:
            console.print(f"  document {doc['kind']} v{doc['version']}: {doc['path']}")
        if d["applied"]["documents_without_template"]:
            console.print(f"  no template yet for: {', '.join(d['applied']['documents_without_template'])}")
    emit(data, as_json, show)


@app.command("show")
def show(case_id: int = typer.Argument(..., metavar="CASE"), as_json: bool = JSON_OPTION) -> None:
    """Stage, school, playbook and version, events, and deadlines with how each was counted."""
    from models.services.cases import case_summary, get_case

    with transaction() as session:
        data = case_summary(session, get_case(session, case_id))

    def render(d: dict[str, Any]) -> None:
        console.print(f"[bold]case {d['id']}[/bold] — {d['school']['name']} ({d['school']['urn']}, {d['school']['type']})")
        console.print(f"stage: {d['stage']} ({d['stage_title']}) since {d['stage_since']}; playbook {d['playbook']} "
                      f"{d['playbook_version']}; calendar {d['calendar']}; lead {d['lead']}; IP {d['ip']}")
        console.print(f"opened {d['opened_on']}: {d['reason']}")
        table("events", ["#", "on", "by", "action", "stage"],
              [[e["seq"], e["on"], e["actor"], e["action"], e["after"].get("stage", "")] for e in d["events"]])
        table("deadlines", ["kind", "due", "basis", "status", "explanation"],
              [[x["kind"], x["due"], x["basis"], x["status"], x["explanation"]] for x in d["deadlines"]])
        if d["alerts"]:
            table("alerts", ["raised", "alert", "to", "detail", "resolved"],
                  [[a["raised_on"], a["kind"], a["to"], a["detail"], a["resolved_on"]] for a in d["alerts"]])
    emit(data, as_json, render)


@app.command("list")
def list_(stage: Optional[str] = typer.Option(None, help="Only cases at this stage"), as_json: bool = JSON_OPTION) -> None:
    """Every case, newest first."""
    from models.db.cases import Case

    with transaction() as session:
        query = select(Case).options(selectinload(Case.school), selectinload(Case.lead)).order_by(Case.id.desc())
        if stage:
            query = query.where(Case.stage == stage)
        data = [
            {"id": c.id, "stage": c.stage, "stage_since": c.stage_since, "school": c.school.name, "urn": c.school.urn,
             "playbook": f"{c.playbook}@{c.playbook_version}", "lead": c.lead.email if c.lead else None,
             "opened_on": c.opened_on, "closed_on": c.closed_on}
            for c in session.execute(query).scalars()
        ]
    emit(data, as_json, lambda rows: table(f"{len(rows)} cases", ["Case", "School", "URN", "Stage", "Since", "Lead"],
                                           [[r["id"], r["school"], r["urn"], r["stage"], r["stage_since"], r["lead"]] for r in rows]))


def deadlines(
    until: Optional[str] = typer.Option(None, help="Only deadlines due on or before this date"),
    all_: bool = typer.Option(False, "--all", help="Include met and cancelled deadlines"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Deadlines of every case, soonest first (open and overdue unless --all)."""
    from models.db.cases import Case, Deadline
    from models.vocab import DeadlineStatus
    from models.services.cases import deadline_dict

    with transaction() as session:
        query = select(Deadline).options(selectinload(Deadline.case).selectinload(Case.school)).order_by(Deadline.due, Deadline.id)
        if until:
            query = query.where(Deadline.due <= parse_date(until, "--until"))
        if not all_:
            query = query.where(Deadline.status.in_(DeadlineStatus.LIVE))
        data = [dict(deadline_dict(d), school=d.case.school.name) for d in session.execute(query).scalars()]
    emit(data, as_json, lambda rows: table(f"{len(rows)} deadlines", ["due", "case", "school", "kind", "basis", "status"],
                                           [[r["due"], r["case_id"], r["school"], r["kind"], r["basis"], r["status"]] for r in rows]))


def demo(as_json: bool = JSON_OPTION) -> None:
    """Load a demo LA (schools, people, a calendar) and walk several cases through the lifecycle."""
    from flows.casework import load_demo_flow
    from flows.runtime import run

    report = run(load_demo_flow, today=date.today())
    emit(report, as_json, lambda r: [console.print(line) for line in r["lines"]])
