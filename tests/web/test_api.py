"""Every endpoint of ``/api/v1`` against the running app: success, 401 without a valid
token, 404 for a case the token's person may not see, and 422 with nothing written."""

from __future__ import annotations

import io

import docx
import httpx

from tests.cli.support import IP, LEAD, NOTICE, open_case
from tests.conftest import Scc, dump
from tests.web.conftest import OTHER_IP, bearer

NOTICE_FIELDS = dict(pair.split("=", 1) for pair in NOTICE)


def test_without_a_valid_token_every_endpoint_is_401(server: str, staff: dict[str, str], la: Scc) -> None:
    for method, path in [("GET", "/api/v1/cases"), ("POST", "/api/v1/cases"), ("GET", "/api/v1/cases/1"),
                         ("GET", "/api/v1/cases/1/actions"), ("POST", "/api/v1/cases/1/actions/start_diagnosis"),
                         ("GET", "/api/v1/cases/1/documents"), ("GET", "/api/v1/documents/1"), ("GET", "/api/v1/deadlines"),
                         ("GET", "/api/v1/schools"), ("POST", "/api/v1/schools/import")]:
        for headers in ({}, bearer("scc_not-a-token"), {"Authorization": "Basic bGVhZDpwYXNz"}):
            answer = httpx.request(method, server + path, headers=headers)
            assert answer.status_code == 401, (method, path, answer.text)
            assert "valid API token" in answer.json()["detail"]


def test_the_api_is_described_by_openapi(server: str) -> None:
    described = httpx.get(server + "/openapi.json").json()
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}/actions/{action}", "/api/v1/documents/{document_id}",
            "/api/v1/deadlines", "/api/v1/schools/import"} <= set(described["paths"])
    assert not any(path.startswith(("/cases", "/sign-in")) for path in described["paths"])  # the pages are not API


def test_a_lead_runs_a_case_through_the_api(server: str, staff: dict[str, str], la: Scc) -> None:
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    opened = api.post("/cases", json={"urn": "100001", "reason": "Outcomes below floor", "on": "2026-09-14", "lead": LEAD})
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert case["stage"] == "concern_raised" and case["school"]["name"] == "Oak Primary" and case["ip"] == IP
    assert api.get(f"/cases/{case['id']}").json() == la.json("case", "show", str(case["id"]))
    offered = api.get(f"/cases/{case['id']}/actions").json()
    notice = next(a for a in offered["actions"] if a["action"] == "issue_warning_notice")
    assert {f["name"] for f in notice["fields"]} >= set(NOTICE_FIELDS)
    taken = api.post(f"/cases/{case['id']}/actions/issue_warning_notice", json={"fields": NOTICE_FIELDS, "on": "2026-10-05"})
    assert taken.status_code == 200, taken.text
    assert taken.json()["stage"] == "warning_notice"
    assert [d["kind"] for d in taken.json()["applied"]["deadlines"]] == ["compliance_period_end", "powers_window_end"]
    assert [c["id"] for c in api.get("/cases", params={"stage": "warning_notice"}).json()] == [case["id"]]
    assert api.get("/cases", params={"overdue": "true"}).json()[0]["overdue"] >= 1  # the suite's today is 2027-09-30
    (letter,) = api.get(f"/cases/{case['id']}/documents").json()
    got = api.get(f"/documents/{letter['id']}")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f'filename="case-{case["id"]}-warning_notice-v1.docx"' in got.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs)
    assert "Oak Primary" in text and "Standards fell" in text
    due = api.get("/deadlines", params={"until": "2026-12-31"}).json()
    assert [d["kind"] for d in due] == ["compliance_period_end", "powers_window_end"]


def test_a_refused_action_is_422_in_one_line_and_writes_nothing(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    before = dump(db_url)
    for body, expected in [
        ({"fields": {k: v for k, v in NOTICE_FIELDS.items() if k != "reasons"}, "on": "2026-10-05"}, "needs the field(s) reasons"),
        ({"fields": {**NOTICE_FIELDS, "compliance_days": "ten"}, "on": "2026-10-05"}, "compliance_days"),
        ({"fields": NOTICE_FIELDS, "on": "2030-01-01"}, "after today"),
        ({"fields": NOTICE_FIELDS, "on": "01/10/2026"}, "on"),
    ]:
        answer = api.post(f"/cases/{case}/actions/issue_warning_notice", json=body)
        assert answer.status_code == 422, answer.text
        detail = answer.json()["detail"]
        assert expected in detail and "\n" not in detail and "Traceback" not in detail
    assert api.post(f"/cases/{case}/actions/close_case", json={"fields": {}}).status_code == 422
    assert api.post("/cases", json={"urn": "999999", "reason": "x"}).status_code == 404
    assert dump(db_url) == before


def test_an_ip_sees_and_acts_only_on_their_own_cases(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    mine = open_case(la)  # Oak Primary: its IP is IP
    la("school", "assign", "100004", "--ip", OTHER_IP, "--as", LEAD)
    theirs = open_case(la, urn="100004")
    la("doc", "render", str(theirs), "tig_agenda", "--as", LEAD)
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[IP]), timeout=60)
    assert [c["id"] for c in api.get("/cases").json()] == [mine]
    before = dump(db_url)
    for method, path in [("GET", f"/cases/{theirs}"), ("GET", f"/cases/{theirs}/actions"), ("GET", f"/cases/{theirs}/documents"),
                         ("POST", f"/cases/{theirs}/actions/start_diagnosis"), ("GET", "/documents/1")]:
        answer = api.request(method, path, json={"fields": {}} if method == "POST" else None)
        assert answer.status_code == 404, (path, answer.text)
    assert dump(db_url) == before
    refused = api.post("/cases", json={"urn": "100002", "reason": "x"})
    assert refused.status_code == 403 and refused.json()["detail"].startswith("an IP cannot open a case: ask a lead")
    upload = api.post("/schools/import", files={"file": ("gias.csv", b"URN\n", "text/csv")})
    assert upload.status_code == 403 and "cannot add or import schools" in upload.json()["detail"]
    assert all(d["case_id"] == mine for d in api.get("/deadlines").json())


