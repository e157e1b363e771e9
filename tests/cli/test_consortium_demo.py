"""The demo consortium: an English and a Welsh authority on one installation, each writing
its own letters in its own law on its own letterhead, and an IP shared between them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

import docx
import pytest
from sqlalchemy import create_engine, text

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
    head, body = _warning_notice(scc, welsh, WELSH_LEAD)  # the school corresponds in Welsh: its notice is in Welsh
    assert head.startswith("Cyngor Sir Glanmor | Cyfarwyddiaeth Addysg") and "Riverford" not in head + body
    assert "Hysbysiad rhybuddio o dan adran 3 o Ddeddf Safonau a Threfniadaeth Ysgolion (Cymru) 2013" in body
    assert "Mae Cyngor Sir Glanmor yn rhoi'r hysbysiad rhybuddio hwn i gorff llywodraethu Ysgol Gynradd Cwm Glas" in body
    assert "Sail 1: mae safonau perfformiad disgyblion yn yr ysgol yn annerbyniol o isel" in body
    assert "Gweinidogion Cymru (Y Gyfarwyddiaeth Addysg)" in body and "Catrin Hughes, Pennaeth" in body
    assert "Annwyl Dafydd Roberts," in body and "Yn gywir" in body and "Prif Swyddog Addysg" in body
    # Counted on Glanmor's term dates and working days: 15 working days from Tuesday 21 September 2027, said in Welsh.
    assert "Dydd Mawrth 21 Medi 2027" in body and "o fewn 15 diwrnod gwaith o ddyddiad yr hysbysiad hwn, hynny yw erbyn " \
        "Dydd Mawrth 12 Hydref 2027" in body
    assert "Secretary of State" not in body and "Welsh Ministers" not in body and "Dear" not in body
    again = scc.json("demo", "--consortium", "--as", SENIOR)
    assert again["loaded"] is False and again["cases"] == loaded["cases"][:4]
    assert scc.json("audit", "verify", "--as", SENIOR)["ok"] is True


def test_a_bilingual_school_s_warning_notice_is_in_welsh_then_english(scc: Scc) -> None:
    scc.json("demo", "--consortium")
    case = scc.json("case", "open", "991002", "--reason", "Standards falling", "--on", "2027-09-14", "--lead", WELSH_LEAD,
                    "--as", WELSH_LEAD)["id"]
    scc.json("case", "advance", str(case), "issue_warning_notice", "--on", "2027-09-21", "--as", WELSH_LEAD,
             "--set", "grounds=ground_2", "--set", "reasons=Llywodraethu gwan / Weak governance",
             "--set", "required_action=Cynllun / A plan", "--set", "compliance_days=10", "--set", "minded_to=penodi / appoint")
    head, body = _warning_notice(scc, case, WELSH_LEAD)
    assert head.startswith("Cyngor Sir Glanmor / Glanmor County Council")
    welsh, english = body.index("Ein cyfeirnod:"), body.index("Our reference:")
    assert welsh < body.index("Hysbysiad rhybuddio o dan adran 3") < english < body.index("Warning notice under section 3")
    assert "Sail 2: bu chwalfa yn y ffordd y caiff yr ysgol ei rheoli" in body[:english]
    assert "Ground 2: there has been a breakdown in the way the school is managed or governed" in body[english:]
    assert "Gweinidogion Cymru" in body[:english] and "Welsh Ministers (Education Directorate)" in body[english:]
    assert "Dydd Mawrth 21 Medi 2027" in body[:english] and "Tuesday 21 September 2027" in body[english:]
    assert "10 diwrnod gwaith" in body and "10 working days" in body


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


def test_someone_written_to_in_welsh_is_reminded_in_welsh_of_the_same_count(scc: Scc, smtp: Mailbox,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    scc.json("demo", "--consortium")
    scc("person", "set-language", WELSH_LEAD, "cy", "--as", WELSH_LEAD)
    monkeypatch.setenv("SCC_TODAY", "2027-10-05")  # five working days before the compliance period ends
    scc.json("flows", "run", "deadline_sweep", "--as", SENIOR)
    (mail,) = [m for m in smtp.to(WELSH_LEAD) if "Nodyn atgoffa" in _subject(m)]
    assert _subject(mail) == ("Nodyn atgoffa: Diwedd cyfnod cydymffurfio'r hysbysiad rhybuddio — Ysgol Gynradd Cwm Glas "
                              "(yn ddyledus Dydd Mawrth 12 Hydref 2027)")
    body = mail.get_payload(decode=True).decode()
    assert body.startswith("Annwyl Rhian Davies,") and "ymhen 5 diwrnod gwaith" in body
    assert "15 diwrnod gwaith ar ôl Maw 21 Medi 2027 (2027-09-21)" in body and "yw Maw 12 Hyd 2027 (2027-10-12)" in body
    assert "Cyngor Sir Glanmor — SCC Casework" in body and "Dear" not in body and "working day" not in body
    # The senior officer, written to in English, is reminded of the same deadline in English.
    (english,) = [m for m in smtp.to(SENIOR) if "Cwm Glas" in _subject(m) and _subject(m).startswith("Reminder")]
    assert "15 working days after Tue 21 Sep 2027 (2027-09-21)" in english.get_payload(decode=True).decode()


def _subject(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def test_an_ip_of_both_authorities_gets_a_welsh_digest_naming_each_authority(scc: Scc, smtp: Mailbox,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    scc.json("demo", "--consortium")
    scc("person", "set-language", IP, "cy", "--as", IP)
    monkeypatch.setenv("SCC_TODAY", "2027-10-04")  # a Monday: the digests' day
    scc.json("flows", "run", "deadline_sweep", "--as", SENIOR)
    (digest,) = [m for m in smtp.to(IP) if _subject(m).startswith("Eich terfynau amser")]
    assert _subject(digest) == "Eich terfynau amser gwaith achos, wythnos Dydd Llun 4 Hydref 2027"
    body = digest.get_payload(decode=True).decode()
    assert body.startswith("Annwyl Priya Raman,") and "Diwedd cyfnod cydymffurfio'r hysbysiad rhybuddio" in body
    assert "Ysgol Gynradd Cwm Glas (achos 5, Cyngor Sir Glanmor)" in body and "Riverford Council" in body
    assert "Dydd Mawrth 12 Hydref 2027" in body and "Your deadlines" not in body


def test_an_authority_can_set_its_bilingual_letters_side_by_side(scc: Scc, refused: Callable[..., str], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(Path(__file__).parents[2] / "config", tmp_path / "config")
    shipped = (tmp_path / "config" / "letterheads" / "glanmor.toml").read_text()
    (tmp_path / "config" / "letterheads" / "side.toml").write_text(shipped + 'bilingual_layout = "side_by_side"\n')
    (tmp_path / "config" / "letterheads" / "typo.toml").write_text(shipped + 'bilingual_layout = "columns"\n')
    monkeypatch.setenv("SCC_CONFIG_DIR", str(tmp_path / "config"))
    scc.json("demo", "--consortium")
    error = refused("authority", "change", "glanmor", "--letterhead", "letterheads/typo.toml", "--as", SENIOR)
    assert 'typo.toml:15: bilingual_layout must be "after" (the Welsh, then the English) or "side_by_side" (two columns)' in error
    scc.json("authority", "change", "glanmor", "--letterhead", "letterheads/side.toml", "--as", SENIOR)
    case = scc.json("case", "open", "991002", "--reason", "Standards falling", "--on", "2027-09-14", "--lead", WELSH_LEAD,
                    "--as", WELSH_LEAD)["id"]
    scc.json("case", "advance", str(case), "issue_warning_notice", "--on", "2027-09-21", "--as", WELSH_LEAD,
             "--set", "grounds=ground_2", "--set", "reasons=Llywodraethu gwan / Weak governance",
             "--set", "required_action=Cynllun / A plan", "--set", "compliance_days=10", "--set", "minded_to=penodi / appoint")
    (notice,) = [d for d in scc.json("doc", "list", str(case), "--as", WELSH_LEAD) if d["kind"] == "warning_notice"]
    document = docx.Document(notice["path"])
    (columns,) = document.tables
    welsh, english = (cell.text for cell in columns.rows[0].cells)
    assert welsh.startswith("Ein cyfeirnod:") and "Hysbysiad rhybuddio o dan adran 3" in welsh and "Gweinidogion Cymru" in welsh
    assert "Dydd Mawrth 21 Medi 2027" in welsh and "Our reference:" not in welsh
    assert english.startswith("Our reference:") and "Warning notice under section 3" in english and "Welsh Ministers" in english
    assert "Tuesday 21 September 2027" in english and "Ein cyfeirnod:" not in english
    assert not [p for p in document.paragraphs if p.text]  # nothing outside the two columns


def test_the_case_team_is_told_of_new_deadlines_each_in_their_own_language(scc: Scc, smtp: Mailbox) -> None:
    scc.json("demo", "--consortium")
    scc("person", "set-language", WELSH_LEAD, "cy", "--as", WELSH_LEAD)
    case = scc.json("case", "open", "991002", "--reason", "Standards falling", "--on", "2027-09-14", "--lead", WELSH_LEAD,
                    "--as", WELSH_LEAD)["id"]
    scc.json("case", "advance", str(case), "issue_warning_notice", "--on", "2027-09-21", "--as", WELSH_LEAD,
             "--set", "grounds=ground_2", "--set", "reasons=Llywodraethu gwan / Weak governance",
             "--set", "required_action=Cynllun / A plan", "--set", "compliance_days=10", "--set", "minded_to=penodi / appoint")
    scc.json("flows", "run", "send_notifications", "--as", SENIOR)
    (welsh,) = [m for m in smtp.to(WELSH_LEAD) if "Ysgol Uwchradd Glanmor" in _subject(m)]
    body = welsh.get_payload(decode=True).decode()
    assert body.startswith("Annwyl Rhian Davies,") and "Terfynau amser newydd:" in body
    assert "- Diwedd cyfnod cydymffurfio'r hysbysiad rhybuddio: yn ddyledus Dydd Mawrth 5 Hydref 2027 (10 diwrnod gwaith ar ôl " \
           "Maw 21 Medi 2027 (2027-09-21)" in body
    assert "Cyngor Sir Glanmor — SCC Casework" in body and "Dear" not in body and "working days" not in body
    (english,) = [m for m in smtp.to("owain.pritchard@glanmor.example.gov.wales") if "Ysgol Uwchradd Glanmor" in _subject(m)]
    body = english.get_payload(decode=True).decode()
    assert body.startswith("Dear ") and "due Tuesday 5 October 2027 (10 working days after Tue 21 Sep 2027 (2027-09-21)" in body


def test_a_welsh_letter_goes_with_a_covering_email_in_welsh(scc: Scc, db_url: str) -> None:
    loaded = scc.json("demo", "--consortium")
    welsh = loaded["cases"][-1]
    (notice,) = [d for d in scc.json("doc", "list", str(welsh), "--as", WELSH_LEAD) if d["kind"] == "warning_notice"]
    issued = scc.json("doc", "issue", str(notice["id"]), "--on", "2027-09-22", "--send", "head=email", "--send", "chair=post",
                      "--send", "welsh_ministers=post", "--as", WELSH_LEAD)
    reference = issued["document"]["reference"]
    with create_engine(db_url).connect() as connection:
        subject, body = connection.execute(text("SELECT subject, body FROM notification WHERE kind = 'letter'")).one()
    assert subject == f"Hysbysiad rhybuddio: Ysgol Gynradd Cwm Glas ({reference})"
    assert body.startswith("Annwyl Catrin Hughes,\n\nMae Cyngor Sir Glanmor yn anfon y llythyr amgaeedig atoch: Hysbysiad rhybuddio, "
                           f"Ysgol Gynradd Cwm Glas (URN 991001), cyfeirnod {reference}, a gyhoeddwyd ar Dydd Mercher 22 Medi 2027.")
    assert "Dear" not in body and "Cyngor Sir Glanmor — SCC Casework" in body


def test_an_alert_goes_to_each_person_in_their_own_language(scc: Scc, smtp: Mailbox, monkeypatch: pytest.MonkeyPatch,
                                                             db_url: str) -> None:
    scc.json("demo", "--consortium")
    scc("person", "set-language", WELSH_LEAD, "cy", "--as", WELSH_LEAD)
    monkeypatch.setenv("SCC_TODAY", "2027-10-14")  # two days after the compliance period ended, with no outcome recorded
    scc.json("flows", "run", "deadline_sweep", "--as", SENIOR)
    (welsh,) = [m for m in smtp.to(WELSH_LEAD) if _subject(m).startswith("Angen gweithredu")]
    assert _subject(welsh) == ("Angen gweithredu: Ysgol Gynradd Cwm Glas — Mae cyfnod cydymffurfio'r hysbysiad rhybuddio wedi dod "
                               "i ben heb ganlyniad: cofnodwch gydymffurfiaeth neu ddiffyg cydymffurfiaeth")
    body = welsh.get_payload(decode=True).decode()
    assert body.startswith("Annwyl Rhian Davies,") and "Achos 5: Ysgol Gynradd Cwm Glas (URN 991001), ar y cam " in body
    assert "Roedd diwedd cyfnod cydymffurfio'r hysbysiad rhybuddio yn ddyledus Maw 12 Hyd 2027 (2027-10-12)." in body
    assert "Cyngor Sir Glanmor — SCC Casework" in body and "Dear" not in body
    (english,) = [m for m in smtp.to(SENIOR) if _subject(m).startswith("Action needed: Ysgol Gynradd Cwm Glas")]
    assert "The compliance period end was Tue 12 Oct 2027 (2027-10-12)." in english.get_payload(decode=True).decode()
    # the case page and My work list the alert in Welsh on a Welsh page (a case on Welsh term dates), in English otherwise
    with create_engine(db_url).connect() as connection:
        rows = connection.execute(text("SELECT a.detail, a.detail_cy, s.name FROM alert a JOIN case_record c ON c.id = a.case_id "
                                       "JOIN school s ON s.id = c.school_id")).all()
    detail, detail_cy = {name: (detail, detail_cy) for detail, detail_cy, name in rows}["Ysgol Gynradd Cwm Glas"]
    assert detail.endswith("The compliance period end was Tue 12 Oct 2027 (2027-10-12).")
    assert detail_cy.startswith("Mae cyfnod cydymffurfio'r hysbysiad rhybuddio wedi dod i ben heb ganlyniad")
    assert detail_cy.endswith("Roedd diwedd cyfnod cydymffurfio'r hysbysiad rhybuddio yn ddyledus Maw 12 Hyd 2027 (2027-10-12).")
