"""Where the product finds its database and its configuration.

Two environment variables move everything: ``SCC_DATABASE_URL`` (any SQLAlchemy URL; the
embedded default is ``sqlite:///./var/scc.db``, no server to install) and
``SCC_CONFIG_DIR`` (a folder with ``playbooks/``, ``calendars/`` and ``settings.toml``;
the default is the ``config/`` folder shipped with the product). An LA keeps its own
config folder under version control and points the product at it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from models.errors import ConfigError

__all__ = ["Authority", "authority", "config_dir", "database_url", "load_settings"]

SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "config"
DEFAULT_DATABASE = Path("var") / "scc.db"


def database_url() -> str:
    """The database to use: ``SCC_DATABASE_URL`` or ``./var/scc.db`` (its folder is created)."""
    url = os.environ.get("SCC_DATABASE_URL")
    if url:
        return url
    DEFAULT_DATABASE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DATABASE}"


def config_dir() -> Path:
    """The configuration folder: ``SCC_CONFIG_DIR`` or the shipped ``config/``."""
    return Path(os.environ.get("SCC_CONFIG_DIR") or SHIPPED_CONFIG)


@lru_cache(maxsize=8)
def _read_settings(path: Path, mtime: float) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"not valid TOML: {exc}") from exc


def load_settings() -> dict[str, Any]:
    """``settings.toml`` of the config folder, falling back to the shipped one."""
    path = config_dir() / "settings.toml"
    if not path.exists():
        path = SHIPPED_CONFIG / "settings.toml"
    return _read_settings(path, path.stat().st_mtime)


@dataclass(frozen=True)
class Authority:
    """The local authority running the product and the outside bodies it writes to."""

    name: str
    recipients: dict[str, dict[str, str]]

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
