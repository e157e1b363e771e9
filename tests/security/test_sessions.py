"""Sessions that end: kept on the server, so that signing out, a new password, a new role and
a lock end them for good (a copied cookie too), with an idle and an absolute time-out; a
new session id at every sign-in; and the API tokens of a person ended with their sessions
where their access changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from models.db.session import transaction
from models.services import accounts
from models.services.directory import person_by_email
from tests.cli.support import LEAD, SENIOR
from tests.conftest import OTHER_IP, PASSWORD, Scc, bearer, dump
from tests.security.support import copied, csrf, session_of, signed_in


def _home(client: httpx.Client) -> int:
    return client.get("/", follow_redirects=False).status_code


def test_signing_out_ends_the_session_for_a_copied_cookie_too(server: str, staff: dict[str, str], la: Scc) -> None:
    mine = signed_in(server, LEAD)
    stolen = copied(server, mine)
    other_browser = signed_in(server, LEAD)
    assert _home(stolen) == 200
    mine.post("/sign-out", data={"csrftoken": csrf(mine, "/")})
    assert _home(stolen) == 303 and _home(mine) == 303 and _home(other_browser) == 303
    # a script's token is not a browser: signing out leaves it working
    assert httpx.get(server + "/api/v1/cases", headers=bearer(staff[LEAD])).status_code == 200


def test_a_new_password_ends_every_session_and_token(server: str, staff: dict[str, str], la: Scc) -> None:
    browser = signed_in(server, OTHER_IP)
    la("person", "set-password", OTHER_IP, "--as", SENIOR, input="a brand new password\n")
    assert _home(browser) == 303
    assert httpx.get(server + "/api/v1/cases", headers=bearer(staff[OTHER_IP])).status_code == 401
    assert _home(signed_in(server, OTHER_IP, "a brand new password")) == 200


def test_moving_someone_out_of_staff_and_back_does_not_bring_back_their_cookie_or_tokens(
        server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    browser = signed_in(server, OTHER_IP)
    la("person", "set-role", OTHER_IP, "other", "--as", SENIOR)
    la("person", "set-role", OTHER_IP, "ip", "--as", SENIOR)
    assert _home(browser) == 303
    assert httpx.get(server + "/api/v1/cases", headers=bearer(staff[OTHER_IP])).status_code == 401
    events = [row[3] for row in dump(db_url)["audit_event"]]
    assert events.count("access_ended") == 1  # the second change found nothing left to end


def test_a_lock_ends_every_session_and_token(server: str, staff: dict[str, str], la: Scc) -> None:
    browser = signed_in(server, OTHER_IP)
    guesser = httpx.Client(base_url=server)
    for _ in range(accounts.MAX_FAILURES):
        guesser.post("/sign-in", data={"email": OTHER_IP, "password": "a wrong guess!!", "csrftoken": csrf(guesser)})
    assert _home(browser) == 303
    assert httpx.get(server + "/api/v1/cases", headers=bearer(staff[OTHER_IP])).status_code == 401


def test_every_sign_in_gets_a_new_session_id_and_a_planted_one_is_worth_nothing(server: str, staff: dict[str, str],
                                                                                la: Scc) -> None:
    planted = httpx.Client(base_url=server)
    planted.cookies.set("scc_session", "an-id-chosen-by-an-attacker-0123456789", domain="127.0.0.1")
    assert _home(planted) == 303
    answer = planted.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "csrftoken": csrf(planted), "next": "/"})
    assert answer.status_code == 303 and session_of(planted) != "an-id-chosen-by-an-attacker-0123456789"
    again = signed_in(server, LEAD)
    assert session_of(again) != session_of(planted) and _home(planted) == 200 and _home(again) == 200


def test_a_session_ends_after_two_idle_hours_or_twelve_hours_in_all(la: Scc) -> None:
    start = datetime(2027, 9, 30, 8, 0, tzinfo=UTC)
    with transaction() as session:
        person = person_by_email(session, LEAD)
        idle, busy = accounts.start_session(session, person, start), accounts.start_session(session, person, start)
    with transaction() as session:
        assert accounts.person_for_session(session, idle, start + timedelta(hours=1, minutes=59)) is not None
        assert accounts.person_for_session(session, idle, start + timedelta(hours=4)) is None  # idle since 09:59
        assert accounts.person_for_session(session, idle, start + timedelta(hours=4, minutes=1)) is None  # and ended
    for hour in range(1, 12):  # used every hour, it still ends at twelve hours
        with transaction() as session:
            assert accounts.person_for_session(session, busy, start + timedelta(hours=hour)) is not None
    with transaction() as session:
        assert accounts.person_for_session(session, busy, start + timedelta(hours=12, minutes=1)) is None


def test_the_daily_sweep_forgets_sessions_that_cannot_be_alive(la: Scc) -> None:
    with transaction() as session:
        lead = person_by_email(session, LEAD)
        old = accounts.start_session(session, lead, now=datetime.now(UTC) - timedelta(hours=accounts.LONGEST_HOURS, days=2))
        live = accounts.start_session(session, lead)
    report = la.json("flows", "run", "deadline_sweep")
    assert report["sessions_forgotten"] == 1
    with transaction() as session:
        assert accounts.person_for_session(session, live) is not None
        assert accounts.person_for_session(session, old) is None
