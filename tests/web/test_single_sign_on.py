"""Single sign-on against a local OpenID provider started by the test (oidc-provider-mock):
the authorisation code flow with PKCE, a person matched by email, strangers refused, and
passwords switched off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import oidc_provider_mock
import pytest
from playwright.sync_api import Page, expect

from tests.cli.support import LEAD
from tests.conftest import Scc
from tests.web.conftest import PASSWORD, SCREENSHOTS, accessible

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "settings.toml"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as running:
        yield f"http://localhost:{running.server_port}"


def _configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, issuer: str, passwords: bool = True) -> None:
    """A config folder whose settings.toml turns single sign-on on (the running app reads it
    per request); playbooks and calendars fall back to the shipped ones."""
    folder = tmp_path / "config"
    folder.mkdir()
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace('issuer = ""', f'issuer = "{issuer}"').replace('client_id = ""', 'client_id = "scc-casework"')
    text = text.replace("passwords = true", f"passwords = {str(passwords).lower()}")
    (folder / "settings.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SCC_CONFIG_DIR", str(folder))
    monkeypatch.setenv("SCC_OIDC_CLIENT_SECRET", "a client secret")


def _through_provider(client: httpx.Client, provider: str, email: str) -> httpx.Response:
    """Start single sign-on, let the provider vouch for ``email``, and come back."""
    start = client.get("/sign-in/sso", params={"next": "/cases"})
    assert start.status_code in (302, 303, 307), start.text
    authorize = start.headers["location"]
    asked = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{provider}/oauth2/authorize")
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) >= 43  # PKCE
    assert asked["response_type"] == ["code"] and "openid" in asked["scope"][0].split()
    back = httpx.post(authorize, data={"sub": email}, follow_redirects=False)
    assert back.status_code in (302, 303), back.text
    return client.get(back.headers["location"])


def test_staff_sign_in_with_the_council_account_in_a_browser(page: Page, la: Scc, provider: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, provider)
    page.goto("/sign-in")
    accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "sign-in.png"))
    page.get_by_role("button", name="Sign in with your council Microsoft account").click()
    page.locator("input[name=sub]").fill(LEAD)  # the provider's own sign-in form
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.get_by_text("Dana Lead")).to_be_visible()


def test_a_person_unknown_here_is_refused_and_not_signed_in(server: str, la: Scc, provider: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, provider)
    with httpx.Client(base_url=server) as client:
        answer = _through_provider(client, provider, "stranger@elsewhere.example.org")
        assert answer.status_code == 403
        assert "stranger@elsewhere.example.org is not a member of staff here: ask a senior officer to add you" in answer.text
        assert client.get("/").status_code == 303  # still signed out: off to the sign-in page
        head = _through_provider(client, provider, "head@oak.example.sch.uk")  # on record, but not staff
        assert head.status_code == 403 and "is not a member of staff here" in head.text


def test_a_member_of_staff_is_matched_by_email_whatever_its_case(server: str, la: Scc, provider: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, provider)
    with httpx.Client(base_url=server) as client:
        answer = _through_provider(client, provider, LEAD.upper())
        assert answer.status_code == 303 and answer.headers["location"] == "/cases"
        assert "Dana Lead" in client.get("/cases").text


def test_with_passwords_switched_off_only_single_sign_on_lets_staff_in(server: str, la: Scc, staff: dict[str, str],
                                                                       provider: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, provider, passwords=False)
    with httpx.Client(base_url=server) as client:
        form = client.get("/sign-in")
        assert 'name="password"' not in form.text and "Sign in with your council Microsoft account" in form.text
        token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
        csrf = token.group(1) if token else client.cookies.get("csrftoken", "")
        refused = client.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "next": "/", "csrftoken": csrf})
        assert refused.status_code == 401
        assert "passwords are switched off here: sign in with your council Microsoft account" in refused.text
        assert client.get("/").status_code == 303
        assert _through_provider(client, provider, LEAD).status_code == 303
        assert client.get("/").status_code == 200
    result = la("person", "set-password", LEAD, input=f"{PASSWORD}\n{PASSWORD}\n", ok=False)
    assert result.exit_code == 1 and "passwords are switched off here" in result.stderr
    api = httpx.get(f"{server}/api/v1/cases", headers={"Authorization": f"Bearer {staff[LEAD]}"})
    assert api.status_code == 200  # API tokens are not passwords


def test_a_half_set_up_single_sign_on_is_named_with_its_line(server: str, la: Scc, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, "http://intranet.example.gov.uk/oidc")
    answer = httpx.get(f"{server}/sign-in", headers={"Accept": "text/html"})
    line = next(n for n, text in enumerate((tmp_path / "config" / "settings.toml").read_text().splitlines(), 1)
                if text.startswith("issuer ="))
    assert answer.status_code == 503
    assert f"settings.toml:{line}" in answer.text and "issuer must be the provider&#39;s https:// address" in answer.text
