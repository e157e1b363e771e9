"""Running it: one JSON log line per request with its id, the id in ``X-Request-ID``, and
``/healthz`` (alive) beside ``/readyz`` (the database, the scheduler, the Prefect server)."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from tests.conftest import Scc


def test_every_request_is_logged_as_one_json_line_with_its_id(server: str, la: Scc, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="scc.web.requests")
    answer = httpx.get(server + "/sign-in", headers={"X-Request-ID": "from-the-proxy-0042"})
    assert answer.headers["x-request-id"] == "from-the-proxy-0042"
    mine = httpx.get(server + "/sign-in", headers={"X-Request-ID": "<script>"}).headers["x-request-id"]
    assert mine != "<script>" and len(mine) == 16  # an id that is not safe to log is replaced
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scc.web.requests"]
    logged = {line["request_id"]: line for line in lines}
    assert logged["from-the-proxy-0042"]["path"] == "/sign-in" and logged["from-the-proxy-0042"]["status"] == 200
    assert logged[mine]["method"] == "GET" and logged[mine]["ms"] >= 0


def test_healthz_is_alive_and_readyz_names_what_is_not_ready(server: str, la: Scc) -> None:
    assert httpx.get(server + "/healthz").text == "ok"
    ready = httpx.get(server + "/readyz")
    # the tests run the app without `scc serve`'s scheduler: not ready, and says why
    assert ready.status_code == 503
    assert ready.json() == {"ready": False, "database": "ok", "scheduler": "not running", "prefect": "ok"}
