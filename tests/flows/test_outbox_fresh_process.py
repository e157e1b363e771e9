"""The outbox sent from a fresh process, as a Prefect worker or `scc flows run` would: a mail
server that is down, or one that refuses a recipient, leaves rows queued with their error and
sends the rest; no row is left `sending`."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import select

from models.db.messages import Notification
from models.db.session import transaction
from tests.cli.support import IP, LEAD, NOTICE, advance, open_case
from tests.conftest import Scc
from tests.flows.conftest import Mailbox

SEND = "from models.services.outbox import send_due; r = send_due(); print(len(r.sent), len(r.deferred), r.error or '')"


def _send_in_a_fresh_process() -> list[str]:
    done = subprocess.run([sys.executable, "-c", SEND], env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split(maxsplit=2)


def _statuses() -> dict[str, str]:
    with transaction() as session:
        return {n.recipient_email: n.status for n in session.execute(select(Notification)).scalars()}


def test_a_fresh_process_defers_when_the_server_is_down_and_sends_when_it_is_back(la: Scc, smtp: Mailbox) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)  # queues the case team's email
    smtp.messages.clear()
    smtp.stop()
    sent, deferred, error = _send_in_a_fresh_process()
    assert (sent, deferred) == ("0", "2") and "cannot reach the mail server" in error
    assert set(_statuses().values()) == {"queued"}
    with transaction() as session:
        assert all(n.last_error for n in session.execute(select(Notification)).scalars())
        session.query(Notification).update({"not_before": Notification.created_at})  # due again now
    smtp.start()
    assert _send_in_a_fresh_process()[:2] == ["2", "0"]
    assert _statuses() == {LEAD: "sent", IP: "sent"}


def test_a_refused_recipient_stays_queued_and_the_others_are_sent(la: Scc, smtp: Mailbox) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)
    smtp.refused.add(IP)
    sent, deferred, _ = (_send_in_a_fresh_process() + ["", ""])[:3]
    assert (sent, deferred) == ("1", "1")
    assert _statuses() == {LEAD: "sent", IP: "queued"}
    with transaction() as session:
        (row,) = session.execute(select(Notification).where(Notification.recipient_email == IP)).scalars()
        assert "550" in (row.last_error or "") and row.attempts == 1
