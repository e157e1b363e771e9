"""How long a change takes through the front door: one action through the REST API of a
running ``scc serve``, beside the same action as a ``scc case advance`` command.

    .venv/bin/python benchmarks/web.py [--cases 10]

Starts ``scc serve`` (web, API, scheduler and its Prefect server) on a new SQLite database,
opens N cases and times ``start_diagnosis`` on each through ``POST /api/v1/cases/{id}/actions``
(the web pages' forms call the same use case and flow). Beside it, the same action as a
fresh ``scc case advance`` process with ``scc serve`` running (reporting to its Prefect
server) and without it (the command starts a temporary one): the 11–13 s a lead waited
before the web application.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"
LEAD = "lead@bench.example.gov.uk"


def _scc(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "scc"), *args], env=env, capture_output=True, text=True, input=stdin)
    if done.returncode != 0:
        raise SystemExit(f"scc {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-web-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCC_", "PREFECT_"))}
    env |= {"SCC_DATA_DIR": str(workdir / "data"), "PREFECT_HOME": str(workdir / "prefect")}
    _scc(env, "init")
    _scc(env, "person", "add", "--name", "Bench Lead", "--email", LEAD, "--role", "lead")
    env["SCC_USER"] = LEAD
    for i in range(args.cases + 2):
        _scc(env, "school", "add", "--urn", str(400000 + i), "--name", f"School {i}", "--type", "community",
             "--phase", "Primary", "--la", "Bench")
    token = _scc(env, "token", "create", LEAD, "--json")[1].split('"token": "')[1].split('"')[0]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (workdir / "serve.log").open("w")
    serve = subprocess.Popen([str(BIN / "scc"), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if serve.poll() is not None or time.perf_counter() - started > 180:
                raise SystemExit(f"scc serve did not come up: see {log.name}")
            time.sleep(0.2)
        up = time.perf_counter() - started
        api = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60)
        on = (date.today() - timedelta(days=7)).isoformat()
        timings = []
        for i in range(args.cases):
            case = api.post("/cases", json={"urn": str(400000 + i), "reason": "bench", "on": on, "lead": LEAD}).json()["id"]
            begun = time.perf_counter()
            answer = api.post(f"/cases/{case}/actions/start_diagnosis", json={"fields": {}, "on": on})
            timings.append(time.perf_counter() - begun)
            assert answer.status_code == 200 and answer.json()["stage"] == "diagnosis", answer.text
        opened = api.post("/cases", json={"urn": str(400000 + args.cases), "reason": "bench", "on": on, "lead": LEAD}).json()["id"]
        beside, _ = _scc(env, "case", "advance", str(opened), "start_diagnosis", "--on", on)
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
    alone_case = str(opened + 1)
    _scc({**env}, "case", "open", str(400000 + args.cases + 1), "--reason", "bench", "--on", on, "--lead", LEAD)
    alone, _ = _scc(env, "case", "advance", alone_case, "start_diagnosis", "--on", on)
    print(f"SCC Casework front door ({args.cases} actions, SQLite at {workdir})")
    print(f"  scc serve up (web, API, scheduler, Prefect server)   {up:6.1f} s")
    print(f"  start_diagnosis through the API                   median {statistics.median(timings) * 1000:6.0f} ms"
          f"  (max {max(timings) * 1000:.0f} ms)")
    print(f"  the same as scc case advance, scc serve running          {beside:6.1f} s")
    print(f"  the same as scc case advance, no scc serve               {alone:6.1f} s")


if __name__ == "__main__":
    main()
