"""``scc case …``, ``scc deadlines`` and ``scc demo``."""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.common import AS_OPTION, parse_date, parse_sets, run_flow
from cli.output import JSON_OPTION, console, emit, plain, table
from models.db.session import transaction
from models.settings.environment import today

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
    day = parse_date(on)
    from models.services.cases import check_open_case, resolve_actor

    with transaction() as session:  # refuse before any flow starts: nothing is written here
        actor = resolve_actor(session, as_).email  # this terminal's person, even when the server runs the flow
        check_open_case(session, urn, reason, on=day, playbook=playbook, calendar=calendar)
    data = run_flow("open-case", urn=urn, reason=reason, on=day, actor=actor,
                    options={"playbook": playbook, "calendar": calendar, "lead": lead, "ip": ip})
    emit(data, as_json, lambda d: console.print(
        f"opened case {d['id']} for {d['school']['name']} ({d['school']['urn']}) at '{d['stage']}' "
        f"under {d['playbook']} {d['playbook_version']}"))


@app.command("reopen")
def reopen(
    case_id: int = typer.Argument(..., metavar="CASE"),
    reason: str = typer.Option(..., help="Why the school is causing concern again"),
    on: Optional[str] = typer.Option(None, help="Date the intervention was reopened (default today)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Reopen intervention for a school watched in the year after exit: a new case, linked to
    this one, with its playbook, calendar, lead and IP (runs as the open-case flow)."""
    day = parse_date(on)
    from models.services.cases import reopening, resolve_actor

    with transaction() as session:  # refuse before any flow starts: nothing is written here
        actor = resolve_actor(session, as_).email
        urn, options = reopening(session, case_id, reason, day)
    data = run_flow("open-case", urn=urn, reason=reason, on=day, actor=actor, options=options)
    emit(data, as_json, lambda d: console.print(
        f"reopened intervention for {d['school']['name']} ({d['school']['urn']}) as case {d['id']}, "
        f"linked to case {d['reopened_from']}, at '{d['stage']}' under {d['playbook']} {d['playbook_version']}"))


@app.command("actions")
def actions(case_id: int = typer.Argument(..., metavar="CASE"), as_json: bool = JSON_OPTION) -> None:
    """The actions that may be taken now, with their fields and each choice's options; then
    those open from the stage but blocked now, with the reason."""
    from models.services.views import allowed_action_choices

    with transaction() as session:
        case, choices = allowed_action_choices(session, case_id)
        data = {"id": case.id, "stage": case.stage, "actions": plain([c for c in choices if c.blocked is None]),
                "blocked": plain([c for c in choices if c.blocked is not None])}

    def show(d: dict[str, Any]) -> None:
        console.print(f"case {d['id']} is at '{d['stage']}'; may be taken now:")
        for action in d["actions"]:
            console.print(f"  [bold]{action['action']}[/bold] — {action['title']} (by {', '.join(action['roles'])})")
            for f in action["fields"]:
                options = f": {' | '.join(f['options'])}" if f["options"] else ""
                console.print(f"      {f['name']}{'' if f['required'] else ' (optional)'} — {f['type']}{options}")
        if d["blocked"]:
            console.print("blocked now:")
            for action in d["blocked"]:
                console.print(f"  {action['action']} — {action['blocked']}")
    emit(data, as_json, show)


@app.command("advance")
def advance(
    case_id: int = typer.Argument(..., metavar="CASE"),
    action: str = typer.Argument(...),
    set_: list[str] = typer.Option([], "--set", help="FIELD=VALUE, repeatable"),
    on: Optional[str] = typer.Option(None, help="Date the action took effect (default today); deadlines count from it"),
    as_: Optional[str] = typer.Option(None, "--as", help="Email of the person acting (default: SCC_USER, else the one lead)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply one playbook action to a case (runs as the apply-action flow).

    The person acting is --as EMAIL, else SCC_USER, else the one lead on record.
    """
    fields, day = parse_sets(set_), parse_date(on)
    from models.services.cases import ActionRequest, decide_action

    with transaction() as session:  # refuse before any flow starts: nothing is written here
        actor = decide_action(session, ActionRequest(case_id, action, fields, day, as_)).actor.email
    outcome = run_flow("apply-action", case_id=case_id, action=action, fields=fields, on=day, actor=actor)
    data = {**outcome["case"], "applied": outcome["applied"]}

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
    from models.services.views import case_summary

    with transaction() as session:
        data = case_summary(session, case_id)

    def render(d: dict[str, Any]) -> None:
        console.print(f"[bold]case {d['id']}[/bold] — {d['school']['name']} ({d['school']['urn']}, {d['school']['type']})")
        console.print(f"stage: {d['stage']} ({d['stage_title']}) since {d['stage_since']}; playbook {d['playbook']} "
                      f"{d['playbook_version']}; calendar {d['calendar']}; lead {d['lead']}; IP {d['ip']}")
        console.print(f"opened {d['opened_on']}: {d['reason']}")
        if d["reopened_from"]:
            console.print(f"reopens the intervention of case {d['reopened_from']}")
        if d["closed_on"]:
            watch = f"; the school is watched after exit until {d['watch_until']}" if d["watch_until"] else ""
            reopened = f"; intervention reopened as case {d['reopened_as']}" if d["reopened_as"] else ""
            console.print(f"closed {d['closed_on']}{watch}{reopened}")
        table("events", ["#", "on", "by", "action", "stage"],
              [[e["seq"], e["on"], e["actor"], e["action"], e["after"].get("stage", "")] for e in d["events"]])
        table("deadlines", ["kind", "due", "basis", "status", "explanation"],
              [[x["kind"], x["due"], x["basis"], x["status"] + (f" ({x['closed_reason']})" if x["closed_reason"] else ""),
                x["explanation"]] for x in d["deadlines"]])
        if d["alerts"]:
            table("alerts", ["raised", "alert", "to", "detail", "resolved"],
                  [[a["raised_on"], a["kind"], a["to"], a["detail"], a["resolved_on"]] for a in d["alerts"]])
    emit(data, as_json, render)


@app.command("list")
def list_(stage: Optional[str] = typer.Option(None, help="Only cases at this stage"), as_json: bool = JSON_OPTION) -> None:
    """Every case, newest first."""
    from sqlalchemy import true

    from models.services.views import CaseQuery, find_cases

    with transaction() as session:
        data = find_cases(session, CaseQuery(stage=stage), true(), today())
    emit(data, as_json, lambda rows: table(f"{len(rows)} cases", ["Case", "School", "URN", "Stage", "Since", "Lead"],
                                           [[r["id"], r["school"], r["urn"], r["stage"], r["stage_since"], r["lead"]] for r in rows]))


def deadlines(
    until: Optional[str] = typer.Option(None, help="Only deadlines due on or before this date"),
    all_: bool = typer.Option(False, "--all", help="Include met and cancelled deadlines"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Deadlines of every case, soonest first (open and overdue unless --all)."""
    from models.services.views import deadline_rows

    day = parse_date(until, "--until") if until else None
    with transaction() as session:
        data = deadline_rows(session, day, include_closed=all_)
    emit(data, as_json, lambda rows: table(f"{len(rows)} deadlines", ["due", "case", "school", "kind", "basis", "status"],
                                           [[r["due"], r["case_id"], r["school"], r["kind"], r["basis"], r["status"]] for r in rows]))


def demo(as_json: bool = JSON_OPTION) -> None:
    """Load a demo LA (schools, people, a calendar) and walk several cases through the lifecycle."""
    report = run_flow("load-demo", today=today())
    def show(r: dict[str, Any]) -> None:
        for line in r["lines"]:
            console.print(line)
    emit(report, as_json, show)
