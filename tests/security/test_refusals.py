"""Refusals say why, and say nothing of the server: every form of the pages, sent empty,
is either done or refused with its reason on the page (never a bare 422), naming no folder,
temporary file or template internal; and the last senior officer cannot give up the role."""

from __future__ import annotations

import re

import httpx
from starlette.routing import Route

from models.db.installation import data_root
from models.db.session import transaction
from server.app import create_app
from tests.cli.support import LEAD, NOTICE, SENIOR, advance, open_case
from tests.conftest import Scc, bearer, dump
from tests.security.support import csrf, signed_in

INTERNALS = re.compile(r"/tmp/|Traceback|jinja2|UndefinedError|\.py\b|\.toml\b|site-packages")


def _said(page: str) -> str:
    """What a refused page tells the user: its error summary, field errors or error line."""
    found = re.findall(r'class="govuk-error-message">(?:<span[^>]*>Error:</span>)?(.*?)</p>|'
                       r'data-testid="error-detail">(.*?)</p>|govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return " ".join(part for match in found for part in match).strip()


def test_every_form_sent_empty_is_done_or_refused_with_its_reason(server: str, staff: dict[str, str], la: Scc) -> None:
    case = open_case(la)
    other = open_case(la, "100004")
    advance(la, other, "issue_warning_notice", "2026-12-10", *NOTICE)  # a draft letter for its page's forms
    (letter,) = la.json("doc", "list", str(other))
    browser = signed_in(server, LEAD)
    token = csrf(browser, "/")
    with transaction() as session:
        root = str(data_root(session))
    values = {"case_id": str(case), "action": "start_diagnosis", "kind": "warning_notice", "urn": "100002",
              "calendar": "riverford", "name": "england", "number": "1", "meeting_id": "1",
              "classification_id": "1", "document_id": str(letter["id"]), "seq": "1", "token": "not-a-link"}
    forms = [r.path for r in create_app("x").routes if isinstance(r, Route) and "POST" in (r.methods or ())
             and not r.path.startswith(("/api/", "/sign-"))]
    assert len(forms) >= 12
    for path in forms:
        answer = browser.post(re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path), data={"csrftoken": token},
                              headers={"accept": "text/html"})
        assert answer.status_code < 500, (path, answer.status_code)
        if answer.status_code >= 400:
            said = _said(answer.text)
            assert len(said) > 10, f"{path} refused ({answer.status_code}) without a reason"
            assert not INTERNALS.search(said) and root not in said, (path, said)


def test_the_last_senior_officer_cannot_give_up_the_role(server: str, staff: dict[str, str], la: Scc, refused,  # type: ignore[no-untyped-def]
                                                         db_url: str) -> None:
    assert "the only senior officer" in refused("person", "set-role", SENIOR, "lead", "--as", SENIOR)
    browser = signed_in(server, SENIOR)
    token = csrf(browser, "/people")
    before = dump(db_url)
    api = httpx.put(f"{server}/api/v1/people/{SENIOR}/role", json={"role": "lead"}, headers=bearer(staff[SENIOR]))
    assert api.status_code == 422 and "make someone else a senior officer first" in api.json()["detail"]
    page = browser.post("/people/role", data={"email": SENIOR, "role": "lead", "csrftoken": token},
                        headers={"accept": "text/html"})
    assert page.status_code == 422 and "the only senior officer" in page.text
    assert dump(db_url) == before
    la("person", "set-role", LEAD, "senior", "--as", SENIOR)  # with a second senior officer, the first may step down
    la("person", "set-role", SENIOR, "lead", "--as", SENIOR)


def test_a_refused_upload_names_the_file_not_where_the_server_kept_it(server: str, staff: dict[str, str], la: Scc,
                                                                     db_url: str) -> None:
    browser = signed_in(server, LEAD)
    token = csrf(browser, "/schools")
    before = dump(db_url)
    bad = ("gias.csv", b"URN,Name\n1,x\n", "text/csv")
    api = httpx.post(f"{server}/api/v1/schools/import", files={"file": bad}, headers=bearer(staff[LEAD]))
    page = browser.post("/schools/import", files={"file": bad}, data={"csrftoken": token},
                        headers={"accept": "text/html"})
    for answer in (api, page):
        assert answer.status_code == 422 and "gias.csv: missing column" in answer.text, answer.text[:400]
        assert not INTERNALS.search(_said(answer.text) or answer.json()["detail"])
    assert dump(db_url) == before
