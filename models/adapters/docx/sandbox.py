"""The sandbox LA templates run in, with a time limit.

Jinja2's sandbox stops a template from running code and caps ``range``; it does not stop a
template that loops for ever without output (``range`` inside ``range`` inside ``range``),
which would hang the command or the worker. A limited sandbox checks the clock on every
call a template makes (macros, filters, methods) and every 1,000 steps of a ``range``, and
raises ``TemplateTimeout`` once the render has taken longer than its limit. Checks are
cooperative, so a limit works in any thread (a Prefect task runs in a worker thread, where
signals cannot reach).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2.sandbox import SandboxedEnvironment, safe_range

__all__ = ["MAX_SECONDS", "LimitedSandbox", "TemplateTimeout", "time_limit"]

# A letter renders in milliseconds; an LA template still running after this is looping.
MAX_SECONDS = 5.0

_deadline: ContextVar[float | None] = ContextVar("template_deadline", default=None)


class TemplateTimeout(Exception):
    """A template ran past its time limit."""


def _check() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TemplateTimeout(f"it ran for more than {MAX_SECONDS:g} seconds")


def _limited_range(*args: int) -> Iterator[int]:
    for step, value in enumerate(safe_range(*args)):
        if step % 1000 == 0:
            _check()
        yield value


class LimitedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with the clock checked on every call and in every ``range``."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _limited_range

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja2's signature
        _check()
        return super().call(__context, __obj, *args, **kwargs)


@contextmanager
def time_limit(seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Renders inside run against the clock (see ``LimitedSandbox``)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)
