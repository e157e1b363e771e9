"""Queuing emails: each key once, the text exactly as written, and a key another process
queued meanwhile skipped rather than failing the sweep (on PostgreSQL the rows are streamed
in with COPY, which has no ON CONFLICT of its own)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models.db.bulk import COPY_FROM
from models.db.messages import Notification
from models.db.session import transaction
from models.services import outbox
from models.vocab import NotificationStatus

BODY = "Annwyl Siân,\n\nMae'r ymweliad\tyn ddyledus — C:\\path\\ stays as written.\n"


def _row(key: str, body: str = BODY) -> dict[str, Any]:
    return {"key": key, "kind": "reminder", "case_id": None, "deadline_id": None, "recipient_email": "ip@la.example.gov.uk",
            "recipient_name": "Siân Ip", "subject": f"Nodyn atgoffa {key}", "body": body}


def _queued() -> dict[str, tuple[str, str, int]]:
    with transaction() as session:
        return {n.key: (n.body, n.status, n.attempts) for n in session.execute(select(Notification)).scalars()}


def test_each_key_is_queued_once_with_its_text_as_written(db_url: str) -> None:
    with transaction() as session:
        assert outbox.queue(session, [_row("a"), _row("b"), _row("a")]) == 2
    with transaction() as session:
        assert outbox.queue(session, [_row("b"), _row("c")]) == 1
    with transaction() as session:  # as many as a sweep queues at once
        assert outbox.queue(session, [_row(f"many {n}") for n in range(COPY_FROM)] + [_row("c")]) == COPY_FROM
    expected = {key: (BODY, NotificationStatus.QUEUED, 0) for key in ["a", "b", "c", *(f"many {n}" for n in range(COPY_FROM))]}
    assert _queued() == expected


@pytest.mark.parametrize("many", [3, COPY_FROM + 10], ids=["a few rows", "a sweep's many"])
def test_a_key_queued_meanwhile_by_another_process_is_skipped(db_url: str, monkeypatch: pytest.MonkeyPatch, many: int) -> None:
    with transaction() as session:
        outbox.queue(session, [_row("k1", "the other process's email")])
    # The lookup of known keys ran before the other process committed "k1": it saw none.
    monkeypatch.setattr(outbox, "_known_keys", lambda session, keys: set())
    with transaction() as session:
        outbox.queue(session, [_row(f"k{n}") for n in range(many)])
    queued = _queued()
    assert queued.pop("k1") == ("the other process's email", "queued", 0)
    assert queued == {f"k{n}": (BODY, "queued", 0) for n in range(many) if n != 1}
