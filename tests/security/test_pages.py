"""The pages' defences, over plain HTTP: CSRF on every form, the session cookie's flags,
lock-out after repeated failures, escaping, the security headers, and no stack trace."""

from __future__ import annotations

import re

import httpx

from tests.cli.support import IP, LEAD, SENIOR, open_case
from tests.conftest import OTHER_IP, PASSWORD, Scc, dump
from tests.security.support import csrf, signed_in


def test_a_post_without_the_csrf_token_is_refused(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    case = open_case(la)
    client = signed_in(server, LEAD)
    before = dump(db_url)
    refused = client.post(f"/cases/{case}/actions/start_diagnosis", data={"effective_on": "2026-09-15"})
    assert refused.status_code == 403
    forged = client.post(f"/cases/{case}/actions/start_diagnosis", data={"effective_on": "2026-09-15", "csrftoken": "forged"})
    assert forged.status_code == 403
    assert dump(db_url) == before
    token = csrf(client, f"/cases/{case}/actions/start_diagnosis")
    done = client.post(f"/cases/{case}/actions/start_diagnosis", data={"effective_on": "2026-09-15", "csrftoken": token})
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{case}?done=start_diagnosis"


def test_the_session_cookie_is_http_only_and_same_site(server: str, staff: dict[str, str], la: Scc) -> None:
    client = httpx.Client(base_url=server)
    answer = client.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "csrftoken": csrf(client), "next": "/"})
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("scc_session="))
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
    assert client.get("/").status_code == 200
    client.post("/sign-out", data={"csrftoken": csrf(client, "/")})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_five_wrong_passwords_lock_the_account_and_every_attempt_is_audited(server: str, staff: dict[str, str], la: Scc,
                                                                           db_url: str) -> None:
    client = httpx.Client(base_url=server)
    for _ in range(5):
        wrong = client.post("/sign-in", data={"email": LEAD, "password": "not the password", "csrftoken": csrf(client)})
        assert wrong.status_code == 401 and "the email or the password is wrong" in wrong.text
    locked = client.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "csrftoken": csrf(client)})
    assert locked.status_code == 401 and "the email or the password is wrong" in locked.text
    actions = [row[3] for row in dump(db_url)["audit_event"]]
    assert actions.count("sign_in_failed") == 5 and actions.count("sign_in_refused") == 1 and "access_ended" in actions
    la("person", "set-password", LEAD, "--as", LEAD, input=PASSWORD + "\n")  # a new password lifts the lock
    assert signed_in(server, LEAD).get("/").status_code == 200


