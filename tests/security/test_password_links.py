"""One-time links to choose a password: an invitation lasts 72 hours, a forgotten-password
link one hour; each works once, a newer one ends the older, only staff get one, and the
forgotten-password page says the same whoever asks (no account enumeration)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from models.db.messages import Notification
from models.db.session import transaction
from models.errors import FieldError, InvalidInput
from models.services import accounts
from tests.cli.support import IP, LEAD, SENIOR
from tests.conftest import PASSWORD, Scc
from tests.security.support import csrf, signed_in

SITE = "https://casework.riverford.example.gov.uk/"
START = datetime(2027, 9, 30, 9, 0, tzinfo=UTC)


def _links(email: str) -> list[str]:
    """The links emailed to ``email``, oldest first, as the outbox holds them."""
    with transaction() as session:
        bodies = session.execute(select(Notification.body).where(Notification.recipient_email == email,
                                                                 Notification.kind.like("password_%"))
                                 .order_by(Notification.id)).scalars().all()
    return [re.search(r"https?://\S+/set-password/(\S+)", body).group(1) for body in bodies]  # type: ignore[union-attr]


def test_an_invitation_works_once_and_a_newer_link_ends_it(la: Scc) -> None:
    with transaction() as session:
        accounts.send_password_link(session, IP, "invite", SENIOR, SITE, START)
        accounts.send_password_link(session, IP, "invite", SENIOR, SITE, START + timedelta(minutes=1))
    first, second = _links(IP)
    with transaction() as session, pytest.raises(InvalidInput, match="expired or has already been used"):
        accounts.use_password_link(session, first, PASSWORD, START + timedelta(minutes=2))  # the newer one ended it
    with transaction() as session, pytest.raises(FieldError, match="12 to 200 characters"):
        accounts.use_password_link(session, second, "short", START + timedelta(minutes=2))
    with transaction() as session:
        assert accounts.use_password_link(session, second, PASSWORD, START + timedelta(hours=71)).email == IP
    with transaction() as session, pytest.raises(InvalidInput, match="expired or has already been used"):
        accounts.use_password_link(session, second, PASSWORD, START + timedelta(hours=71))  # once
    with transaction() as session:
        assert accounts.sign_in(session, IP, PASSWORD).email == IP


def test_a_forgotten_password_link_lasts_an_hour_and_comes_once_in_five_minutes(la: Scc) -> None:
    with transaction() as session:
        accounts.request_password_reset(session, LEAD, SITE, START)
        accounts.request_password_reset(session, LEAD, SITE, START + timedelta(minutes=2))  # too soon: no second email
        accounts.request_password_reset(session, "nobody@elsewhere.example.org", SITE, START)
        accounts.request_password_reset(session, "head@oak.example.sch.uk", SITE, START)  # on record, not staff
    (link,) = _links(LEAD)
    assert _links("nobody@elsewhere.example.org") == _links("head@oak.example.sch.uk") == []
    with transaction() as session, pytest.raises(InvalidInput, match="expired"):
        accounts.use_password_link(session, link, PASSWORD, START + timedelta(minutes=61))
    with transaction() as session:
        accounts.request_password_reset(session, LEAD, SITE, START + timedelta(minutes=6))
    assert len(_links(LEAD)) == 2


def test_the_forgotten_password_page_tells_nobody_who_has_an_account(server: str, la: Scc) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        said = []
        for email in (LEAD, "nobody@elsewhere.example.org"):
            answer = client.post("/forgotten-password", data={"email": email, "csrftoken": csrf(client, "/forgotten-password")})
            assert answer.status_code == 200
            said.append(answer.text.replace(email, "EMAIL"))
        assert said[0] == said[1] and "a link to choose a new password is on its way" in said[0]
        refused = client.post("/forgotten-password", data={"email": "", "csrftoken": csrf(client, "/forgotten-password")})
        assert refused.status_code == 422 and 'id="email-error"' in refused.text
        (link,) = _links(LEAD)
        expired = client.get("/set-password/not-a-link")
        assert expired.status_code == 410 and "Ask for a new link" in expired.text
        chosen = client.post(f"/set-password/{link}", data={"password": PASSWORD + " again", "confirm": PASSWORD + " again",
                                                            "csrftoken": csrf(client, f"/set-password/{link}")})
        assert chosen.status_code == 303 and chosen.headers["location"] == "/sign-in?done=password"
    signed_in(server, LEAD, PASSWORD + " again").close()


def test_a_forgotten_password_link_never_points_where_the_asker_s_host_header_says(
        server: str, la: Scc, monkeypatch: pytest.MonkeyPatch) -> None:
    """Password-reset poisoning: someone asks for a lead's link with the Host header of their
    own site; the link is built from SCC_PUBLIC_URL, or not at all, never from that header."""
    with httpx.Client(base_url=server, timeout=60) as client:
        token = csrf(client, "/forgotten-password")
        forged = {"email": LEAD, "csrftoken": token}
        answer = client.post("/forgotten-password", data=forged, headers={"host": "casework.attacker.example"})
        assert answer.status_code == 200 and "is on its way" in answer.text  # it says the same
        assert _links(LEAD) == []  # and sends nothing built from a host it cannot trust
        monkeypatch.setenv("SCC_PUBLIC_URL", "https://casework.riverford.example.gov.uk/")
        client.post("/forgotten-password", data=forged, headers={"host": "casework.attacker.example"})
    with transaction() as session:
        (body,) = session.execute(select(Notification.body).where(Notification.recipient_email == LEAD)).scalars()
    assert "https://casework.riverford.example.gov.uk/set-password/" in body and "attacker" not in body


def test_someone_who_reads_welsh_is_invited_and_told_of_a_lock_in_welsh(la: Scc) -> None:
    la("person", "set-language", IP, "cy", "--as", IP)
    la("person", "set-password", IP, "--as", IP, input=PASSWORD + "\n")
    with transaction() as session:
        accounts.send_password_link(session, IP, "invite", SENIOR, SITE, START)
        accounts.send_password_link(session, LEAD, "invite", SENIOR, SITE, START)
    for _ in range(accounts.MAX_FAILURES):
        with transaction() as session, pytest.raises(accounts.SignInRefused):
            accounts.sign_in(session, IP, "not the password", START)
    with transaction() as session:
        mail = {(n.recipient_email, n.kind): n for n in session.execute(select(Notification)).scalars()}
    invited = mail[IP, "password_invite"]
    assert invited.subject == "Gwahoddiad i SCC Casework" and invited.body.startswith("Annwyl ")
    assert "Dewiswch eich cyfrinair yma:" in invited.body and f"{SITE}set-password/" in invited.body
    assert "am 72 awr (tan 09:00 UTC ar Dydd Sul 3 Hydref 2027)" in invited.body and "Dear" not in invited.body
    assert mail[LEAD, "password_invite"].subject == "You are invited to SCC Casework"
    assert "for 72 hours (until 09:00 UTC on 3 October 2027)" in mail[LEAD, "password_invite"].body
    locked = mail[IP, "account_locked"]
    assert locked.subject == "Mae eich cyfrif SCC Casework wedi'i gloi am ychydig"
    assert f"ar ôl {accounts.MAX_FAILURES} ymgais aflwyddiannus i fewngofnodi yn olynol" in locked.body