def test_schools_are_listed_and_imported_and_a_token_can_be_revoked(server: str, staff: dict[str, str], la: Scc) -> None:
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    assert {s["urn"] for s in api.get("/schools").json()} == {"100001", "100002", "100003", "100004"}
    gias = (b"URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name)\n"
            b"123456,Elm Primary,Community school,Primary,Riverford\n")
    answer = api.post("/schools/import", files={"file": ("gias.csv", gias, "text/csv")})
    assert answer.status_code == 200 and answer.json() == {"added": 1, "updated": 0}
    refused = api.post("/schools/import", files={"file": ("gias.xlsx", b"PK\x03\x04", "application/octet-stream")})
    assert refused.status_code == 422 and "not a CSV file" in refused.json()["detail"]
    assert api.post("/schools/import", files={"file": ("gias.csv", b"URN\n1\n", "text/csv")}).status_code == 422
    la("token", "revoke", "1", "--as", LEAD)
    assert api.get("/schools").status_code == 401


def test_a_school_s_trust_diocesan_authority_and_calendar_are_recorded_through_the_api(
        server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    before = dump(db_url)
    for body, status, expected in [
        ({"calendar": "atlantis"}, 404, "no calendar 'atlantis'"),
        ({"trust": "Hill\u202eTrust"}, 422, "the trust"),
        ({"name": "Renamed"}, 422, "name"),
    ]:
        answer = api.patch("/schools/100002", json=body)
        assert answer.status_code == status, answer.text
        assert expected in answer.text and "Traceback" not in answer.text
    assert dump(db_url) == before
    ip = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[IP]), timeout=60)
    assert ip.patch("/schools/100002", json={"diocesan_authority": "x"}).status_code == 403
    shown = api.patch("/schools/100002", json={"diocesan_authority": "Riverford Diocesan Board of Education", "calendar": "riverford"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["diocesan_authority"] == "Riverford Diocesan Board of Education" and shown.json()["calendar"] == "riverford"
    assert api.patch("/schools/100002", json={"diocesan_authority": ""}).json()["diocesan_authority"] == (
        "The Diocesan Board of Education for the Diocese of Riverford")  # cleared: named from the diocese again


def test_a_letter_is_read_edited_and_issued_through_the_api(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    taken = api.post(f"/cases/{case}/actions/issue_warning_notice", json={"on": "2026-12-10", "fields": NOTICE_FIELDS})
    assert taken.status_code == 200, taken.text
    (letter,) = api.get(f"/cases/{case}/documents").json()
    shown = api.get(f"/letters/{letter['id']}").json()
    assert shown["document"]["status"] == "draft" and "to be sent when this notice is issued" in shown["html"]
    edited = api.patch(f"/letters/{letter['id']}", json={"text": {"required_action": "Appoint a reading lead"}})
    assert edited.status_code == 200 and "Appoint a reading lead" in edited.json()["html"]
    before = dump(db_url)
    refused = api.post(f"/letters/{letter['id']}/issue", json={"on": "2026-12-10", "send": {"chair": {"method": "post"}}})
    assert refused.status_code == 422 and "say how Hana Head is sent the letter" in refused.json()["detail"]
    assert dump(db_url) == before
    send = {role: {"method": "post"} for role in ("chair", "head", "chief_inspector", "secretary_of_state")}
    issued = api.post(f"/letters/{letter['id']}/issue", json={"on": "2026-12-10", "send": send})
    assert issued.status_code == 200, issued.text
    assert "Hana Head, Head Teacher: sent by post on Thursday 10 December 2026" in issued.json()["html"]
    fixed = api.patch(f"/letters/{letter['id']}", json={"text": {"reasons": "x"}})
    assert fixed.status_code == 422 and "an issued letter cannot be changed" in fixed.json()["detail"]
    ip = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[IP]), timeout=60)
    assert ip.post(f"/letters/{letter['id']}/issue", json={"on": "2026-12-10", "send": send}).status_code == 403


def test_an_action_is_corrected_through_the_api(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    api.post(f"/cases/{case}/actions/record_inspection_category",
             json={"on": "2026-10-05", "fields": {"category": "special_measures", "report_published_on": "2026-10-02"}})
    seq = max(e["seq"] for e in api.get(f"/cases/{case}").json()["events"] if e["action"] == "record_inspection_category")
    recorded = api.get(f"/cases/{case}/events/{seq}").json()
    assert recorded["values"] == {"category": "special_measures", "report_published_on": "2026-10-02"}
    before = dump(db_url)
    refused = api.post(f"/cases/{case}/events/{seq}/amendment", json={"fields": {"category": "special_measures"}, "reason": "r"})
    assert refused.status_code == 422 and "already says that" in refused.json()["detail"]
    assert dump(db_url) == before
    amended = api.post(f"/cases/{case}/events/{seq}/amendment",
                       json={"fields": {"category": "serious_weaknesses"}, "reason": "the report says serious weaknesses"})
    assert amended.status_code == 200, amended.text
    assert [c["value"] for c in amended.json()["classifications"] if c["scheme"] == "inspection"] == ["serious_weaknesses"]
