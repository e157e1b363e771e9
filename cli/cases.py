"""``scc case …``, ``scc deadlines`` and ``scc demo``: each command one request of the API
(``cli.client``), or the same use case run here.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION, parse_date, parse_sets, read_file
from cli.output import CSV_OPTION, JSON_OPTION, XLSX_OPTION, console, emit, export, table

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
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Open a case for a school causing concern (runs as the open-case flow)."""
    day = parse_date(on)
    options = {"playbook": playbook, "calendar": calendar, "lead": lead, "ip": ip}

    def here(viewer: Any) -> Any:
        from models.services.case_changes import check_open_case

        check_open_case(viewer, urn, reason, day, options)  # a mistake is refused before Prefect is even imported here
        from flows import case_flows

        return case_flows.open_case(viewer, urn, reason, day, options)

    data = answer(here, "POST", "/cases", as_, json={"urn": urn, "reason": reason, "on": day.isoformat(), **options})
    emit(data, as_json, lambda d: console.print(
        f"opened case {d['id']} for {d['school']['name']} ({d['school']['urn']}) at '{d['stage']}' "
        f"under {d['playbook']} {d['playbook_version']}"))


@app.command("correct-priority")
def correct_priority(
    case_id: int = typer.Argument(..., metavar="CASE"),
    number: int = typer.Argument(..., metavar="PRIORITY", help="The priority's number"),
    sets: list[str] = typer.Option([], "--set", help="FIELD=VALUE: title, success_criteria, lead, target_on, resources"),
    reason: str = typer.Option(..., help="What was wrong (kept in the audit log)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct a priority's fields, with the reason; the audit log keeps what it said before."""
    changes = parse_sets(sets)

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.correct_priority(viewer, case_id, number, changes, reason)

    data = answer(here, "PATCH", f"/cases/{case_id}/priorities/{number}", as_, json={"fields": changes, "reason": reason})
    emit(data, as_json, lambda d: console.print(f"case {case_id}: priority {number} corrected"))


@app.command("withdraw-priority")
def withdraw_priority(
    case_id: int = typer.Argument(..., metavar="CASE"),
    number: int = typer.Argument(..., metavar="PRIORITY", help="The priority's number"),
    reason: str = typer.Option(..., help="Why it is withdrawn (kept in the audit log)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Withdraw a priority added in error or no longer pursued: it leaves reviews and reports."""

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.correct_priority(viewer, case_id, number, {}, reason, withdraw=True)

    data = answer(here, "POST", f"/cases/{case_id}/priorities/{number}/withdrawal", as_, json={"reason": reason})
    emit(data, as_json, lambda d: console.print(f"case {case_id}: priority {number} withdrawn"))


@app.command("withdraw-classification")
def withdraw_classification(
    case_id: int = typer.Argument(..., metavar="CASE"),
    classification_id: int = typer.Argument(..., metavar="CLASSIFICATION", help="Its number, as `scc case show --json` lists it"),
    reason: str = typer.Option(..., help="Why it was recorded in error (kept in the audit log)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Withdraw a classification the case recorded in error: the deadlines it set are cancelled."""

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.withdraw_classification(viewer, case_id, classification_id, reason)

    data = answer(here, "POST", f"/cases/{case_id}/classifications/{classification_id}/withdrawal", as_, json={"reason": reason})
    emit(data, as_json, lambda d: console.print(f"case {case_id}: classification {classification_id} withdrawn"))


@app.command("withdraw-meeting")
def withdraw_meeting(
    case_id: int = typer.Argument(..., metavar="CASE"),
    meeting_id: int = typer.Argument(..., metavar="MEETING", help="The meeting's number, as `scc case show` lists it"),
    reason: str = typer.Option(..., help="Why it was recorded in error (kept in the audit log)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Withdraw a meeting, review or visit recorded in error: the duty it met is due again."""

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.withdraw_meeting(viewer, case_id, meeting_id, reason)

    data = answer(here, "POST", f"/cases/{case_id}/meetings/{meeting_id}/withdrawal", as_, json={"reason": reason})
    emit(data, as_json, lambda d: console.print(f"case {case_id}: meeting {meeting_id} withdrawn"))


@app.command("note")
def note(
    case_id: int = typer.Argument(..., metavar="CASE"),
    text: str = typer.Option(..., help="What happened: a phone call, a visit, a meeting"),
    on: Optional[str] = typer.Option(None, help="The day it happened (default today)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a dated note to a case, signed as the person acting."""
    day = parse_date(on)

    def here(viewer: Any) -> Any:
        from models.services import case_changes

        return case_changes.add_note(viewer.email, case_id, text, day)

    data = answer(here, "POST", f"/cases/{case_id}/notes", as_, json={"text": text, "on": day.isoformat()})
    emit(data, as_json, lambda d: console.print(f"case {case_id}: note added"))


@app.command("attach")
def attach(
    case_id: int = typer.Argument(..., metavar="CASE"),
    path: Path = typer.Argument(..., help="A PDF, Word, Excel or PowerPoint file, or an image, at most 5 MB"),
    description: Optional[str] = typer.Option(None, help="What it is"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Keep a file with a case (scanned first when SCC_CLAMD names a virus scanner)."""
    data = read_file(path)

    def here(viewer: Any) -> Any:
        from models.services import case_changes
        from models.settings.environment import today

        return case_changes.add_evidence(viewer.email, case_id, path.name, data, description, today())

    fields = {"description": description} if description else {}
    data_out = answer(here, "POST", f"/cases/{case_id}/evidence", as_, files={"file": (path.name, data)}, data=fields)
    emit(data_out, as_json, lambda d: console.print(f"case {case_id}: kept {path.name}"))


@app.command("amend")
def amend(
    case_id: int = typer.Argument(..., metavar="CASE"),
    event: int = typer.Argument(..., metavar="EVENT", help="The action's event number (scc case show lists them)"),
    set_: list[str] = typer.Option([], "--set", help="FIELD=VALUE to correct (FIELD= clears an optional one), repeatable"),
    on: Optional[str] = typer.Option(None, "--on", help="The corrected day it took effect"),
    reason: str = typer.Option(..., help="What was wrong (kept in the audit log)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct the fields or the day of an action recorded in error: its records take the
    corrected values, its deadlines are counted again, its letters are marked."""
    changes = parse_sets(set_)
    day = parse_date(on) if on else None

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.amend_action(viewer, case_id, event, changes, day, reason)

    body = {"fields": changes, "on": day.isoformat() if day else None, "reason": reason}
    data = answer(here, "POST", f"/cases/{case_id}/events/{event}/amendment", as_, json=body)
    emit(data, as_json, lambda d: console.print(f"case {case_id}: event {event} corrected"))


@app.command("plan")
def plan(case_id: int = typer.Argument(..., metavar="CASE"), as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Plan this half-term's reviews, visits and TIG meetings for one case now."""

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.plan_case(viewer, case_id)

    emit(answer(here, "POST", f"/cases/{case_id}/plan", as_), as_json, lambda d: console.print(f"case {case_id}: half-term planned"))


@app.command("undo")
def undo(
    case_id: int = typer.Argument(..., metavar="CASE"),
    reason: str = typer.Option(..., help="Why the action was taken in error (kept in the audit log)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Undo the case's latest action, taken in error: its stage and deadlines as they were (a senior officer)."""

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.undo_action(viewer, case_id, reason)

    data = answer(here, "POST", f"/cases/{case_id}/undo", as_, json={"reason": reason})
    emit(data, as_json, lambda d: console.print(f"case {case_id}: the latest action was undone; stage '{d['stage']}'"))


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

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.reopen_case(viewer, case_id, reason, day)

    data = answer(here, "POST", f"/cases/{case_id}/reopen", as_, json={"reason": reason, "on": day.isoformat()})
    emit(data, as_json, lambda d: console.print(
        f"reopened intervention for {d['school']['name']} ({d['school']['urn']}) as case {d['id']}, "
        f"linked to case {d['reopened_from']}, at '{d['stage']}' under {d['playbook']} {d['playbook_version']}"))


@app.command("actions")
def actions(case_id: int = typer.Argument(..., metavar="CASE"), as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """The actions that may be taken now, with their fields and each choice's options; then
    those open from the stage but blocked now, with the reason (a guard, or a role the
    playbook does not give the person acting)."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        stage, choices = reading.actions(viewer, case_id)
        return {"id": case_id, "stage": stage, "actions": [c for c in choices if c.blocked is None],
                "blocked": [c for c in choices if c.blocked is not None]}

    data = answer(here, "GET", f"/cases/{case_id}/actions", as_)

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
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply one playbook action to a case (runs as the apply-action flow).

    The person acting is --as EMAIL, else SCC_USER, else the one lead on record.
    """
    fields, day = parse_sets(set_), parse_date(on)

    def here(viewer: Any) -> Any:
        from models.services.case_changes import check_action

        check_action(viewer, case_id, action, fields, day)  # a mistake is refused before Prefect is even imported here
        from flows import case_flows

        outcome = case_flows.take_action(viewer, case_id, action, fields, day)
        return {**outcome.case.model_dump(mode="json"), "applied": outcome.applied.model_dump(mode="json")}

    data = answer(here, "POST", f"/cases/{case_id}/actions/{action}", as_, json={"fields": fields, "on": day.isoformat()})

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
def show(case_id: int = typer.Argument(..., metavar="CASE"), as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Stage, school, playbook and version, events, and deadlines with how each was counted."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.case(viewer, case_id)

    data = answer(here, "GET", f"/cases/{case_id}", as_)

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
def list_(stage: Optional[str] = typer.Option(None, help="Only cases at this stage"), as_: Optional[str] = AS_OPTION,
          as_json: bool = JSON_OPTION, csv_path: Optional[Path] = CSV_OPTION, xlsx_path: Optional[Path] = XLSX_OPTION) -> None:
    """Every case the person acting may see, newest first (--csv/--xlsx: to a file for the committee)."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.cases(viewer, reading.CaseQuery(stage=stage))

    data = answer(here, "GET", "/cases", as_, params={"stage": stage} if stage else {})
    if csv_path or xlsx_path:
        from models.schemas import CaseRow
        from models.services.exports import case_table

        export(case_table([CaseRow.model_validate(r) for r in data]), csv_path, xlsx_path)
        return
    emit(data, as_json, lambda rows: table(f"{len(rows)} cases", ["Case", "School", "URN", "Stage", "Since", "Lead"],
                                           [[r["id"], r["school"], r["urn"], r["stage"], r["stage_since"], r["lead"]] for r in rows]))


def deadlines(
    until: Optional[str] = typer.Option(None, help="Only deadlines due on or before this date"),
    all_: bool = typer.Option(False, "--all", help="Include met and cancelled deadlines"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
    csv_path: Optional[Path] = CSV_OPTION,
    xlsx_path: Optional[Path] = XLSX_OPTION,
) -> None:
    """Deadlines of every case the person acting may see, soonest first (open and overdue unless --all; --csv/--xlsx: to a file)."""
    day = parse_date(until, "--until") if until else None

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.deadlines(viewer, day, include_closed=all_)

    params = {**({"until": day.isoformat()} if day else {}), **({"include_closed": "true"} if all_ else {})}
    data = answer(here, "GET", "/deadlines", as_, params=params)
    if csv_path or xlsx_path:
        from models.schemas import DeadlineView
        from models.services.exports import deadline_table

        export(deadline_table([DeadlineView.model_validate(r) for r in data]), csv_path, xlsx_path)
        return
    emit(data, as_json, lambda rows: table(f"{len(rows)} deadlines", ["due", "case", "school", "kind", "basis", "status"],
                                           [[r["due"], r["case_id"], r["school"], r["kind"], r["basis"], r["status"]] for r in rows]))


def demo(
    consortium: bool = typer.Option(False, "--consortium", help="Also load a second authority, in Wales, sharing an IP"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Load a demo LA (schools, people, a calendar) and walk several cases through the lifecycle."""

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.load_demo(viewer, consortium)

    report = answer(here, "POST", "/demo", as_, params={"consortium": "true"} if consortium else {})
    def show(r: dict[str, Any]) -> None:
        for line in r["lines"]:
            console.print(line)
    emit(report, as_json, show)


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="The tracker: a .csv or .xlsx whose first row names its columns (see the README)"),
    apply: bool = typer.Option(False, "--apply", help="Open the cases (without it: a dry run that writes nothing)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Move live cases in from a spreadsheet: a dry run lists each row's case and deadlines, --apply opens them."""
    data = read_file(path)

    def here(viewer: Any) -> Any:
        from models.services import administration

        moved = administration.import_tracker if apply else administration.check_tracker
        return moved(viewer, path.name, data)

    rows = answer(here, "POST", "/cases/import", as_, files={"file": (path.name, data)}, params={"apply": "true"} if apply else {})
    emit(rows, as_json, lambda plans: _show_plans(plans, apply))


def _show_plans(plans: list[dict[str, Any]], applied: bool) -> None:
    for plan in plans:
        if plan["refused"]:
            console.print(f"line {plan['line']} ({plan['urn']}): refused: {plan['refused']}")
            continue
        opened = f"opened case {plan['case_id']}" if applied else "would open a case"
        console.print(f"line {plan['line']}: {plan['school']} ({plan['urn']}): {opened} at '{plan['stage_title']}'")
        for deadline in plan["deadlines"]:
            console.print(f"    {deadline['kind']} {deadline['due']}: {deadline['explanation']}")
    refused = sum(1 for p in plans if p["refused"])
    console.print(f"{len(plans) - refused} row(s) to open, {refused} refused" if not applied else f"{len(plans)} case(s) opened")