def test_a_school_name_with_markup_is_shown_as_text(server: str, staff: dict[str, str], la: Scc) -> None:
    la("school", "add", "--urn", "100009", "--name", "<script>alert(1)</script>", "--type", "community", "--phase", "Primary",
       "--la", "Riverford", "--ip", IP)
    case = open_case(la, urn="100009")
    page = signed_in(server, LEAD).get(f"/cases/{case}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert(1)" not in page.text


def test_every_page_carries_the_security_headers(server: str, staff: dict[str, str], la: Scc) -> None:
    answer = httpx.get(server + "/sign-in")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert answer.headers["referrer-policy"] == "same-origin" and answer.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in answer.text  # no inline script on any page


def test_an_ip_cannot_reach_another_ips_case_through_the_pages(server: str, staff: dict[str, str], la: Scc) -> None:
    la("school", "assign", "100004", "--ip", OTHER_IP, "--as", LEAD)
    theirs = open_case(la, urn="100004")
    client = signed_in(server, IP)
    for path in (f"/cases/{theirs}", f"/cases/{theirs}/actions/start_diagnosis"):
        answer = client.get(path, headers={"accept": "text/html"})
        assert answer.status_code == 404 and "Page not found" in answer.text
    token = csrf(client, "/")
    assert client.post(f"/cases/{theirs}/actions/start_diagnosis", data={"csrftoken": token}).status_code == 404


def test_a_refused_filter_is_one_line_on_the_page_not_a_traceback(server: str, staff: dict[str, str], la: Scc) -> None:
    answer = signed_in(server, LEAD).get("/cases", params={"sort": "sideways"}, headers={"accept": "text/html"})
    assert answer.status_code == 422 and "sort by newest" in answer.text and "Traceback" not in answer.text


def test_an_unforeseen_failure_shows_an_error_id_and_never_a_traceback(server: str, staff: dict[str, str], la: Scc,
                                                                       monkeypatch) -> None:
    from models.services import reading

    def broken(*_: object) -> None:
        raise RuntimeError("the disk caught fire at /secret/path")

    monkeypatch.setattr(reading, "my_work", broken)
    monkeypatch.setattr(reading, "cases", broken)
    page = signed_in(server, LEAD).get("/", headers={"accept": "text/html"})
    assert page.status_code == 500 and f"error {page.headers['x-request-id']}" in page.text  # the id the log line carries
    assert "fire" not in page.text and "Traceback" not in page.text and "/secret/path" not in page.text
    api = httpx.get(server + "/api/v1/cases", headers={"Authorization": f"Bearer {staff[LEAD]}"})
    assert api.status_code == 500 and re.fullmatch(r"something went wrong on the server \(error [0-9a-f]{16}\).*", api.json()["detail"])
    assert "fire" not in api.text


def test_someone_who_is_no_longer_staff_can_no_longer_sign_in_or_use_a_token(server: str, staff: dict[str, str],
                                                                             la: Scc) -> None:
    assert httpx.get(server + "/api/v1/cases", headers={"Authorization": f"Bearer {staff[OTHER_IP]}"}).status_code == 200
    la("person", "set-role", OTHER_IP, "other", "--as", SENIOR)
    assert httpx.get(server + "/api/v1/cases", headers={"Authorization": f"Bearer {staff[OTHER_IP]}"}).status_code == 401
    client = httpx.Client(base_url=server)
    refused = client.post("/sign-in", data={"email": OTHER_IP, "password": PASSWORD, "csrftoken": csrf(client)})
    assert refused.status_code == 401 and "the email or the password is wrong" in refused.text


def test_a_page_number_past_the_last_is_not_found_in_one_line(server: str, staff: dict[str, str], la: Scc) -> None:
    client = signed_in(server, LEAD)
    for page in ("99999999999999999999", "0", "-3"):
        answer = client.get("/cases", params={"page": page}, headers={"accept": "text/html"})
        assert answer.status_code == 404 and f"there is 1 page of cases, not {page}" in answer.text, answer.text[:300]


def test_nothing_that_names_a_case_or_a_person_is_kept_by_a_browser_or_a_proxy(server: str, staff: dict[str, str],
                                                                                la: Scc) -> None:
    case = open_case(la)
    client = signed_in(server, LEAD)
    document = httpx.post(f"{server}/api/v1/cases/{case}/documents/tig_agenda", headers={"Authorization": f"Bearer {staff[LEAD]}"})
    assert document.status_code == 201
    for path in ("/", "/cases", f"/cases/{case}", "/people", "/dashboard", "/me", "/schools/100001", f"/documents/{document.json()['id']}"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers.get("cache-control") == "no-store", path
    assert client.get("/assets/scc/app.css").headers.get("cache-control") != "no-store"


def test_the_api_opens_cases_only_with_the_names_of_playbooks_and_calendars(server: str, staff: dict[str, str], la: Scc,
                                                                             db_url: str) -> None:
    api = httpx.Client(base_url=server + "/api/v1", headers={"Authorization": f"Bearer {staff[LEAD]}"}, timeout=60)
    before = dump(db_url)
    for options in ({"playbook": "/etc/scc/config/playbooks/england.toml"}, {"calendar": "../calendars/riverford.toml"}):
        refused = api.post("/cases", json={"urn": "100002", "reason": "x", **options})
        assert refused.status_code == 422 and "not a path" in refused.json()["detail"], refused.text
    unknown = api.post("/cases", json={"urn": "100002", "reason": "x", "playbook": "atlantis"})
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("no playbook 'atlantis'; available: ")
    assert "/" not in unknown.json()["detail"]  # the server's folders are not said
    assert dump(db_url) == before
