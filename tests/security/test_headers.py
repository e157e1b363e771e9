"""Behind a proxy that terminates TLS (``SCC_SECURE_COOKIES=1``) the browser is told to come
back over HTTPS only, and the session cookie goes over HTTPS only."""

from __future__ import annotations

from starlette.testclient import TestClient

from server.app import create_app


def test_served_over_tls_the_pages_ask_for_https_from_now_on(db_url: str) -> None:
    secure = TestClient(create_app("test-session-secret", secure_cookies=True), base_url="https://casework.example")
    answer = secure.get("/sign-in")
    assert answer.status_code == 200
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
    assert answer.headers["cache-control"] == "no-store"
    assert "secure" in answer.headers["set-cookie"].lower()  # the form's CSRF cookie, like the session's, HTTPS only
    plain = TestClient(create_app("test-session-secret", secure_cookies=False))
    assert "strict-transport-security" not in plain.get("/sign-in").headers
