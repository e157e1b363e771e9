"""Case operations as flows: open a case, apply a playbook action, generate documents.

Each task is one use case of ``models.services`` in one transaction, so a refused action
or a template that cannot be filled leaves nothing behind. Tasks never cache: the same
parameters on another day are another change. Import through ``flows.runtime``, which
configures Prefect before it is imported.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.runtime import untagged
from models.schemas import ActionOutcome, CaseSummary, DocumentView

__all__ = [
    "apply_action_flow", "generate_document_flow", "load_demo_flow", "open_case_flow", "render_all_flow", "termly_report_flow",
]


@task(name="take-action", cache_policy=NONE, persist_result=False)
def take_action_task(case_id: int, action: str, fields: dict[str, str], on: date, actor: str | None) -> ActionOutcome:
    """The whole action in one transaction: decision, records, deadlines, letters and the
    case team's email are kept together or not at all; the case is read back in it."""
    from models.db.session import transaction
    from models.services.cases import take_action
    from models.services.views import case_summary

    with transaction() as session:
        applied = take_action(session, case_id, action, fields, on=on, actor_email=actor)
        return ActionOutcome(case=case_summary(session, case_id), applied=applied)


@flow(name="apply-action")
def apply_action_flow(case_id: int, action: str, fields: dict[str, str], on: date, actor: str | None = None) -> ActionOutcome:
    """One playbook action on one case."""
    with untagged():
        return take_action_task(case_id, action, fields, on, actor)


@task(name="open-case", cache_policy=NONE, persist_result=False)
def open_case_task(urn: str, reason: str, on: date, actor: str | None, options: dict[str, str | None]) -> CaseSummary:
    from models.db.session import transaction
    from models.services.cases import open_case, resolve_actor
    from models.services.views import case_summary

    with transaction() as session:
        case = open_case(session, urn, reason, on=on, actor=resolve_actor(session, actor), **options)
        return case_summary(session, case.id)


@flow(name="open-case")
def open_case_flow(urn: str, reason: str, on: date, actor: str | None = None,
                   options: dict[str, str | None] | None = None) -> CaseSummary:
    with untagged():
        return open_case_task(urn, reason, on, actor, options or {})


@task(name="generate-document", cache_policy=NONE, persist_result=False)
def generate_document(case_id: int, kind: str, actor: str, output: str | None) -> DocumentView:
    from pathlib import Path

    from models.db.installation import data_root
    from models.db.session import transaction
    from models.services.documents import generate
    from models.services.views import document_view

    with transaction() as session:
        return document_view(generate(session, case_id, kind, actor, Path(output) if output else None), data_root(session))


@flow(name="generate-document")
def generate_document_flow(case_id: int, kind: str, actor: str, output: str | None = None) -> DocumentView:
    with untagged():
        return generate_document(case_id, kind, actor, output)


@task(name="generate-documents", cache_policy=NONE, persist_result=False)
def generate_documents(kind: str, stage: str, actor: str) -> list[DocumentView]:
    """Every case at the stage in one transaction."""
    from models.db.installation import data_root
    from models.db.session import transaction
    from models.services.documents import generate_many
    from models.services.views import document_view

    with transaction() as session:
        return [document_view(d, data_root(session)) for d in generate_many(session, kind, stage, actor)]


@flow(name="render-all")
def render_all_flow(kind: str, stage: str, actor: str) -> list[DocumentView]:
    """One kind of document for every case at a stage: one flow, one transaction, all or none."""
    with untagged():
        return generate_documents(kind, stage, actor)


@task(name="termly-report", cache_policy=NONE, persist_result=False)
def make_termly_report(term: str | None, actor: str, today: date, output: str | None) -> DocumentView:
    from pathlib import Path

    from models.db.installation import data_root
    from models.db.session import transaction
    from models.services.termly_report import termly_report
    from models.services.views import document_view

    with transaction() as session:
        return document_view(termly_report(session, term, actor, today, Path(output) if output else None), data_root(session))


@flow(name="termly-report")
def termly_report_flow(term: str | None, today: date, actor: str, output: str | None = None) -> DocumentView:
    with untagged():
        return make_termly_report(term, actor, today, output)


@task(name="load-demo", cache_policy=NONE, persist_result=False)
def load_demo(today: date) -> dict[str, Any]:
    from models.db.session import transaction
    from models.services.demo import run_demo

    with transaction() as session:
        return run_demo(session, today=today)


@flow(name="load-demo")
def load_demo_flow(today: date) -> dict[str, Any]:
    with untagged():
        return load_demo(today)
