"""No enumeration of staff accounts: an unknown email, a wrong password and a locked account
get one message, one status and the same work (one argon2 check each); the person locked
out learns it by email, not on the page."""

from __future__ import annotations

import re

import httpx
import pytest

from models.services import accounts
from tests.cli.support import LEAD
from tests.conftest import PASSWORD, Scc, dump
from tests.security.support import csrf, signed_in


def test_unknown_wrong_and_locked_are_told_alike_after_the_same_work(server: str, staff: dict[str, str], la: Scc,
                                                                      db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[str] = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda hashed, password: checks.append(hashed) or real(hashed, password))
    client = httpx.Client(base_url=server)

    def attempt(email: str, password: str) -> tuple[int, str]:
        checks.clear()
        answer = client.post("/sign-in", data={"email": email, "password": password, "csrftoken": csrf(client)})
        assert len(checks) == 1, f"{email}: {len(checks)} password checks"
        error = re.search(r'href="#email">([^<]+)<', answer.text)
        assert error, answer.text[:500]
        return answer.status_code, error.group(1).strip()

    unknown = attempt("nobody@riverford.example.gov.uk", PASSWORD)
    for _ in range(accounts.MAX_FAILURES):
        wrong = attempt(LEAD, "not the password")
    locked = attempt(LEAD, PASSWORD)  # the right password, while locked
    assert unknown == wrong == locked and unknown[0] == 401
    assert unknown[1].startswith("the email or the password is wrong")
    (email,) = [row for row in dump(db_url)["notification"] if "account_locked" in row]
    assert LEAD in email and "failed sign-ins" in " ".join(map(str, email))
    la("person", "set-password", LEAD, "--as", LEAD, input=PASSWORD + "\n")  # a new password lifts the lock
    assert signed_in(server, LEAD).get("/").status_code == 200
