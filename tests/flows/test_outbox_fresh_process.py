"""The outbox sent from a fresh process, as a Prefect worker or `scc flows run` would: a mail
server that is down, one that refuses a recipient, or a row whose message cannot be written
leaves rows queued with their error and sends the rest; no row is left `sending`, and a row a
killed sender left `sending` is sent by the next."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models.db.messages import Notification
from models.db.session import transaction
from tests.cli.support import IP, LEAD, NOTICE, advance, open_case
from tests.conftest import Mailbox, Scc

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


def test_a_row_whose_message_cannot_be_written_waits_with_its_error_and_the_others_go(la: Scc, smtp: Mailbox) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)
    broken = IP + "\r\nBcc: everyone@example.com"
    with transaction() as session:  # an address stored before the input checks refused line breaks
        session.query(Notification).filter(Notification.recipient_email == IP).update({"recipient_email": broken})
    sent, deferred, _ = (_send_in_a_fresh_process() + ["", ""])[:3]
    assert (sent, deferred) == ("1", "1")
    assert _statuses() == {LEAD: "sent", broken: "queued"}
    assert not any("everyone@example.com" in str(m) for m in smtp.messages)
    with transaction() as session:
        (row,) = session.execute(select(Notification).where(Notification.recipient_email == broken)).scalars()
        assert "cannot be written" in (row.last_error or "") and row.attempts == 1


def test_a_name_stored_with_a_line_break_goes_out_on_one_line_and_injects_nothing(la: Scc, smtp: Mailbox) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)
    with transaction() as session:  # names stored before the input checks refused breaks and separators
        session.query(Notification).filter(Notification.recipient_email == IP).update(
            {"recipient_name": "Ian Partner\r\nBcc: everyone@example.com", "subject": "Oak\u2028Primary: notice"})
    assert _send_in_a_fresh_process()[:2] == ["2", "0"]
    assert _statuses() == {LEAD: "sent", IP: "sent"}
    (to_ip,) = [m for m in smtp.messages if str(m["X-Envelope-To"]) == IP]
    assert str(to_ip["Subject"]) == "Oak Primary: notice" and "everyone@example.com" not in str(to_ip["X-Envelope-To"])
    assert "\n" not in str(to_ip["To"]) and "\u2028" not in str(to_ip["Subject"])


def test_a_row_left_sending_by_a_sender_that_died_is_sent_by_the_next(la: Scc, smtp: Mailbox) -> None:
    advance(la, open_case(la), "issue_warning_notice", "2026-10-05", *NOTICE)
    smtp.messages.clear()
    with transaction() as session:  # claimed an hour ago by a process that was killed before sending
        session.query(Notification).update({"status": "sending", "claimed_at": datetime.now(UTC) - timedelta(hours=1)})
    assert _send_in_a_fresh_process()[:2] == ["2", "0"]
    assert _statuses() == {LEAD: "sent", IP: "sent"}
    assert sorted(str(m["X-Envelope-To"]) for m in smtp.messages) == sorted([LEAD, IP])


KILLED_AFTER_COMMIT = """
import os, signal, sys
from datetime import date
from models.db.session import transaction
from models.services.cases import take_action
with transaction() as session:
    take_action(session, int(sys.argv[1]), "issue_warning_notice", dict(a.split("=", 1) for a in sys.argv[2:]),
                on=date(2026, 10, 5), actor_email="lead@riverford.example.gov.uk")
os.kill(os.getpid(), signal.SIGKILL)  # nothing after the action's own transaction runs
"""


def test_a_command_killed_as_soon_as_its_action_commits_has_already_queued_the_teams_email(la: Scc, smtp: Mailbox) -> None:
    case = open_case(la)
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT, str(case), *NOTICE], env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _statuses() == {LEAD: "queued", IP: "queued"}
    assert _send_in_a_fresh_process()[:2] == ["2", "0"]
