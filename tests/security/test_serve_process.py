"""``scc serve`` killed outright (SIGKILL: none of its own clean-up runs) takes the Prefect
server it started with it, so nothing it started listens on after it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import Scc, free_port
from tests.processes import alive, until

SCC = str(Path(sys.executable).parent / "scc")


def test_a_killed_serve_takes_its_prefect_server_with_it(la: Scc, tmp_path: Path) -> None:
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
    serve = subprocess.Popen([SCC, "serve", "--port", str(free_port())], env=env, stdout=(tmp_path / "serve.log").open("ab"),
                             stderr=subprocess.STDOUT)
    recorded = home / "scc-prefect-server.json"
    try:
        assert until(recorded.exists, 180), (tmp_path / "serve.log").read_text()
        prefect = int(json.loads(recorded.read_text())["pid"])
        assert alive(prefect)
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=10)
        assert until(lambda: not alive(prefect), 30), "the Prefect server outlived scc serve"
    finally:
        if serve.poll() is None:
            serve.kill()
