"""The text of reminder, alert and digest emails: Jinja2 templates in ``templates/email``.

An LA may reword any of them by copying it to ``<config>/templates/email``. As for letters,
the environment is sandboxed and refuses undefined variables, so an edited template can
neither run code nor send an email with a blank where a date should be.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from models.errors import DocumentError
from models.settings.environment import SHIPPED_CONFIG, config_dir

__all__ = ["email_template", "render_email"]

SHIPPED = SHIPPED_CONFIG.parent / "templates" / "email"


@lru_cache(maxsize=4)
def _environment(override: Path) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(override)), jinja2.FileSystemLoader(str(SHIPPED))]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def email_template(name: str) -> jinja2.Template:
    """Template ``name`` (reminder, alert, digest, case_update, term_dates, letter,
    password_link, account_locked; ``<name>.cy`` for its Welsh), compiled once and reused for
    every email of a sweep."""
    template = f"{name}.txt.j2"
    try:
        return _environment(config_dir() / "templates" / "email").get_template(template)
    except jinja2.TemplateError as exc:
        raise DocumentError(f"email template {template}: {exc}") from None


def render_email(template: jinja2.Template | str, context: dict[str, Any]) -> str:
    """The body of an email: a template from ``email_template``, or its name."""
    compiled = email_template(template) if isinstance(template, str) else template
    try:
        return compiled.render(**context)
    except jinja2.UndefinedError as exc:
        raise DocumentError(f"email template {compiled.name}: {exc.message}: fix the template") from None
    except jinja2.TemplateError as exc:
        raise DocumentError(f"email template {compiled.name}: {exc}") from None
