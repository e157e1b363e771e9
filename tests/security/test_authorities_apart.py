"""Authorities of one installation kept apart: a member of one sees nothing of another's.

The canary of ``test_visibility`` is planted in every kind of record of a case of the first
authority, and also in its school's record and in the name of a head of it; then a second
authority joins the installation (a consortium), with a lead and a senior officer of its own
only. Every GET route of the application, listed from the app itself, is visited as each of
them through the pages (their session) and the API (their token), with the first
authority's own ids: the canary appears in none of them, nor in any letter or spreadsheet
they can download. The IP who works for both sees it."""

from __future__ import annotations

import re

import httpx
from starlette.routing import Route

from models.services import administration, reading
from models.services.access import terminal_viewer
from server.app import create_app
from tests.cli.support import LEAD, SENIOR
from tests.conftest import PASSWORD, Scc, bearer
from tests.security.support import signed_in
from tests.security.test_visibility import CANARY, _plant, _text

SECOND_LEAD = "lead@second.example.gov.wales"
SECOND_SENIOR = "senior@second.example.gov.wales"


def _second_authority(la: Scc) -> dict[str, str]:
    """A second authority beside the first, with a lead and a senior officer of its own, a
    school, and a case; the first authority's senior officer runs both."""
    senior = terminal_viewer(SENIOR)
    administration.change_authority(senior, reading.authorities(senior)[0].code, {"la_code": "998"})
    administration.add_authority(senior, "second", "Second County Council", la_code="699", playbook="wales", calendar="glanmor")
    for name, email, role in (("Bea Lead", SECOND_LEAD, "lead"), ("Sol Senior", SECOND_SENIOR, "senior")):
        administration.add_person(terminal_viewer(SENIOR), name, email, role, authority=["second"])
    tokens = {}
    for email in (SECOND_LEAD, SECOND_SENIOR):
        administration.set_password(terminal_viewer(SENIOR), email, PASSWORD)
        tokens[email] = administration.create_token(terminal_viewer(SENIOR), email)[1]
    la("school", "add", "--urn", "200001", "--name", "Ysgol y Bryn", "--type", "community", "--phase", "Primary",
       "--la", "Second", "--la-code", "699", "--as", SENIOR)
    la("case", "open", "200001", "--reason", "Standards falling", "--on", "2026-09-14", "--lead", SECOND_LEAD, "--as", SECOND_LEAD)
    return tokens


def test_no_route_shows_a_member_of_another_authority_anything_of_this_one(server: str, staff: dict[str, str], la: Scc) -> None:
    ids = _plant(la)
    la("school", "record", ids["urn"], "--trust", f"{CANARY} trust", "--as", SENIOR)
    la("person", "add", "--name", f"{CANARY} head", "--email", "canary.head@brook.example.sch.uk", "--role", "head", "--as", SENIOR)
    tokens = _second_authority(la)
    feed = administration.subscribe(terminal_viewer(SECOND_LEAD), SECOND_LEAD)
    ids["token"] = feed
    routes = [r for r in create_app("x").routes if isinstance(r, Route) and "GET" in (r.methods or ())
              and not r.path.startswith("/sign-in/sso")]
    assert len(routes) >= 30
    assert CANARY in signed_in(server, SENIOR).get(f"/cases/{ids['case_id']}").text  # planted where the first authority reads it
    for email in (SECOND_LEAD, SECOND_SENIOR):
        pages, api = signed_in(server, email), httpx.Client(base_url=server, headers=bearer(tokens[email]), timeout=60)
        visited = []
        for route in routes:
            names = re.findall(r"{(\w+)}", route.path)
            path = re.sub(r"{(\w+)}", lambda m: ids[m.group(1)], route.path)
            assert all(n in ids for n in names), f"{route.path}: the test does not know how to fill it: add it to _plant"
            client = api if path.startswith("/api/") else pages
            for query in ("", f"?q={CANARY[:12]}", "?term=Autumn+2026"):
                answer = client.get(path + query)
                assert CANARY not in _text(answer), f"{path}{query} ({answer.status_code}) shows the canary to {email}"
                assert "Brook Foundation" not in _text(answer), f"{path}{query} names the first authority's school to {email}"
                visited.append((path, answer.status_code))
        assert (f"/cases/{ids['case_id']}", 404) in visited and (f"/documents/{ids['document_id']}", 404) in visited
        assert (f"/schools/{ids['urn']}", 404) in visited
        assert "Ysgol y Bryn" in pages.get("/cases").text  # their own authority's case is there


def test_a_person_sees_the_schools_people_and_cases_of_their_own_authorities_only(la: Scc) -> None:
    _second_authority(la)
    first_lead, second_lead, senior = terminal_viewer(LEAD), terminal_viewer(SECOND_LEAD), terminal_viewer(SENIOR)
    assert {s.urn for s in reading.schools(second_lead)} == {"200001"}
    assert "200001" not in {s.urn for s in reading.schools(first_lead)}
    assert {s.urn for s in reading.schools(senior)} >= {"100001", "200001"}
    assert {p.email for p in reading.people(second_lead)} == {SECOND_LEAD, SECOND_SENIOR, SENIOR}
    assert SECOND_LEAD not in {p.email for p in reading.people(first_lead)}
    assert [a.code for a in reading.authorities(second_lead)] == ["second"]
    assert [r.school for r in reading.cases(second_lead, reading.CaseQuery())] == ["Ysgol y Bryn"]
    assert reading.cases(first_lead, reading.CaseQuery()) == []
    assert [(r.school, r.authority) for r in reading.cases(senior, reading.CaseQuery())] == [("Ysgol y Bryn", "Second County Council")]
