"""Test databases: a fresh, migrated database per test, on SQLite or on PostgreSQL.

On SQLite (the default) the schema is migrated once per session into a template file that
each test copies. With ``SCC_TEST_BACKEND=url`` (``make test`` sets it for its second run)
the suite runs on the PostgreSQL server ``SCC_TEST_DATABASE_URL`` names, in a database of
its own: ``scc_test_<pid>_<random>`` is created at the start of the run, migrated once,
emptied before each test and dropped at the end. Nothing else on that server is touched,
so the URL may name a database that holds anything.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import URL, MetaData, create_engine, make_url, text
from typer.testing import CliRunner, Result

from models.db.installation import forget_recorded
from models.db.playbooks import forget_pinned
from models.db.session import engine, upgrade

ON_URL = os.environ.get("SCC_TEST_BACKEND") == "url"
TODAY = "2027-09-30"


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The migrated template: a SQLite file path, or the URL of the run's own PostgreSQL database."""
    if ON_URL:
        yield from _own_database(make_url(os.environ["SCC_TEST_DATABASE_URL"]))
        return
    path = tmp_path_factory.mktemp("template") / "scc.db"
    upgrade(f"sqlite:///{path}")
    engine(f"sqlite:///{path}").dispose()
    yield str(path)


def _own_database(server: URL) -> Iterator[str]:
    """Create a database for this run on the server, migrate it, and drop it when the run ends."""
    name = f"scc_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty(url: str) -> None:
    bind = engine(url)
    reflected = MetaData()
    reflected.reflect(bind)
    names = [t.name for t in reflected.sorted_tables if t.name != "alembic_version"]
    with bind.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    forget_recorded()
    forget_pinned()  # a version stored by an earlier test is gone with its rows


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's documents, audit key and markers go to its own folder, never ./var, and
    the record of a server it starts to its own runtime folder."""
    monkeypatch.setenv("SCC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))


@pytest.fixture
def db_url(_migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh migrated database; the product's commands use it through SCC_DATABASE_URL."""
    if ON_URL:
        url = _migrated
        _empty(url)
    else:
        shutil.copy(_migrated, tmp_path / "scc.db")
        url = f"sqlite:///{tmp_path / 'scc.db'}"
    monkeypatch.setenv("SCC_DATABASE_URL", url)
    # The suite's cases run through the 2026-27 school year: the product takes this day as
    # today, so nothing in them is dated in the future (a test of that refusal sets its own).
    monkeypatch.setenv("SCC_TODAY", TODAY)
    yield url
    if not ON_URL:
        engine(url).dispose()


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a refused command changed nothing."""
    bind = engine(url)
    reflected = MetaData()
    reflected.reflect(bind)
    with bind.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
            for table in reflected.sorted_tables
        }


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Wait until ``url`` answers 200; fail if the process serving it exits first or the time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


class Scc:
    """Runs ``scc`` in-process, as a user would type it."""

    def __init__(self) -> None:
        from cli.main import app

        self.app = app
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None) -> Result:
        result = self.runner.invoke(self.app, list(args), input=input)
        if ok and result.exit_code != 0:
            raise AssertionError(f"scc {' '.join(args)} failed ({result.exit_code}): {result.output}")
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One temporary Prefect server for the whole session: the flows report to it."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from flows.runtime import configure

    configure()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def scc(db_url: str, prefect_server: str) -> Scc:
    return Scc()


@pytest.fixture
def refused(db_url: str, scc: Scc) -> Callable[..., str]:
    """Run a command that must be refused; check it changed nothing; return its one-line error."""

    def run(*args: str) -> str:
        before = dump(db_url)
        result = scc(*args, ok=False)
        assert result.exit_code == 1, result.output
        assert dump(db_url) == before, "a refused command changed the database"
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        return lines[0]

    return run


@pytest.fixture
def la(scc: Scc) -> Scc:
    """A small LA for the tests of every layer, built through the use cases the commands,
    pages and API call: a senior officer (added while setting up), a lead, an IP, a head and
    a chair; four schools: community, voluntary aided with a diocese, academy with its trust, foundation."""
    from models.services import administration
    from models.services.access import SETUP, terminal_viewer
    from models.services.directory import SchoolDetails
    from models.vocab import SchoolType
    from tests.cli.support import IP, LEAD, SENIOR

    administration.add_person(SETUP, "Sue Senior", SENIOR, "senior")
    senior = terminal_viewer(SENIOR)
    for name, email, role in [
        ("Dana Lead", LEAD, "lead"), ("Ian Partner", IP, "ip"),
        ("Hana Head", "head@oak.example.sch.uk", "head"), ("Carl Chair", "chair@oak.example.sch.uk", "chair"),
    ]:
        administration.add_person(senior, name, email, role)

    def school(urn: str, name: str, kind: SchoolType, phase: str, **extra: str | None) -> SchoolDetails:
        return SchoolDetails(urn=urn, name=name, type=kind, phase=phase, la="Riverford", **extra)

    places = {"head": "head@oak.example.sch.uk", "chair": "chair@oak.example.sch.uk", "ip": IP}
    administration.add_school(senior, school("100001", "Oak Primary", SchoolType.COMMUNITY, "Primary"), places)
    administration.add_school(senior, school("100002", "St Mary & St John's <Federation>", SchoolType.VOLUNTARY_AIDED, "Primary",
                                             diocese="Diocese of Riverford", religious_character="Church of England",
                                             foundation_appointer="Riverford Diocesan Board"), {})
    administration.add_school(senior, school("100003", "Hill Academy", SchoolType.ACADEMY, "Secondary", trust="Hill Learning Trust",
                                             trust_address="Trust House, 1 Hill Road, Riverford RF9 9TT"), {})
    administration.add_school(senior, school("100004", "Brook Foundation School", SchoolType.FOUNDATION, "Secondary",
                                             foundation_appointer="The Brook Foundation Trust"), {})
    return scc


PASSWORD = "correct horse battery staple"
LINK_SECRET = "test-link-secret"
OTHER_IP = "ip2@riverford.example.gov.uk"


@pytest.fixture(scope="session")
def server(prefect_server: str) -> Iterator[str]:
    """``scc serve``'s ASGI app on a real port, in a thread, for the whole session; each test
    still has its own database, which the app reads from ``SCC_DATABASE_URL`` per request, and
    its own people, passwords and tokens (``staff``)."""
    import threading

    import httpx
    import uvicorn

    from server.app import create_app

    # The app's threads do not see the test harness's settings context: name its server.
    os.environ["PREFECT_API_URL"] = prefect_server
    port = free_port()
    config = uvicorn.Config(create_app("test-session-secret", link_secret=LINK_SECRET), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/sign-in", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield base
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def staff(la: Scc) -> dict[str, str]:
    """Passwords for the lead, the senior officer and both IPs; a second IP with a case of
    their own. Returns a token per person."""
    from models.services import administration
    from models.services.access import terminal_viewer
    from tests.cli.support import IP, LEAD, SENIOR

    senior = terminal_viewer(SENIOR)
    administration.add_person(senior, "Ola Partner", OTHER_IP, "ip")
    tokens = {}
    for email in (LEAD, SENIOR, IP, OTHER_IP):
        administration.set_password(senior, email, PASSWORD)
        tokens[email] = administration.create_token(senior, email)[1]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Markers a maintainer can select by (`pytest -m "not browser"`, `make test-fast`), given by
# what a test needs rather than written on each: its fixtures say it.
_SLOW_MODULES = {"test_commands_beside_server", "test_scheduler", "test_outbox_fresh_process", "test_prefect_server",
                 "test_killed_command", "test_startup", "test_serve_process", "test_replicas"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if needs & {"browser", "page"}:
            item.add_marker(pytest.mark.browser)
        if "prefect_server" in needs:
            item.add_marker(pytest.mark.prefect)
        if "db_url" in needs and ON_URL:
            item.add_marker(pytest.mark.postgres)
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in _SLOW_MODULES:
            item.add_marker(pytest.mark.slow)  # they start `scc` or `scc serve` processes


# A real mail server on localhost: the reminders, the alerts and the letters emailed when issued.
class Mailbox:
    """What the SMTP server received, and the means to stop and restart it on its port."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = free_port()
        self.controller: Controller | None = None
        self.refused: set[str] = set()  # recipients the server turns away

    async def handle_RCPT(self, server: object, session: object, envelope: object, address: str,  # noqa: N802 - aiosmtpd's hook
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's hook
        message = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)  # type: ignore[attr-defined]
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self, **options: object) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def keys(self) -> list[str]:
        return [str(m["X-SCC-Key"]) for m in self.messages]

    def to(self, email: str) -> list[Message]:
        return [m for m in self.messages if email in str(m["To"])]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    monkeypatch.setenv("SCC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SCC_SMTP_PORT", str(box.port))
    monkeypatch.setenv("SCC_SMTP_FROM", "casework@riverford.example.gov.uk")
    yield box
    box.stop()
