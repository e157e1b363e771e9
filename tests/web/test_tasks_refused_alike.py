"""One table of who may do what: each task beyond a case's own actions is refused alike at
the terminal, on the pages and through the API, in the same words, with nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.cli.support import IP, LEAD
from tests.conftest import Scc, dump
from tests.security.support import csrf, signed_in
from tests.web.conftest import bearer

GIAS = ("gias.csv", b"URN,EstablishmentName\n", "text/csv")

# task, who tries it, the words of the refusal, the command, the API request, the page's form (path, fields) or None
TASKS: list[tuple[str, str, str, list[str], tuple[str, str, dict[str, Any]], tuple[str, dict[str, str]] | None]] = [
    ("open a case", IP, "an IP cannot open a case",
     ["case", "open", "100002", "--reason", "falling standards", "--on", "2026-09-14"],
     ("POST", "/cases", {"json": {"urn": "100002", "reason": "falling standards"}}),
     ("/cases/new", {"urn": "100002", "reason": "falling standards"})),
    ("add or import schools", IP, "an IP cannot add or import schools",
     ["school", "add", "--urn", "100009", "--name", "Ash", "--type", "community", "--phase", "Primary", "--la", "Riverford"],
     ("POST", "/schools", {"json": {"urn": "100009", "name": "Ash", "type": "community", "phase": "Primary", "la": "Riverford"}}),
     None),
    ("manage people", LEAD, "a lead cannot add people or change their roles",
     ["person", "add", "--name", "Eve", "--email", "eve@riverford.example.gov.uk", "--role", "ip"],
     ("POST", "/people", {"json": {"name": "Eve", "email": "eve@riverford.example.gov.uk", "role": "ip"}}),
     ("/people", {"name": "Eve", "email": "eve@riverford.example.gov.uk", "role": "ip"})),
    ("see the dashboard and the outbox", IP, "an IP cannot see the dashboard",
     ["outbox", "list"], ("GET", "/notifications", {}), None),
    ("move deadlines to new term dates", LEAD, "a lead cannot move deadlines to changed term dates",
     ["calendar", "apply", "riverford"], ("POST", "/term-dates/riverford/apply", {}), ("/term-dates/riverford/apply", {})),
    ("move cases to a new playbook version", LEAD, "a lead cannot move running cases to a new playbook version",
     ["playbook", "migrate", "england", "--to", "2026.5"], ("POST", "/playbooks/england/migrate", {"params": {"to": "2026.5"}}),
     ("/playbooks/england/migrate", {"to": "2026.5"})),
    ("make the termly report", IP, "an IP cannot make letters for many cases or the termly report",
     ["report", "termly"], ("POST", "/reports/termly", {}), ("/dashboard/termly-report", {"term": ""})),
    ("run the recurring flows", IP, "an IP cannot run the recurring flows",
     ["flows", "run", "deadline_sweep"], ("POST", "/flows/deadline_sweep/runs", {}), None),
    ("manage others' access", LEAD, "a lead cannot set passwords or API tokens for others",
     ["token", "create", IP], ("POST", "/tokens", {"json": {"email": IP}}), None),
]


@pytest.mark.parametrize(("task", "who", "words", "command", "request_", "form"), TASKS, ids=[t[0] for t in TASKS])
def test_a_task_is_refused_alike_everywhere(task: str, who: str, words: str, command: list[str],
                                            request_: tuple[str, str, dict[str, Any]], form: tuple[str, dict[str, str]] | None,
                                            server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    client = signed_in(server, who) if form is not None else None  # signing in is itself audited: before the count
    before = dump(db_url)
    typed = la(*command, "--as", who, ok=False)
    words = words.lower()
    assert typed.exit_code == 1 and typed.stderr.strip().lower().startswith(f"error: {words}"), typed.stderr
    method, path, extra = request_
    answer = httpx.request(method, f"{server}/api/v1{path}", headers=bearer(staff[who]), timeout=60, **extra)
    assert answer.status_code == 403 and answer.json()["detail"].lower().startswith(words), answer.text
    if form is not None and client is not None:
        page = client.post(form[0], data={**form[1], "csrftoken": csrf(client, "/")}, headers={"accept": "text/html"})
        assert page.status_code == 403 and words in page.text.lower(), page.text[:300]
    assert dump(db_url) == before
