"""What the security tests share: a browser-like client that signs in through the form, and
raw requests for what a browser or httpx would not send (a body announced but never sent)."""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

import httpx

from tests.conftest import PASSWORD


def csrf(client: httpx.Client, path: str = "/sign-in") -> str:
    """The CSRF token of a page's form (getting the page sets the CSRF cookie too)."""
    page = client.get(path)
    found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def signed_in(server: str, email: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=server, timeout=60)
    answer = client.post("/sign-in", data={"email": email, "password": password, "csrftoken": csrf(client), "next": "/"})
    assert answer.status_code == 303, answer.text
    return client


def session_of(client: httpx.Client) -> str:
    return str(client.cookies.get("scc_session"))


def copied(server: str, client: httpx.Client) -> httpx.Client:
    """A second browser holding the same cookies: a stolen session."""
    return httpx.Client(base_url=server, timeout=60, cookies=dict(client.cookies.items()))


def head_only(server: str, method: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """Send a request's head only, announcing a body that never comes, and read the answer:
    an answer at all proves the server decided without reading the body."""
    where = urlsplit(server)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {where.hostname}", "Connection: close",
             *[f"{k}: {v}" for k, v in headers.items()]]
    with socket.create_connection((where.hostname, where.port), timeout=20) as raw:
        raw.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        answer = b""
        while chunk := raw.recv(65536):  # the server closes once it has answered
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.decode("latin-1")
