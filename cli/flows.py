"""``scc flows run``, ``scc serve`` and ``scc deploy``: the product running by itself.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION, parse_date
from cli.output import JSON_OPTION, console, emit
from flows.schedules import Recurring

app = typer.Typer(no_args_is_help=True)


@app.command("run")
def run_now(
    name: str = typer.Argument(..., help="plan_half_term, deadline_sweep or send_notifications"),
    on: Optional[str] = typer.Option(None, help="Run as if on this date (default today); send_notifications sends what is due now"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run a recurring flow now."""
    day = parse_date(on)

    def here(viewer: Any) -> Any:
        from flows.catalog import run_recurring

        return run_recurring(viewer, name, day)

    report: dict[str, Any] = answer(here, "POST", f"/flows/{name}/runs", as_, params={"on": day.isoformat()})

    def show(r: dict[str, Any]) -> None:
        if name == "plan_half_term":
            console.print(f"planned {r['deadlines_added']} deadlines for {len(r['planned'])} cases as of {r['on']}")
            for case_id, why in r["refused"].items():
                console.print(f"  case {case_id} not planned: {why}")
        elif name == "deadline_sweep":
            console.print(f"swept as of {r['on']}: {r['overdue']} newly overdue, {len(r['alerts_raised'])} alerts raised, "
                          f"{r['alerts_resolved']} resolved, {r['reminders_queued']} reminders and {r['digests_queued']} "
                          f"digests queued; sent {r['sent']['sent']}, deferred {r['sent']['deferred']}")
            for alert in r["alerts_raised"]:
                console.print(f"  case {alert['case_id']}: {alert['alert']} → {', '.join(alert['to'])}")
            if r["sent"]["error"]:
                console.print(f"  {r['sent']['error']}: reminders stay queued and are retried")
        else:
            console.print(f"sent {r['sent']}, deferred {r['deferred']}, failed {r['failed']}")
            if r["error"]:
                console.print(f"  {r['error']}: notifications stay queued and are retried")
    emit(report, as_json, show)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address the web pages and the API listen on"),
    port: int = typer.Option(8000, min=1, max=65535, help="Port of the web pages and the API"),
    prefect_server: bool = typer.Option(True, "--prefect-server/--no-prefect-server",
                                        help="Also run a local Prefect server (UI and fast scc commands) unless PREFECT_API_URL names one"),
    scheduler: bool = typer.Option(True, "--scheduler/--no-scheduler",
                                   help="Also run the scheduler; --no-scheduler: a web replica beside the one that does"),
) -> None:
    """Run everything in one process until stopped (Ctrl-C): the web pages and the REST API,
    the embedded scheduler (recurring flows and every deadline's reminders) and a local
    Prefect server. GET /healthz answers once all of it is up.

    Refused while another `scc serve` runs its scheduler on the same database. With
    --no-scheduler it runs the web pages and the API only, as one of several replicas behind a
    load balancer: any replica serves any request (sessions, sign-in failures and CSRF keys live
    in the database and the data folder).
    """
    from server.process import serve as run_server
    from server.process import serve_replica

    if scheduler:
        run_server(host, port, prefect_server, say=console.print)
    else:
        serve_replica(host, port, say=console.print)


def deploy(
    pool: str = typer.Option("scc-casework", "--pool", help="The Prefect work pool (a process pool, created if missing)"),
    plan_cron: Optional[str] = typer.Option(None, "--plan-cron", help="When plan_half_term runs (cron, London time; default 0 6 * * *)"),
    sweep_cron: Optional[str] = typer.Option(None, "--sweep-cron", help="When deadline_sweep runs (cron, London time; default 30 6 * * *)"),
    send_every: Optional[int] = typer.Option(None, "--send-every", min=1, help="Minutes between send_notifications runs (default 1)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Register the recurring flows as deployments on the Prefect server at PREFECT_API_URL."""
    from flows.deployments import deploy_recurring

    given = (Recurring("plan-half-term", cron=plan_cron) if plan_cron else None,
             Recurring("deadline-sweep", cron=sweep_cron) if sweep_cron else None,
             Recurring("send-notifications", every_minutes=send_every) if send_every else None)
    made = deploy_recurring(pool, {r.flow: r for r in given if r is not None})

    def show(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            console.print(f"deployed {row['deployment']} ({row['schedule']}) in pool {pool}")
        console.print(f"start workers with: prefect worker start --pool {pool}")
    emit(made, as_json, show)
