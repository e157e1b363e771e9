"""How staff sign in: passwords, single sign-on with the council's identity provider, or both.

Set in the ``[sign_in]`` table of ``settings.toml``; the client secret is read from
``SCC_OIDC_CLIENT_SECRET`` only, so the file can be kept under version control. Read per
request (the file is parsed once per version), so an edit takes effect without a restart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from models.errors import ConfigError
from models.rules.toml_text import line_of
from models.settings.environment import config_toml, file_text

__all__ = ["SECRET_VARIABLE", "SignInSettings", "sign_in_settings"]

SECRET_VARIABLE = "SCC_OIDC_CLIENT_SECRET"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class SignInSettings:
    """``passwords``: whether a password may be used on the sign-in page. ``issuer`` and
    ``client_id``: the OpenID Connect provider and this product's registration there
    (single sign-on is offered when both are set). ``provider_name`` completes the button's
    "Sign in with …"."""

    passwords: bool
    issuer: str | None
    client_id: str | None
    client_secret: str | None
    provider_name: str

    @property
    def single_sign_on(self) -> bool:
        return self.issuer is not None


def sign_in_settings() -> SignInSettings:
    path, settings = config_toml("settings.toml")
    table = settings.get("sign_in", {})

    def refuse(key: str, reason: str) -> ConfigError:
        return ConfigError(path, line_of(file_text(path), f"{key} ="), reason)

    if not isinstance(table, dict):
        raise refuse("sign_in", "'sign_in' must be a table like [sign_in] with its settings")
    passwords = table.get("passwords", True)
    if not isinstance(passwords, bool):
        raise refuse("passwords", "passwords must be true or false")
    issuer = str(table.get("issuer", "")).strip().rstrip("/") or None
    client_id = str(table.get("client_id", "")).strip() or None
    if issuer is not None:
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS):
            raise refuse("issuer", "issuer must be the provider's https:// address, e.g. "
                                   "https://login.microsoftonline.com/<tenant id>/v2.0")
        if client_id is None:
            raise refuse("issuer", "single sign-on needs client_id too: the application (client) id of this product's "
                                   "registration with the provider")
    if not passwords and issuer is None:
        raise refuse("passwords", "passwords = false needs single sign-on (issuer and client_id): otherwise nobody could "
                                  "sign in")
    return SignInSettings(passwords=passwords, issuer=issuer, client_id=client_id,
                          client_secret=os.environ.get(SECRET_VARIABLE) or None,
                          provider_name=str(table.get("provider_name", "")).strip() or "your council account")
