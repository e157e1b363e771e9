"""Two processes writing to the audit trail at once — a page signing someone in while the
scheduler's sweep records its reminders — both succeed, one after the other, and the chain
stays whole. On SQLite (the default) the second used to be refused with a server error."""

from __future__ import annotations

import threading
import time

from models.db import audit
from models.db.session import transaction


def test_two_writers_at_once_are_chained_one_after_the_other(db_url: str) -> None:
    with transaction() as session:
        first = audit.record(session, "sweep@scc", "reminders_sent")
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def sweep() -> None:
        with transaction() as session:
            outcome["sweep"] = audit.record(session, "sweep@scc", "reminders_sent")
            holding.set()
            release.wait(10)  # its transaction still open while the page writes

    def sign_in() -> None:
        holding.wait(10)
        try:
            with transaction() as session:
                outcome["sign_in"] = audit.record(session, "lead@la.example.gov.uk", "signed_in")
        except Exception as error:  # noqa: BLE001 - the failure is what the test reports
            outcome["sign_in"] = error

    threads = [threading.Thread(target=sweep), threading.Thread(target=sign_in)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.5)  # the page is now waiting for the sweep's transaction
    release.set()
    for thread in threads:
        thread.join(30)
    assert outcome == {"sweep": first + 1, "sign_in": first + 2}
    with transaction() as session:
        assert audit.verify(session).ok
