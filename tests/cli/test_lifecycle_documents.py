"""Every document of the lifecycle, produced by the action that calls for it, opened and read."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.cli.support import IP, NOTICE, advance, open_case
from tests.cli.support import made as _made
from tests.cli.test_documents import text_of
from tests.conftest import Scc

FILL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill"


def _fills(table: object) -> list[list[str]]:
    """The shading colour of every cell, row by row ('' where a cell is not shaded)."""
    result = []
    for row in table.rows:  # type: ignore[attr-defined]
        fills = []
        for cell in row.cells:
            shading = cell._tc.xpath("./w:tcPr/w:shd")
            fills.append(shading[0].get(FILL) if shading else "")
        result.append(fills)
    return result


def test_every_monitoring_document_carries_its_records(monitored: tuple[Scc, int, dict[str, str]]) -> None:
    la, case, paths = monitored
    text = text_of(paths["causing_concern_notification"])
    assert "is a school causing concern" in text and "LA4b" in text and "Reading & writing <well below> floor" in text
    assert "Friday 25 September 2026" in text and "Carl Chair" in text and "Hana Head" in text
    assert ("monitor progress through improvement partner visits, half-termly progress reviews and Targeted "
            "Intervention Group meetings, which the head teacher and the chair of governors attend.") in text

    assert "Inspection category: special measures" in text_of(paths["category_letter"])
    assert "The authority will prepare its statement of action by Monday 12 October 2026" in text_of(paths["category_letter"])

    statement = docx.Document(paths["statement_of_action"])
    text = text_of(paths["statement_of_action"])
    assert "Friday 16 July 2027" in text and "Reading first; governance review" in text
    rows = [[c.text for c in row.cells] for row in statement.tables[0].rows]
    assert rows[0] == ["#", "Priority", "Success criteria", "Lead", "Target date (milestone)", "Resources"]
    assert rows[1] == ["1", "Raise attainment in reading", "70% at expected", "Deputy head", "Friday 26 March 2027",
                       "English hub support"]
    assert rows[2] == ["2", "Strengthen governance", "Governors challenge leaders", "Chair of governors", "Friday 12 February 2027",
                       "National leader of governance"]
    assert "A letter to every family and a meeting for parents with the chair" in text  # EA 2005 s15(2)
    assert "Chief Inspector" in text and "Our reference: SCC/" in text
    roles = [r["role"] for r in next(d for d in la.json("doc", "list", str(case)) if d["kind"] == "statement_of_action")["recipients"]]
    assert roles == ["chair", "head", "inspectorate"]  # the Chief Inspector; no appointer for a community school

    text = text_of(paths["tig_minutes"])
    assert "Tuesday 6 October 2026" in text and "Funding agreed for phonics training" in text and "Head, chair, lead, IP" in text
    text = text_of(paths["note_of_visit"])
    assert "Phonics teaching" in text and "Strong routines in Year 1" in text and "Ian Partner" in text

    review = docx.Document(paths["progress_review_report"])
    cells = [[c.text for c in row.cells] for row in review.tables[0].rows]
    assert cells[1] == ["1", "Raise attainment in reading", "red (limited)", "Reading still below 40%"]
    assert cells[2] == ["2", "Strengthen governance", "green (very good)", "Minutes show challenge"]
    assert [fills[2] for fills in _fills(review.tables[0])[1:]] == ["FF0000", "00B050"]
    assert "Reading audit by half-term" in text_of(paths["progress_review_report"])


def test_tig_agenda_on_demand(monitored: tuple[Scc, int, dict[str, str]]) -> None:
    la, case, _ = monitored
    text = text_of(la.json("doc", "render", str(case), "tig_agenda")["path"])
    assert "Raise attainment in reading — 70% at expected (milestone Friday 26 March 2027)" in text
    assert "The last progress review (Tuesday 20 October 2026)" in text and "1. Raise attainment in reading: red (limited)" in text
    assert "Hana Head (Head Teacher), Carl Chair (Chair of Governors)" in text


def test_withdrawal_and_notice_of_intention(la: Scc) -> None:
    complied = open_case(la)
    advance(la, complied, "issue_warning_notice", "2026-11-02", *NOTICE)
    shown = advance(la, complied, "record_compliance", "2026-11-30", "evidence=Plan in place & governors trained")
    text = text_of(_made(shown, "warning_notice_withdrawal"))
    assert "withdrawn with effect from Monday 30 November 2026" in text
    assert "given on Monday 2 November 2026 under section 60 of the Education and Inspections Act 2006" in text
    assert "Plan in place & governors trained" in text and "The Secretary of State for Education" in text

    failed = open_case(la, "100004")
    advance(la, failed, "issue_warning_notice", "2026-10-01", "grounds=management_breakdown", "reasons=Governance failed",
            "required_action=Reconstitute", "compliance_days=5", "minded_to=appoint additional governors")
    advance(la, failed, "record_non_compliance", "2026-10-09", "evidence=No action taken")
    shown = advance(la, failed, "give_notice_of_intention", "2026-10-12", "powers=s63,s64", "reasons=No improvement")
    text = text_of(_made(shown, "notice_of_intention"))
    assert "require the governing body to enter into arrangements for advice or collaboration (section 63)" in text
    assert "appoint additional governors (section 64)" in text and "No improvement" in text
    assert "within two months after the compliance period ends" in text and "Thursday 8 October 2026" in text


def test_every_document_a_playbook_names_has_a_template(la: Scc) -> None:
    from models.services.documents import available_kinds
    from models.settings.files import names_in, playbook_named

    named = {kind for book in names_in("playbooks") for action in playbook_named(book).actions.values()
             for kind in action.documents}
    assert named <= set(available_kinds())
    assert {"tig_agenda"} <= set(available_kinds())


def test_termly_report_rows_colours_and_totals(monitored: tuple[Scc, int, dict[str, str]], tmp_path: Path) -> None:
    la, case, _ = monitored
    advance(la, case, "record_progress_review", "2026-12-08", "rag.1=amber", "rag.2=green", "reason.2=Evidence seen",
            "next_steps=Keep going", actor=IP)
    other = open_case(la, "100004", on="2026-10-01")
    advance(la, other, "start_diagnosis", "2026-10-02")
    made = la.json("report", "termly", "--term", "Autumn 2026", "-o", str(tmp_path / "termly.docx"))
    assert made["kind"] == "termly_report" and made["path"] == str(tmp_path / "termly.docx")
    report = docx.Document(made["path"])
    assert "schools causing concern, Autumn 2026" in text_of(made["path"])
    cases, totals = report.tables
    rows = [[c.text for c in row.cells] for row in cases.rows]
    assert rows[0][:5] == ["School", "Stage", "Category", "Days in stage", "Priority 1"]
    oak = next(r for r in rows if r[0].startswith("Oak Primary"))
    assert oak[1] == "Intervention and monitoring" and oak[2] == "special measures; LA4b"
    assert oak[4] == "P1: red → amber" and oak[5] == "P2: green → green"
    oak_fills = _fills(cases)[rows.index(oak)]
    assert oak_fills[4:6] == ["FFC000", "00B050"]  # coloured by the latest judgement
    assert "Statement of action" not in oak[-1]  # met; the next live deadlines are listed instead
    brook = next(r for r in rows if r[0].startswith("Brook Foundation School"))
    assert brook[1] == "Diagnosis" and brook[4] == ""
    assert [[c.text for c in row.cells] for row in totals.rows] == [
        ["Stage", "Cases"], ["Diagnosis", "1"], ["Intervention and monitoring", "1"], ["All stages", "2"]]


def test_termly_report_for_an_unknown_term_is_refused(la: Scc, refused) -> None:
    message = refused("report", "termly", "--term", "Michaelmas 2026")
    assert "no term 'Michaelmas 2026'" in message and "Autumn 2026" in message


def test_render_all_makes_one_version_per_case_at_the_stage(la: Scc) -> None:
    cases = [open_case(la, urn) for urn in ("100001", "100002")]
    for case in cases:
        advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    made = la.json("doc", "render-all", "warning_notice", "--stage", "warning_notice")
    assert sorted(Path(d["path"]).parent.name for d in made) == ["case-1", "case-2"]
    assert all(d["version"] == 2 for d in made)
    assert "St Mary & St John's <Federation>" in text_of(made[1]["path"])


def test_render_all_refusals(la: Scc, refused) -> None:
    case = open_case(la)
    assert "no case is at stage 'exit'" in refused("doc", "render-all", "warning_notice", "--stage", "exit")
    assert "no template for document 'memo'" in refused("doc", "render-all", "memo", "--stage", "concern_raised")
    # All or none: one case without a notice stops the whole batch before anything is stored.
    message = refused("doc", "render-all", "warning_notice", "--stage", "concern_raised")
    assert f"case {case} has no warning notice" in message


def test_pdf_without_libreoffice_is_refused_before_anything_is_written(la: Scc, refused, monkeypatch, tmp_path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    assert "LibreOffice, which is not installed" in refused("doc", "render", str(case), "warning_notice", "--pdf")


def test_wales_notice_of_intention_names_the_welsh_powers(la: Scc) -> None:
    case = la.json("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--playbook", "wales",
                   "--calendar", "glanmor")["id"]
    advance(la, case, "issue_warning_notice", "2026-10-01", "grounds=ground_1", "reasons=Low standards",
            "required_action=Act", "compliance_days=5", "minded_to=appoint additional governors (s6)")
    advance(la, case, "record_non_compliance", "2026-10-12", "evidence=None")
    shown = advance(la, case, "give_notice_of_intention", "2026-10-13", "powers=s6,s7", "reasons=No change")
    text = text_of(_made(shown, "notice_of_intention"))
    assert "appoint additional governors (section 6)" in text
    assert "appoint interim executive members to replace the governing body (section 7)" in text
    assert "sections 5 to 9 of the School Standards and Organisation (Wales) Act 2013" in text
    assert "Education and Inspections Act 2006" not in text


def test_s60a_notice_rests_on_pay_and_conditions(la: Scc, refused) -> None:
    case = open_case(la)
    base = ["reasons=Teachers not paid to the STPCD", "required_action=Pay the arrears", "compliance_days=10",
            "minded_to=appoint additional governors", "section=s60A"]
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-12-10",
                      *sum((["--set", s] for s in ["grounds=low_standards", *base]), []))
    assert "a notice under section 60A cannot rest on low_standards" in message
    shown = advance(la, case, "issue_warning_notice", "2026-12-10", "grounds=pay_order_not_complied,head_not_secured", *base)
    text = text_of(_made(shown, "warning_notice"))
    assert "Warning notice under section 60A of the Education and Inspections Act 2006" in text
    assert "an order under section 122 of the Education Act 2002 (teachers' pay and conditions)" in text
    assert "failed to secure that the head teacher complies with such a provision" in text
    # s63(1): after a section 60A notice only sections 64 to 66 are open
    assert "its powers under sections 64 to 66" in text and "63" not in text
    assert "unacceptably low" not in text
