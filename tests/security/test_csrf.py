"""CSRF everywhere a cookie authenticates, the sign-in form included, and a bearer header
that authenticates the API only: it neither signs anyone in on a page nor skips the check."""

from __future__ import annotations

import httpx

from tests.cli.support import LEAD, open_case
from tests.conftest import PASSWORD, Scc, bearer, dump
from tests.security.support import csrf, signed_in


def test_another_site_cannot_sign_a_browser_in(server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    before = dump(db_url)
    cross_site = httpx.post(server + "/sign-in", data={"email": LEAD, "password": PASSWORD, "next": "/"},
                            headers={"origin": "https://evil.example", "accept": "text/html"})
    assert cross_site.status_code == 403 and "came from another site" in cross_site.text
    assert "scc_session" not in cross_site.cookies
    assert dump(db_url) == before  # not even a sign-in recorded


def test_a_bearer_header_neither_skips_the_check_nor_signs_in_on_a_page(server: str, staff: dict[str, str], la: Scc,
                                                                        db_url: str) -> None:
    case = open_case(la)
    browser = signed_in(server, LEAD)
    csrf(browser, "/")
    before = dump(db_url)
    forged = browser.post(f"/cases/{case}/actions/start_diagnosis", data={"effective_on": "2026-09-15"},
                          headers={"Authorization": "Bearer x"})
    assert forged.status_code == 403
    with_a_real_token = browser.post(f"/cases/{case}/actions/start_diagnosis", data={"effective_on": "2026-09-15"},
                                     headers=bearer(staff[LEAD]))
    assert with_a_real_token.status_code == 403
    assert dump(db_url) == before
    token_only = httpx.get(server + "/", headers=bearer(staff[LEAD]), follow_redirects=False)
    assert token_only.status_code == 303 and token_only.headers["location"].startswith("/sign-in")
