"""The demo consortium: an English and a Welsh authority on one installation, each writing
its own letters in its own law on its own letterhead, and an IP shared between them."""

from __future__ import annotations

from pathlib import Path

import docx

from models.services import reading
from models.services.access import terminal_viewer
from models.services.demo import IP, LEAD, SENIOR, WELSH_LEAD
from tests.conftest import Mailbox, Scc


def _letter(path: str) -> tuple[str, str]:
    """A letter's header (the letterhead) and body, as its reader sees them."""
    document = docx.Document(path)
    header = " | ".join(p.text for s in document.sections for p in s.header.paragraphs if p.text)
    return header, "\n".join(p.text for p in document.paragraphs)


def _warning_notice(scc: Scc, case: int, who: str) -> tuple[str, str]:
    (notice,) = [d for d in scc.json("doc", "list", str(case), "--as", who) if d["kind"] == "warning_notice"]
    return _letter(notice["path"])


def test_two_authorities_write_their_own_warning_notices_in_their_own_law(scc: Scc) -> None:
    loaded = scc.json("demo", "--consortium")
    assert loaded["loaded"] is True and len(loaded["cases"]) == 5
    english, welsh = loaded["cases"][0], loaded["cases"][-1]
    head, body = _warning_notice(scc, english, LEAD)
    assert head.startswith("Riverford Council") and "Glanmor" not in head + body
    assert "section 60 of the Education and Inspections Act 2006" in body and "Riverford Council gives this warning notice" in body
    assert "Secretary of State" in body and "Welsh Ministers" not in body
    head, body = _warning_notice(scc, welsh, WELSH_LEAD)
    assert head.startswith("Glanmor County Council | Education Directorate") and "Riverford" not in head + body
    assert "section 3 of the School Standards and Organisation (Wales) Act 2013" in body
    assert "Glanmor County Council gives this warning notice to the governing body of Ysgol Gynradd Cwm Glas" in body
    assert "Ground 1: the standards of performance of pupils at the school are unacceptably low" in body
    assert "Welsh Ministers (Education Directorate)" in body and "Secretary of State" not in body
    # Counted on Glanmor's term dates and working days: 15 working days from Tuesday 21 September 2027.
    assert "within 15 working days of the date of this notice, that is by Tuesday 12 October 2027" in body
    again = scc.json("demo", "--consortium", "--as", SENIOR)
    assert again["loaded"] is False and again["cases"] == loaded["cases"][:4]
    assert scc.json("audit", "verify", "--as", SENIOR)["ok"] is True


def test_the_shared_ip_sees_both_authorities_and_each_lead_their_own(scc: Scc) -> None:
    loaded = scc.json("demo", "--consortium")
    welsh = loaded["cases"][-1]
    seen = {who: {c.id for c in reading.cases(terminal_viewer(who), reading.CaseQuery())} for who in (IP, LEAD, WELSH_LEAD, SENIOR)}
    assert seen[WELSH_LEAD] == {welsh}
    assert welsh not in seen[LEAD] and seen[LEAD] == set(loaded["cases"][:4])
    assert welsh in seen[IP] and seen[IP] - {welsh} and seen[IP] < seen[SENIOR]
    assert seen[SENIOR] == set(loaded["cases"])
    assert Path(scc.json("report", "termly", "--authority", "glanmor", "--as", SENIOR)["path"]).exists()
    work = reading.my_work(terminal_viewer(IP))
    items = work.overdue + work.due_soon + work.meetings
    assert items and {d.authority for d in items} <= {"Riverford Council", "Glanmor County Council"}
    # The outbox as each lead reads it: mail of their own authority's cases, and their own.
    welsh_mail = reading.notifications(terminal_viewer(WELSH_LEAD), None)
    assert welsh_mail and all(n.case_id == welsh or n.to == WELSH_LEAD for n in welsh_mail)
    assert all(n.case_id != welsh for n in reading.notifications(terminal_viewer(LEAD), None))


def test_each_authoritys_mail_comes_from_it_and_is_signed_by_it(scc: Scc, smtp: Mailbox) -> None:
    scc.json("demo", "--consortium")
    scc.json("flows", "run", "send_notifications", "--as", SENIOR)
    welsh = smtp.to(WELSH_LEAD)
    assert welsh and all(m["From"] == "gwella.ysgolion@glanmor.example.gov.wales" for m in welsh)
    assert all("Glanmor County Council" in m.get_payload(decode=True).decode() for m in welsh if not m.is_multipart())
    english = smtp.to(LEAD)
    assert english and all(m["From"] == "casework@riverford.example.gov.uk" for m in english)
    assert not any("Cwm Glas" in str(m["Subject"]) for m in english)
