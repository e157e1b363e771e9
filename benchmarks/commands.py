"""How long a user waits at the terminal: a refused ``scc case advance`` beside an accepted one.

    .venv/bin/python benchmarks/commands.py [--quick] [--runs 3]

Each command is a fresh ``scc`` process on a new SQLite database, as a lead types it, with no
``scc serve`` running (the accepted action then starts Prefect's temporary server). A refusal
(here a guard: no warning notice awaiting an outcome) is made before Prefect is imported or a
flow is started. Target: a refused command within 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script

SCC = str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "scc")
LEAD = "lead@bench.example.gov.uk"


def _scc(env: dict[str, str], *args: str, ok: bool = True) -> float:
    started = time.perf_counter()
    done = subprocess.run([SCC, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if (done.returncode == 0) != ok:
        raise SystemExit(f"scc {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = sizes.parse(parser, {"runs": 1})
    refused, accepted = [], []
    for run in range(args.runs):
        workdir = Path(tempfile.mkdtemp(prefix="scc-bench-commands-"))
        env = {**os.environ, "SCC_DATABASE_URL": f"sqlite:///{workdir / 'scc.db'}", "SCC_DATA_DIR": str(workdir / "data"),
               "PREFECT_HOME": str(workdir / "prefect"), "SCC_USER": LEAD}
        env.pop("PREFECT_API_URL", None)
        _scc(env, "init")
        _scc(env, "person", "add", "--name", "Bench Lead", "--email", LEAD, "--role", "lead")
        _scc(env, "school", "add", "--urn", "100001", "--name", "Oak Primary", "--type", "community", "--phase", "Primary",
             "--la", "Riverford")
        _scc(env, "case", "open", "100001", "--reason", "benchmark", "--on", "2026-09-14")
        refused.append(_scc(env, "case", "advance", "1", "record_compliance", "--on", "2026-09-15", "--set", "evidence=x", ok=False))
        accepted.append(_scc(env, "case", "advance", "1", "start_diagnosis", "--on", "2026-09-15"))
        print(f"  run {run + 1}: refused {refused[-1]:.2f} s, accepted {accepted[-1]:.2f} s", flush=True)
    print("SCC Casework commands benchmark (fresh processes, SQLite, no scc serve running)")
    print(f"  refused scc case advance (guard)        median {statistics.median(refused):5.2f} s   (target: <= 1.5 s)")
    print(f"  accepted scc case advance (flow run)     median {statistics.median(accepted):5.2f} s   (for reference)")


if __name__ == "__main__":
    main()
