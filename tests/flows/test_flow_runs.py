"""Every case operation is a flow run, with its tasks, in Prefect."""

from __future__ import annotations

from tests.cli.support import NOTICE, advance, open_case
from tests.conftest import Scc, dump


def _runs(flow_name: str) -> list:
    """The newest runs of a flow. Newest by expected start, not by id: run ids are random, so
    once the session's harness holds more than the limit, a new run could sort past it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
                                     sort=FlowRunSort.EXPECTED_START_TIME_DESC, limit=200)


def _task_names(run_id: object) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])),
                                      sort=TaskRunSort.ID_DESC, limit=50)
    return sorted(t.name.rsplit("-", 1)[0] for t in tasks if t.state and t.state.is_completed())


def test_an_action_through_its_flow_writes_the_records_and_a_flow_run(la: Scc) -> None:
    case = open_case(la)
    before = {r.id for r in _runs("apply-action")}
    shown = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    # The records a lead relies on: stage, deadlines, the notice's letter, the audit event.
    assert shown["stage"] == "warning_notice"
    assert {d["kind"]: d["due"] for d in shown["deadlines"]} == {
        "compliance_period_end": "2027-01-05", "powers_window_end": "2027-03-05"}
    assert [d["kind"] for d in shown["applied"]["documents"]] == ["warning_notice"]
    assert [e["action"] for e in shown["events"][-2:]] == ["issue_warning_notice", "document_generated"]
    assert la.json("case", "show", str(case))["deadlines"] == shown["deadlines"]
    (run,) = [r for r in _runs("apply-action") if r.id not in before]
    assert run.state is not None and run.state.is_completed()
    assert run.parameters["action"] == "issue_warning_notice" and run.parameters["case_id"] == case
    # One task, one transaction: the case team's email is queued with the action or not at all.
    assert _task_names(run.id) == ["take-action"]
    updates = [n for n in la.json("outbox", "list") if n["kind"] == "case_update"]
    assert shown["applied"]["notified"] == len(updates) >= 1


def test_a_refused_action_is_refused_before_any_flow_starts(la: Scc, refused, db_url: str) -> None:
    case = open_case(la, "100003")  # an academy
    before = {r.id for r in _runs("apply-action")}
    written = dump(db_url)
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-01",
                      *sum((["--set", s] for s in NOTICE), []))
    assert "cannot give a warning notice to an academy" in message
    assert [r for r in _runs("apply-action") if r.id not in before] == []  # no flow run, nothing written
    assert dump(db_url) == written


def test_recurring_flows_are_one_run_over_the_whole_caseload(la: Scc) -> None:
    for urn in ("100001", "100002", "100004"):
        advance(la, open_case(la, urn, on="2026-09-01"), "start_diagnosis", "2026-09-01")
    before = {r.id for r in _runs("plan-half-term")}
    report = la.json("flows", "run", "plan_half_term", "--on", "2026-09-02")
    assert len(report["planned"]) == 3
    assert len([r for r in _runs("plan-half-term") if r.id not in before]) == 1
