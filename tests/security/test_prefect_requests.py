"""A request to the Prefect server that is never answered holds a change (and the page or
command waiting on it) for a bounded time before Prefect's client sends it again: the
product's bound, not Prefect's 60-second default, unless the operator sets their own."""

from __future__ import annotations

import os
import subprocess
import sys

from flows.runtime import REQUEST_SECONDS

READ = ("from flows.runtime import configure; configure(); "
        "from prefect.settings import PREFECT_API_REQUEST_TIMEOUT; print(PREFECT_API_REQUEST_TIMEOUT.value())")


def _timeout(**env: str) -> float:
    clean = {k: v for k, v in os.environ.items() if k != "PREFECT_API_REQUEST_TIMEOUT"} | env
    done = subprocess.run([sys.executable, "-c", READ], env=clean, capture_output=True, text=True, timeout=120, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def test_an_unanswered_prefect_request_is_sent_again_after_the_products_bound() -> None:
    assert REQUEST_SECONDS < 60
    assert _timeout() == REQUEST_SECONDS
    assert _timeout(PREFECT_API_REQUEST_TIMEOUT="42") == 42  # the operator's choice wins
