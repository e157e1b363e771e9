"""Letters as drafts, then issued: a warning notice made as a draft that says its copies are
still to be sent, its reasons edited, then issued on a later day — the copy lines read from
how each copy went, the compliance period counted from the day it was given, an emailed
copy queued with the letter attached; every refusal one line that writes nothing."""

from __future__ import annotations

import hashlib
import io

import docx
from sqlalchemy import create_engine, text

from tests.cli.support import LEAD, NOTICE, SENIOR, advance, open_case
from tests.cli.test_documents import text_of
from tests.conftest import Scc

EVERYONE = ["--send", "chair=post", "--send", "head=email", "--send", "chief_inspector=post:2026-12-15",
            "--send", "secretary_of_state=post:2026-12-15"]


def _drafted(la: Scc, urn: str = "100001") -> tuple[int, int]:
    case = open_case(la, urn)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    (letter,) = [d for d in la.json("doc", "list", str(case)) if d["kind"] == "warning_notice"]
    return case, int(letter["id"])


def test_a_warning_notice_is_drafted_edited_and_issued_with_its_copies_recorded(la: Scc, db_url: str) -> None:
    case, letter = _drafted(la)
    shown = la.json("doc", "show", str(letter))
    assert shown["document"]["status"] == "draft" and shown["document"]["reference"] is None
    assert "Hana Head, Head Teacher: to be sent when this notice is issued" in shown["html"]
    assert "sent on" not in shown["html"]  # nothing has gone, so the draft says nothing went
    assert [t["name"] for t in shown["free_text"]] == ["reasons", "required_action", "minded_to", "foundation_body"]

    la("doc", "edit", str(letter), "--text", "reasons=Standards in reading fell for three years", "--as", LEAD)
    draft = la.json("doc", "list", str(case))[0]
    assert "Standards in reading fell for three years" in text_of(draft["path"])

    issued = la.json("doc", "issue", str(letter), "--on", "2026-12-14", *EVERYONE, "--as", LEAD)
    document = issued["document"]
    assert document["status"] == "issued" and document["issued_on"] == "2026-12-14"
    assert document["reference"] == f"SCC/{case}/WN/1"
    words = text_of(document["path"])
    assert "Monday 14 December 2026" in words and "Thursday 10 December 2026" not in words  # dated the day it was given
    assert "Hana Head, Head Teacher: sent by email on Monday 14 December 2026" in words
    assert ("The Secretary of State for Education (Regional Director, South West): sent by post on Tuesday 15 December 2026"
            in words)
    assert "Standards in reading fell for three years" in words
    with open(document["path"], "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == document["sha256"]
    assert [(d["role"], d["method"], d["sent_on"]) for d in issued["deliveries"]] == [
        ("chair", "post", "2026-12-14"), ("head", "email", "2026-12-14"), ("chief_inspector", "post", "2026-12-15"),
        ("secretary_of_state", "post", "2026-12-15")]

    # The compliance period (15 working days) runs from the day the notice was given.
    compliance = next(d for d in la.json("case", "show", str(case))["deadlines"] if d["kind"] == "compliance_period_end")
    assert compliance["due"] == "2027-01-07" and "after Mon 14 Dec 2026" in compliance["explanation"]
    with create_engine(db_url).connect() as connection:
        given, reasons = connection.execute(text("SELECT given_on, reasons FROM warning_notice")).one()
        queued = connection.execute(text("SELECT recipient_email, document_id FROM notification WHERE kind = 'letter'")).all()
        subject, body = connection.execute(text("SELECT subject, body FROM notification WHERE kind = 'letter'")).one()
    assert str(given) == "2026-12-14" and reasons == "Standards in reading fell for three years"
    assert queued == [("head@oak.example.sch.uk", letter)]
    assert subject.startswith("Warning notice: ") and subject.endswith(f"(SCC/{case}/WN/1)")
    assert body.startswith("Dear Hana Head,\n\nRiverford Council sends you the attached letter: Warning notice, ")
    assert f"reference SCC/{case}/WN/1, issued on Monday 14 December 2026." in body
    assert la("audit", "verify").exit_code == 0  # the notice and its moved deadlines agree with the audit log


def test_an_issued_letter_is_fixed_and_cannot_be_undone(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case, letter = _drafted(la)
    la("doc", "issue", str(letter), "--on", "2026-12-10", *EVERYONE[:2], "--send", "head=post",
       "--send", "chief_inspector=post", "--send", "secretary_of_state=hand", "--as", LEAD)
    assert "was issued on Thursday 10 December 2026" in refused("doc", "edit", str(letter), "--text", "reasons=x", "--as", LEAD)
    assert "was issued" in refused("doc", "issue", str(letter), *EVERYONE, "--as", LEAD)
    error = refused("case", "undo", str(case), "--reason", "wrong school", "--as", SENIOR)
    assert "warning notice has been issued since" in error and "withdraw the notice" in error
    again = la.json("doc", "render", str(case), "warning_notice", "--as", LEAD)  # a second version, made later
    assert "a notice is given once" in refused("doc", "issue", str(again["id"]), "--on", "2026-12-14", *EVERYONE, "--as", LEAD)


def test_an_action_whose_letter_is_still_a_draft_can_be_undone(la: Scc) -> None:
    case, letter = _drafted(la)
    la("doc", "edit", str(letter), "--text", "minded_to=appoint an interim executive board", "--as", LEAD)
    undone = la.json("case", "undo", str(case), "--reason", "the notice was for another school", "--as", SENIOR)
    assert undone["stage"] == "concern_raised"
    (draft,) = la.json("doc", "list", str(case))
    assert draft["status"] == "withdrawn"
    assert la("doc", "issue", str(letter), *EVERYONE, "--as", LEAD, ok=False).exit_code == 1


def test_refusals_name_the_problem_and_write_nothing(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case, letter = _drafted(la)
    assert "say how The Secretary of State" in refused("doc", "issue", str(letter), "--on", "2026-12-10", *EVERYONE[:6],
                                                       "--as", LEAD)
    assert "a day still to come" in refused("doc", "issue", str(letter), "--on", "2027-10-01", *EVERYONE, "--as", LEAD)
    assert "before Thursday 10 December 2026" in refused("doc", "issue", str(letter), "--on", "2026-12-09", *EVERYONE,
                                                         "--as", LEAD)
    _, unnamed_chair = _drafted(la, "100004")  # the foundation school's chair has no address on record
    assert "no email address is on record for The Chair of Governors" in refused("doc", "issue", str(unnamed_chair), "--on", "2026-12-10",
                                                                                 "--send", "chair=email", "--as", LEAD)
    assert "say email, post or hand" in refused("doc", "issue", str(letter), *EVERYONE[:6], "--send", "secretary_of_state=fax",
                                                "--as", LEAD)
    assert "has no recipient 'governor'" in refused("doc", "issue", str(letter), *EVERYONE, "--send", "governor=post", "--as", LEAD)
    assert "no free text 'grounds'" in refused("doc", "edit", str(letter), "--text", "grounds=safety", "--as", LEAD)
    assert "cannot be left empty" in refused("doc", "edit", str(letter), "--text", "reasons= ", "--as", LEAD)
    assert "nothing was changed" in refused("doc", "edit", str(letter), "--text", "reasons=Standards fell", "--as", LEAD)
    assert "cannot make the warning notice" in refused("doc", "issue", str(letter), *EVERYONE, "--as",
                                                       "ip@riverford.example.gov.uk")
    assert case > 0


def test_a_letter_edited_in_word_is_issued_as_uploaded(la: Scc, refused, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case, letter = _drafted(la)
    not_word = tmp_path / "notice.docx"
    not_word.write_bytes(b"%PDF-1.7 not a Word file")
    assert "not a Word .docx file" in refused("doc", "upload", str(letter), str(not_word), "--as", LEAD)
    word = docx.Document()
    paragraph = word.add_paragraph("Warning notice, as the authority's solicitor finished it in Word. ")
    link = docx.oxml.shared.OxmlElement("w:hyperlink")  # a link a reader of the page must not be able to follow
    link.set(docx.oxml.shared.qn("r:id"), word.part.relate_to("javascript:alert(1)", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                                                              is_external=True))
    run = docx.oxml.shared.OxmlElement("w:r")
    text = docx.oxml.shared.OxmlElement("w:t")
    text.text = "Read more"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    buffer = io.BytesIO()
    word.save(buffer)
    edited = tmp_path / "warning notice final.docx"
    edited.write_bytes(buffer.getvalue())
    la("doc", "upload", str(letter), str(edited), "--as", LEAD)
    assert la.json("doc", "show", str(letter))["free_text"] == []  # edited in Word from now on
    issued = la.json("doc", "issue", str(letter), "--on", "2026-12-10", *EVERYONE, "--as", LEAD)
    assert issued["document"]["sha256"] == hashlib.sha256(buffer.getvalue()).hexdigest()
    assert "as the authority's solicitor finished it" in issued["html"] and "Read more" in issued["html"]
    assert "javascript" not in issued["html"] and "<a" not in issued["html"]
    assert case > 0
