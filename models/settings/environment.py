"""Where the product finds its database and its configuration.

Three environment variables move everything: ``SCC_DATABASE_URL`` (any SQLAlchemy URL; the
embedded default is ``scc.db`` in the data folder, no server to install), ``SCC_DATA_DIR``
(the data folder for documents, the audit key and Prefect's records; default ``./var``,
recorded in the database at ``scc init``, see ``models.db.installation``) and
``SCC_CONFIG_DIR`` (a folder with ``playbooks/``, ``calendars/`` and ``settings.toml``;
the default is the ``config/`` folder shipped with the product). An LA keeps its own
config folder under version control and points the product at it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from models.errors import ConfigError
from models.rules.toml_text import line_of, parse_toml

__all__ = [
    "today",
    "Authority", "Environment", "authority", "config_dir", "config_file", "config_toml", "database_url", "environment",
    "file_text", "load_settings",
]

SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "config"
DEFAULT_DATA_DIR = Path("var")


@dataclass(frozen=True)
class Environment:
    """Every ``SCC_*`` environment variable the product reads, read in this one place.

    Read afresh on each call (``environment()``): a test or an LA's service manager may
    change a variable between commands. The business date is read by ``today()`` (the
    system date, or ``SCC_TODAY`` in a training or rehearsal copy).
    """

    database_url: str | None
    config_dir: Path
    data_dir: Path | None  # SCC_DATA_DIR, absolute; None when not set
    smtp_host: str | None
    smtp_port: str | None
    smtp_from: str | None
    smtp_tls: str | None
    smtp_user: str | None
    smtp_password: str | None
    reminder_time: str
    scheduler_lease_seconds: str
    user: str | None  # the email of the person using this terminal (SCC_USER)
    clamd: str | None  # SCC_CLAMD: the clamd socket (a path, or host:port) every evidence file is scanned by
    public_url: str | None = None  # SCC_PUBLIC_URL: the pages' address as staff reach them, for links in emails

    # What a Prefect worker on another machine needs to reach the same data and mail server.
    FORWARDED = ("SCC_DATA_DIR", "SCC_SMTP_HOST", "SCC_SMTP_PORT", "SCC_SMTP_FROM", "SCC_SMTP_TLS", "SCC_SMTP_USER", "SCC_CLAMD")

    @property
    def default_data_dir(self) -> Path:
        """The data folder when none is set or recorded: ``./var`` of the working folder."""
        return self.data_dir or DEFAULT_DATA_DIR.resolve()

    def forwarded(self) -> dict[str, str]:
        """The variables a worker must be given, with the values set here."""
        return {name: os.environ[name] for name in self.FORWARDED if os.environ.get(name)}


def _business_date(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError("SCC_TODAY", None, f"'{value}' is not a date like 2026-11-30") from None


def today() -> date:
    """The day the product takes as today: nothing may be recorded as happening after it.
    Read at each call, so a scheduler running past midnight moves to the next day."""
    return _business_date(os.environ.get("SCC_TODAY") or None)


NAMES = ("SCC_DATABASE_URL", "SCC_CONFIG_DIR", "SCC_DATA_DIR", "SCC_SMTP_HOST", "SCC_SMTP_PORT", "SCC_SMTP_FROM",
         "SCC_SMTP_TLS", "SCC_SMTP_USER", "SCC_SMTP_PASSWORD", "SCC_REMINDER_TIME", "SCC_SCHEDULER_LEASE_SECONDS", "SCC_USER",
         "SCC_CLAMD", "SCC_PUBLIC_URL")


def environment() -> Environment:
    """The variables as they are now; parsed once per set of values (a hot path: every
    action asks several times)."""
    return _parsed(tuple(os.environ.get(name) for name in NAMES))


@lru_cache(maxsize=8)
def _parsed(values: tuple[str | None, ...]) -> Environment:
    env = dict(zip(NAMES, values, strict=True))
    return Environment(
        database_url=env["SCC_DATABASE_URL"] or None,
        config_dir=Path(env["SCC_CONFIG_DIR"] or SHIPPED_CONFIG),
        data_dir=Path(env["SCC_DATA_DIR"]).resolve() if env["SCC_DATA_DIR"] else None,
        smtp_host=env["SCC_SMTP_HOST"] or None,
        smtp_port=env["SCC_SMTP_PORT"] or None,
        smtp_from=env["SCC_SMTP_FROM"] or None,
        smtp_tls=env["SCC_SMTP_TLS"] or None,
        smtp_user=env["SCC_SMTP_USER"] or None,
        smtp_password=env["SCC_SMTP_PASSWORD"] or None,
        reminder_time=env["SCC_REMINDER_TIME"] or "08:00",
        scheduler_lease_seconds=env["SCC_SCHEDULER_LEASE_SECONDS"] or "60",
        user=env["SCC_USER"] or None,
        clamd=env["SCC_CLAMD"] or None,
        public_url=(env["SCC_PUBLIC_URL"] or "").rstrip("/") or None,
    )


def database_url() -> str:
    """The database to use: ``SCC_DATABASE_URL`` or ``scc.db`` in the data folder (the
    folder is created private to this account)."""
    env = environment()
    if env.database_url:
        return env.database_url
    folder = env.default_data_dir
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'scc.db'}"


def config_dir() -> Path:
    """The configuration folder: ``SCC_CONFIG_DIR`` or the shipped ``config/``."""
    return environment().config_dir


def config_file(name: str) -> Path:
    """A file of the config folder, falling back to the shipped one of that name."""
    path = config_dir() / name
    return path if path.exists() else SHIPPED_CONFIG / name


@lru_cache(maxsize=64)
def _text_of(path: Path, mtime_ns: int) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "not a text file: give a TOML file saved as UTF-8") from None


def file_text(path: Path) -> str:
    """A configuration file's text, read once per version of the file: a long-running
    scheduler sees an edit without restarting, and a busy one does not reread it."""
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the file: {exc.strerror}") from None
    return _text_of(path, mtime_ns)


@lru_cache(maxsize=16)
def _toml_of(path: Path, text: str) -> dict[str, Any]:
    return parse_toml(text, str(path))


def config_toml(name: str) -> tuple[Path, dict[str, Any]]:
    """A TOML file of the config folder (``config_file``), parsed once per version."""
    path = config_file(name)
    return path, _toml_of(path, file_text(path))


def load_settings() -> dict[str, Any]:
    """``settings.toml`` of the config folder, falling back to the shipped one; each of its
    sections must be a table, so a mistyped value is named with its file and line."""
    path, settings = config_toml("settings.toml")
    for key, value in settings.items():
        tables = value.values() if key == "recipients" and isinstance(value, dict) else [value]
        if not all(isinstance(v, dict) for v in tables):
            text = file_text(path)
            raise ConfigError(path, line_of(text, f"{key} =", f"[{key}"), f"'{key}' must be a table like [{key}] with its settings")
    return settings


@dataclass(frozen=True)
class Authority:
    """The local authority running the product and the outside bodies it writes to."""

    name: str
    recipients: dict[str, dict[str, str]]

    def recipient_name(self, role: str, language: str) -> str | None:
        """An outside body's name in ``language`` (``name_cy`` of its table; the Welsh Ministers
        are "Gweinidogion Cymru"), or None where none is given."""
        found = self.recipients.get(role) or {}
        return found.get(f"name_{language}") if language != "en" else None

    def recipient(self, role: str) -> dict[str, str]:
        """Name and email of an outside body (Regional Director, Welsh Ministers, Ofsted…)."""
        found = self.recipients.get(role)
        if not found:
            raise ConfigError(
                config_dir() / "settings.toml",
                None,
                f"no [recipients.{role}] with name and email: add one so notices can be copied",
            )
        return found


def authority() -> Authority:
    settings = load_settings()
    return Authority(
        name=str(settings.get("authority", {}).get("name", "Local Authority")),
        recipients={k: dict(v) for k, v in settings.get("recipients", {}).items()},
    )
