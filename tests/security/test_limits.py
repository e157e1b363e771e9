"""Limits before work: a body too large is refused from its length (or as it arrives), who is
acting is checked before any body is read (401 before 422), numbers and ids are bounded, and
a malformed body is answered 400 with the request id and logged, never a bare 500."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.cli.support import LEAD, open_case
from tests.conftest import Scc, bearer, dump
from tests.security.support import csrf, head_only, signed_in

HUGE = str(150_000_000)


def test_nobody_signed_in_is_refused_before_the_body_is_read(server: str, staff: dict[str, str], la: Scc) -> None:
    status, answer = head_only(server, "POST", "/api/v1/cases", {"Content-Type": "application/json", "Content-Length": "900000"})
    assert status == 401 and "a valid API token is needed" in answer
    status, answer = head_only(server, "POST", "/api/v1/schools/import",
                               {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": "4000000"})
    assert status == 401
    status, answer = head_only(server, "POST", "/schools/import",
                               {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": "4000000"})
    assert status == 303 and "location: /sign-in?next=/schools/import" in answer.lower()


def test_a_body_over_its_limit_is_refused_from_its_length(server: str, staff: dict[str, str], la: Scc) -> None:
    for path, kind in (("/api/v1/cases", "application/json"), ("/api/v1/schools/import", "multipart/form-data; boundary=x")):
        status, answer = head_only(server, "POST", path, {"Content-Type": kind, "Content-Length": HUGE,
                                                         "Authorization": f"Bearer {staff[LEAD]}"})
        assert status == 413 and "larger than" in answer, answer


def test_a_body_without_a_length_is_cut_off_at_its_limit(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    before = dump(db_url)

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"urn": "100001", "reason": "'
        for _ in range(40):
            yield b"x" * 50_000
        yield b'"}'

    answer = httpx.post(server + "/api/v1/cases", content=chunks(), timeout=60,
                        headers={**bearer(staff[LEAD]), "content-type": "application/json"})
    assert answer.status_code == 413 and "larger than 1 MB" in answer.json()["detail"]
    assert dump(db_url) == before


def test_malformed_bodies_are_400_with_the_request_id_and_logged(server: str, staff: dict[str, str], la: Scc, db_url: str,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    case = open_case(la)
    browser = signed_in(server, LEAD)
    token = csrf(browser, "/")
    before = dump(db_url)
    caplog.set_level(logging.WARNING, logger="scc.web.requests")
    bad_utf8 = browser.post(f"/cases/{case}/actions/start_diagnosis", content=b"csrftoken=" + token.encode() + b"&method=\xff\xfe",
                            headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html"})
    no_boundary = browser.post(f"/cases/{case}/actions/start_diagnosis", content=b"--x\r\n",
                               headers={"content-type": "multipart/form-data", "accept": "application/json"})
    json_api = httpx.post(f"{server}/api/v1/cases/{case}/actions/start_diagnosis", content=b'{"fields": {"method": "\xff"}}',
                          headers={**bearer(staff[LEAD]), "content-type": "application/json"})
    for answer in (bad_utf8, no_boundary, json_api):
        assert answer.status_code == 400, (answer.status_code, answer.text[:300])
        assert answer.headers["x-request-id"] in answer.text and "Traceback" not in answer.text
        assert any(answer.headers["x-request-id"] in record.getMessage() for record in caplog.records)
    assert dump(db_url) == before


def test_numbers_beyond_any_record_are_not_found(server: str, staff: dict[str, str], la: Scc) -> None:
    browser = signed_in(server, LEAD)
    api = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]))
    for path in ("/cases/99999999999999999999", "/documents/99999999999999999999", "/cases/-1"):
        assert browser.get(path).status_code in (404, 422), path
        assert api.get(path).status_code in (404, 422), path
    assert browser.get("/cases", params={"page": "99999999999999999999"}).status_code == 404
