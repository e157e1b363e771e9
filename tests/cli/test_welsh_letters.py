"""Every document of the Wales playbook in Welsh, read back as a Welsh-speaking governor
would read it: Welsh words, Welsh dates, and none of the English letter's boilerplate."""

from __future__ import annotations

import re

import docx

from models.services.documents import has_welsh
from models.settings.files import playbook_named
from tests.cli.support import IP, LEAD, advance
from tests.cli.test_documents import text_of
from tests.conftest import Scc

# What only the English documents say: none of it may be left in a Welsh one.
ENGLISH = re.compile(r"\b(Dear|Yours|Our reference|Grounds|Reasons|the governing body|Monday|Tuesday|Wednesday|Thursday|Friday|"
                     r"January|February|March|April|June|July|August|September|October|November|December|working days|"
                     r"Priority|Next steps|Attending)\b")


def _read(path: str) -> str:
    """A document's words: its letterhead, paragraphs and the cells of its tables."""
    cells = [cell.text for table in docx.Document(path).tables for row in table.rows for cell in row.cells]
    return text_of(path) + "\n" + "\n".join(cells)


def _made(shown: dict, kind: str) -> str:
    (document,) = [d for d in shown["applied"]["documents"] if d["kind"] == kind]
    return str(document["path"])


def test_every_document_of_the_wales_playbook_can_be_made_in_welsh() -> None:
    book = playbook_named("wales")
    kinds = {kind for action in book.actions.values() for kind in action.documents} | {"tig_agenda"}
    assert len(kinds) >= 12 and all(has_welsh(kind) for kind in kinds), sorted(k for k in kinds if not has_welsh(k))
    welsh = book.notice.in_language("cy") if book.notice else None
    assert welsh is not None and set(welsh.grounds) == set(book.notice.grounds) and welsh.grounds["ground_1"].startswith("Sail 1")


def test_a_welsh_school_s_case_writes_every_document_in_welsh(la: Scc) -> None:
    la("school", "record", "100001", "--language", "cy")
    case = la.json("case", "open", "100001", "--reason", "Safonau'n gostwng", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor", "--as", LEAD)["id"]
    made = {}
    advance(la, case, "start_diagnosis", "2026-09-15")
    made["causing_concern_notification"] = _made(advance(la, case, "conclude_diagnosis", "2026-09-21", "level=LA4b",
                                                         "reasons=Safonau llythrennedd"), "causing_concern_notification")
    advance(la, case, "add_priority", "2026-09-22", "title=Llythrennedd", "success_criteria=80% yn darllen yn rhugl",
            "lead=Y pennaeth", "target_on=2027-07-16", "resources=Amser yr IP")
    made["tig_minutes"] = _made(advance(la, case, "record_tig_meeting", "2026-09-23", "attendees=Y pennaeth, yr IP",
                                        "notes=Cytunwyd ar y cynllun"), "tig_minutes")
    made["note_of_visit"] = _made(advance(la, case, "record_monitoring_visit", "2026-09-24", "focus=Darllen", "notes=Gwersi da",
                                          actor=IP), "note_of_visit")
    made["progress_review_report"] = _made(advance(la, case, "record_progress_review", "2026-09-25", "rag.1=red",
                                                   "reason.1=Dim cynnydd", "next_steps=Ymweliad arall", actor=IP),
                                           "progress_review_report")
    made["concern_letter"] = _made(advance(la, case, "send_concern_letter", "2026-09-28", "concerns=Darllen",
                                           "required_action=Cynllun", "timescale_days=10", "support=Ymweliadau"), "concern_letter")
    made["warning_notice"] = _made(advance(la, case, "issue_warning_notice", "2026-10-05", "grounds=ground_1,ground_5",
                                           "reasons=Safonau isel", "required_action=Gweithredu'r cynllun", "compliance_days=15",
                                           "minded_to=penodi llywodraethwyr ychwanegol"), "warning_notice")
    made["warning_notice_withdrawal"] = _made(advance(la, case, "record_compliance", "2026-11-30", "evidence=Cynllun ar waith"),
                                              "warning_notice_withdrawal")
    made["tig_agenda"] = la.json("doc", "render", str(case), "tig_agenda", "--as", LEAD)["path"]
    texts = {kind: _read(path) for kind, path in made.items()}
    for kind, text in texts.items():
        assert not ENGLISH.search(text), f"{kind} has English left in it: {ENGLISH.search(text)}"
    assert "Annwyl " in texts["concern_letter"] and "Yn gywir" in texts["concern_letter"]
    assert "Dydd Llun 21 Medi 2026" in texts["causing_concern_notification"]
    assert "coch (cyfyngedig)" in texts["progress_review_report"] and "Dim cynnydd" in texts["progress_review_report"]
    assert "Sail 5: mae'r corff llywodraethu neu'r pennaeth wedi methu" in texts["warning_notice"]
    assert "o Ddeddf Safonau a Threfniadaeth Ysgolion (Cymru) 2013" in texts["warning_notice_withdrawal"]
    assert "Gweinidogion Cymru (Y Gyfarwyddiaeth Addysg)" in texts["warning_notice_withdrawal"]
    assert "Llythrennedd" in texts["tig_agenda"] and "Adolygiad cynnydd hanner tymor" in texts["tig_agenda"]


def test_a_school_in_england_or_corresponding_in_english_keeps_english_letters(la: Scc) -> None:
    english = la.json("case", "open", "100004", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales", "--calendar", "glanmor",
                      "--as", LEAD)["id"]
    shown = advance(la, english, "issue_warning_notice", "2026-10-05", "grounds=ground_1", "reasons=Low", "required_action=Act",
                    "compliance_days=15", "minded_to=appoint additional governors")
    assert "Warning notice under section 3 of the School Standards" in text_of(_made(shown, "warning_notice"))
    la("school", "record", "100002", "--language", "cy")  # an English playbook's letters stay English whatever the school's language
    england = la.json("case", "open", "100002", "--reason", "r", "--on", "2026-09-14", "--as", LEAD)["id"]
    shown = advance(la, england, "issue_warning_notice", "2026-10-05", "grounds=low_standards", "reasons=Low",
                    "required_action=Act", "compliance_days=15", "minded_to=appoint additional governors")
    assert "Dear " in text_of(_made(shown, "warning_notice"))
    assert "unknown language 'klingon'" in la("school", "record", "100003", "--language", "klingon", ok=False).stderr
