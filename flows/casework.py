"""Case operations as flows: open a case, apply a playbook action, generate documents.

Each flow's first task is the change itself — one use case of ``models`` in one
transaction, with the documents the action calls for, so a refused action or a template
that cannot be filled leaves nothing behind. Later tasks only add keyed, idempotent side
effects (outbox rows), safe to retry. Tasks never cache: the same parameters on another
day are another change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.runtime import configure

configure()

from prefect import flow, task  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

__all__ = [
    "apply_action_flow", "generate_document_flow", "load_demo_flow", "open_case_flow", "render_all_flow", "termly_report_flow",
]

@task(name="record-action", cache_policy=NONE, persist_result=False)
def record_action(case_id: int, action: str, fields: dict[str, str], on: date, actor: str | None) -> dict[str, Any]:
    """Decide and write the action, its deadlines and its documents, in one transaction;
    returns what it changed (small: Prefect inspects what passes between tasks)."""
    from models.db.audit import AuditEvent
    from models.services.cases import apply_action, resolve_actor
    from models.db.session import transaction
    from models.services.documents import produce_for_action

    with transaction() as session:
        applied = apply_action(session, case_id, action, fields, on=on, actor_email=actor)
        event = session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        made, untemplated = produce_for_action(session, case_id, applied.documents,
                                               resolve_actor(session, actor, applied.case).email)
        return {
            "action": action,
            "stage": applied.case.stage,
            "deadlines": [{"kind": d.kind, "due": d.due.isoformat(), "basis": d.basis.value, "explanation": d.explanation}
                          for d in applied.deadlines],
            "documents": [{"kind": d.kind, "version": d.version, "path": d.path} for d in made],
            "documents_without_template": untemplated,
            "event": event,
        }


@task(name="notify-case-team", cache_policy=NONE, persist_result=False)
def notify_case_team(case_id: int, applied: dict[str, Any]) -> int:
    """Tell the case's lead and IP what an action changed when it set deadlines."""
    from models.db.session import transaction
    from models.services.notifications import queue_case_update

    with transaction() as session:
        return queue_case_update(session, case_id, applied)


@flow(name="apply-action")
def apply_action_flow(case_id: int, action: str, fields: dict[str, str], on: date, actor: str | None = None) -> dict[str, Any]:
    """One playbook action on one case: record it, then tell the case team. Returns what
    changed; the case itself is read back by the caller (``case_summary``)."""
    applied = record_action(case_id, action, fields, on, actor)
    applied["notified"] = notify_case_team(case_id, applied)
    return applied


@task(name="open-case", cache_policy=NONE, persist_result=False)
def open_case_task(urn: str, reason: str, on: date, actor: str | None, options: dict[str, str | None]) -> dict[str, Any]:
    from models.services.cases import case_summary, open_case, resolve_actor
    from models.db.session import transaction

    with transaction() as session:
        case = open_case(session, urn, reason, on=on, actor=resolve_actor(session, actor), **options)
        return case_summary(session, case)


@flow(name="open-case")
def open_case_flow(urn: str, reason: str, on: date, actor: str | None = None,
                   options: dict[str, str | None] | None = None) -> dict[str, Any]:
    return open_case_task(urn, reason, on, actor, options or {})


@task(name="generate-document", cache_policy=NONE, persist_result=False)
def generate_document(case_id: int, kind: str, actor: str, output: str | None) -> dict[str, Any]:
    from pathlib import Path

    from models.db.session import transaction
    from models.services.documents import document_dict, generate

    with transaction() as session:
        return document_dict(generate(session, case_id, kind, actor, Path(output) if output else None))


@flow(name="generate-document")
def generate_document_flow(case_id: int, kind: str, actor: str = "local-user", output: str | None = None) -> dict[str, Any]:
    return generate_document(case_id, kind, actor, output)


@task(name="generate-documents", cache_policy=NONE, persist_result=False)
def generate_documents(kind: str, stage: str, actor: str, show_progress: bool) -> list[dict[str, Any]]:
    """Every case at the stage in one transaction; a progress bar on the terminal if asked."""
    from contextlib import nullcontext

    from rich.console import Console
    from rich.progress import Progress

    from models.db.session import transaction
    from models.services.documents import document_dict, generate_many

    with transaction() as session, (Progress(console=Console(stderr=True), transient=True) if show_progress
                                    else nullcontext()) as bar:
        task_id = bar.add_task(f"{kind} for cases at '{stage}'", total=None) if bar else None

        def advance(done: int, total: int) -> None:
            if bar is not None and task_id is not None:
                bar.update(task_id, completed=done, total=total)

        return [document_dict(d) for d in generate_many(session, kind, stage, actor, on_progress=advance)]


@flow(name="render-all")
def render_all_flow(kind: str, stage: str, actor: str = "local-user", show_progress: bool = False) -> list[dict[str, Any]]:
    """One kind of document for every case at a stage: one flow, one transaction, all or none."""
    return generate_documents(kind, stage, actor, show_progress)


@task(name="termly-report", cache_policy=NONE, persist_result=False)
def make_termly_report(term: str | None, actor: str, today: date, output: str | None) -> dict[str, Any]:
    from pathlib import Path

    from models.db.session import transaction
    from models.services.documents import document_dict
    from models.services.termly_report import termly_report

    with transaction() as session:
        return document_dict(termly_report(session, term, actor, today, Path(output) if output else None))


@flow(name="termly-report")
def termly_report_flow(term: str | None, today: date, actor: str = "local-user", output: str | None = None) -> dict[str, Any]:
    return make_termly_report(term, actor, today, output)


@task(name="load-demo", cache_policy=NONE, persist_result=False)
def load_demo(today: date) -> dict[str, Any]:
    from models.db.session import transaction
    from models.services.demo import run_demo

    with transaction() as session:
        return run_demo(session, today=today)


@flow(name="load-demo")
def load_demo_flow(today: date) -> dict[str, Any]:
    return load_demo(today)
