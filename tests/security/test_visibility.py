"""One visibility rule: what the case page hides from an IP stays hidden everywhere.

A canary string is planted in every kind of record of a case the IP does not support (its
reason, a concern, each action's fields, a priority, a review, a meeting, a visit, two
classifications with evidence and dissent, its letters and its reminders), then every GET
route of the application, listed from the app itself so that a new route is covered the day
it is added, is visited as that IP through the pages (their session) and the API (their
token), with the case's, the letter's and the school's own ids, and as their calendar feed.
The canary must appear in none of them, nor in any letter they can download."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import docx
import httpx
import openpyxl
from starlette.routing import Route

from models.services import administration, reading
from models.services.access import terminal_viewer
from server.app import create_app
from tests.cli.support import IP, LEAD, SENIOR, advance
from tests.conftest import Scc, bearer
from tests.security.support import signed_in

CANARY = "canary-7f3a-confidential"


def _plant(la: Scc) -> dict[str, str]:
    """A case at Brook Foundation (no IP of theirs) holding the canary everywhere."""
    case = la.json("case", "open", "100004", "--reason", f"{CANARY} opening reason", "--on", "2026-09-14", "--lead", LEAD)["id"]
    c = CANARY
    advance(la, case, "record_concern", "2026-09-14", "source=governance", f"detail={c} concern")
    advance(la, case, "start_diagnosis", "2026-09-15", f"method={c} review day")
    advance(la, case, "conclude_diagnosis", "2026-09-21", "level=LA4b", f"reasons={c} reasons", f"dissent={c} dissent")
    advance(la, case, "add_priority", "2026-09-22", f"title={c} priority", f"success_criteria={c} criteria", f"lead={c} lead",
            "target_on=2027-03-01", f"resources={c} resources")
    advance(la, case, "record_tig_meeting", "2026-09-23", f"attendees={c} attendees", f"notes={c} notes")
    advance(la, case, "record_monitoring_visit", "2026-09-24", f"focus={c} focus", f"notes={c} visit", actor=LEAD)
    advance(la, case, "record_progress_review", "2026-09-25", "rag.1=red", f"reason.1={c} red", f"next_steps={c} steps")
    advance(la, case, "record_classification", "2026-09-28", "scheme=support_level", f"value={c} level",
            f"evidence={c} evidence", f"dissent={c} disagrees")
    made = la.json("doc", "render", str(case), "tig_agenda", "--as", LEAD)
    la("case", "note", str(case), "--text", f"{c} note", "--as", LEAD)
    evidence = Path(tempfile.mkdtemp()) / "minutes.pdf"
    evidence.write_bytes(f"%PDF-1.4\n{c} minutes\n%%EOF\n".encode())
    la("case", "attach", str(case), str(evidence), "--description", f"{c} description", "--as", LEAD)
    shown = la.json("case", "show", str(case))
    return {"case_id": str(case), "document_id": str(made["id"]), "urn": "100004", "email": IP, "action": "add_priority",
            "number": "1", "meeting_id": str(shown["meetings"][0]["id"]), "evidence_id": str(shown["evidence"][0]["id"]),
            "what": "cases", "form": "xlsx",
            "seq": str(max(e["seq"] for e in shown["events"] if e["action"] == "record_progress_review")),
            "classification_id": str(next(c["id"] for c in shown["classifications"] if c["case_id"] == case))}


def _text(answer: httpx.Response) -> str:
    if answer.content[:2] == b"PK" and b"xl/" in answer.content:  # a workbook: its cells, not its zipped bytes
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    if answer.content[:2] == b"PK":  # a letter: its words, not its zipped bytes
        return "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    return answer.text


def test_no_route_shows_an_ip_anything_of_a_case_they_cannot_see(server: str, staff: dict[str, str], la: Scc) -> None:
    ids = _plant(la)
    lead_sees = signed_in(server, LEAD).get(f"/cases/{ids['case_id']}")
    assert CANARY in lead_sees.text  # planted where the lead can read it
    feed = administration.subscribe(terminal_viewer(IP), IP)
    ids["token"] = feed
    page_ip, api_ip = signed_in(server, IP), httpx.Client(base_url=server, headers=bearer(staff[IP]), timeout=60)
    routes = [r for r in create_app("x").routes if isinstance(r, Route) and "GET" in (r.methods or ())
              and not r.path.startswith("/sign-in/sso")]
    assert len(routes) >= 30
    visited = []
    for route in routes:
        names = re.findall(r"{(\w+)}", route.path)
        missing = [n for n in names if n not in ids]
        assert not missing, f"{route.path}: the test does not know how to fill {missing}: add it to _plant"
        path = re.sub(r"{(\w+)}", lambda m: ids[m.group(1)], route.path)
        client = api_ip if path.startswith("/api/") else page_ip
        for query in ("", f"?q={CANARY[:12]}"):  # a search for it, which echoes only what was typed
            answer = client.get(path + query)
            assert CANARY not in _text(answer), f"{path}{query} ({answer.status_code}) shows the canary to the IP"
            visited.append((path, answer.status_code))
    assert (f"/cases/{ids['case_id']}", 404) in visited and (f"/documents/{ids['document_id']}", 404) in visited
    assert (f"/schools/{ids['urn']}", 200) in visited  # the school is theirs to see; the case's records on it are not


def test_a_classification_on_a_case_an_ip_cannot_see_is_hidden_from_them_on_the_schools_page(la: Scc) -> None:
    ids = _plant(la)
    lead, ip = terminal_viewer(LEAD), terminal_viewer(IP)
    _, _, seen_by_lead = reading.school(lead, ids["urn"])
    assert {c.evidence for c in seen_by_lead} >= {f"{CANARY} evidence"}
    _, cases, seen_by_ip = reading.school(ip, ids["urn"])
    assert cases == [] and seen_by_ip == []
    assert reading.school(terminal_viewer(SENIOR), ids["urn"])[2] == seen_by_lead
