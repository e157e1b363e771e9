"""A real mail server on localhost for the reminder tests, and the small LA of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port


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
