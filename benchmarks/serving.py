"""What the benchmarks of a running server share: ``scc serve`` on a free port, signed-in
clients, timing pages with their percentiles, simulated users, and a PostgreSQL database of
the benchmark's own.

Imported by the scripts beside it before they put the checkout first on ``sys.path``; it
imports nothing of the product at import time.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(__file__).resolve().parents[1] / ".venv" / "bin"
POSTGRES = os.environ.get("SCC_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], workdir: Path, *options: str) -> Iterator[str]:
    """``scc serve`` on a free port until the block ends (stopped as Ctrl-C stops it)."""
    port = free_port()
    log = (workdir / "serve.log").open("w")
    serve = subprocess.Popen([str(BIN / "scc"), "serve", "--port", str(port), *options], env=env, stdout=log,
                             stderr=subprocess.STDOUT)
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
        yield base
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)


def signed_in(base: str, email: str, password: str) -> httpx.Client:
    """A browser-like client signed in through the form."""
    client = httpx.Client(base_url=base, timeout=60)
    token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    answer = client.post("/sign-in", data={"email": email, "password": password, "csrftoken": token.group(1)})
    assert answer.status_code == 303, answer.text
    return client


def percentiles(spent: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    spent = sorted(spent)
    return statistics.median(spent), spent[max(int(len(spent) * 0.95) - 1, 0)]


def timed(call: Callable[[], None], runs: int) -> tuple[float, float]:
    """Median and p95 milliseconds of ``runs`` calls."""
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    return percentiles(spent)


def page(client: httpx.Client, path: str) -> Callable[[], None]:
    """A GET that must answer 200."""
    def get() -> None:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    return get


def users(base: str, accounts: Sequence[tuple[str, str]], count: int, seconds: int,
          paths: Callable[[random.Random, int], str]) -> tuple[int, int]:
    """``count`` signed-in users (the accounts taken in turn) opening ``paths(chooser, user)``
    for ``seconds``; how many pages were served, and how many answers were not 200."""
    errors, served = 0, 0
    lock = threading.Lock()
    clients = [signed_in(base, *accounts[n % len(accounts)]) for n in range(count)]
    stop = time.monotonic() + seconds

    def user(seed: int) -> None:
        nonlocal errors, served
        chooser = random.Random(seed)
        while time.monotonic() < stop:
            try:
                ok = clients[seed].get(paths(chooser, seed)).status_code == 200
            except httpx.HTTPError:
                ok = False
            with lock:
                served += 1
                errors += 0 if ok else 1

    threads = [threading.Thread(target=user, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return served, errors


@contextmanager
def postgres_database(prefix: str) -> Iterator[str | None]:
    """A database of the benchmark's own on the PostgreSQL server, dropped afterwards; None
    (with a line saying so) when the server is not reachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    name = f"{prefix}_{os.getpid()}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        print(f"\npostgresql: not reachable at {make_url(POSTGRES).render_as_string(hide_password=True)} "
              f"({str(exc.orig).splitlines()[0] if exc.orig else exc}): skipped")
        yield None
        return
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from models.db.session import engine

        engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
