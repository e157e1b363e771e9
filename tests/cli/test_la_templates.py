"""An LA's own letterhead, logo and Word templates; checking templates before use."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from tests.cli.support import NOTICE, advance, open_case
from tests.cli.test_documents import text_of
from tests.conftest import Scc


def _header_images(path: str) -> int:
    document = docx.Document(path)
    return len(document.sections[0].header._element.xpath(".//pic:pic"))


def test_shipped_letterhead_has_the_logo_and_signatory(la: Scc) -> None:
    case = open_case(la)
    path = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)["applied"]["documents"][0]["path"]
    assert _header_images(path) == 1
    text = text_of(path)
    assert "Riverford Council" in text and "Civic Centre, Riverford, RF1 1AA" in text
    assert "Jo Marlow" in text and "Director of Children's Services" in text


def test_an_las_own_letterhead_and_signatory(la: Scc, config: Path) -> None:
    own = docx.Document()
    own.sections[0].header.paragraphs[0].text = "Northbrook Borough Council — Education Directorate"
    own.sections[0].footer.paragraphs[0].text = "Northbrook House, NB1 1NB"
    own.add_paragraph("This placeholder body is replaced by each letter.")
    own.save(config / "letterhead.docx")
    (config / "letterhead.toml").write_text('authority = "Northbrook Borough Council"\nsignatory_name = "A. Khan"\n'
                                            'signatory_title = "Head of School Improvement"\n')
    case = open_case(la)
    path = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)["applied"]["documents"][0]["path"]
    letter = docx.Document(path)
    assert letter.sections[0].header.paragraphs[0].text == "Northbrook Borough Council — Education Directorate"
    assert letter.sections[0].footer.paragraphs[0].text == "Northbrook House, NB1 1NB"
    body = "\n".join(p.text for p in letter.paragraphs)
    assert "placeholder body" not in body
    assert "Northbrook Borough Council gives this warning notice" in body and "The Northbrook" not in body and "A. Khan" in body


def test_a_missing_logo_is_refused_naming_the_file(la: Scc, refused, config: Path) -> None:
    case = open_case(la)
    (config / "letterhead.toml").write_text((config / "letterhead.toml").read_text().replace("logo.png", "crest.png"))
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-12-10",
                      *sum((["--set", s] for s in NOTICE), []))
    assert "letterhead.toml" in message and "crest.png does not exist" in message


def _word_template(path: Path, *lines: str) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)


def test_an_las_word_template_is_filled_in_and_escaped(la: Scc, config: Path) -> None:
    _word_template(config / "templates" / "concern_letter.docx",
                   "Dear {{ addressee.name }},", "Concerns about {{ school.name }}: {{ action.concerns }}",
                   "Please act within {{ action.timescale_days }} school days.")
    case = open_case(la, "100002")
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-25", "level=LA4b", "reasons=standards")
    shown = advance(la, case, "send_concern_letter", "2026-09-28", "concerns=Reading “and” maths", "required_action=Act",
                    "timescale_days=20", "support=Visits")
    text = text_of(next(d["path"] for d in shown["applied"]["documents"] if d["kind"] == "concern_letter"))
    assert "Concerns about St Mary & St John's <Federation>: Reading “and” maths" in text
    assert "Please act within 20 school days." in text


def test_an_las_word_template_cannot_run_code_or_leave_blanks(la: Scc, refused, config: Path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    template = config / "templates" / "warning_notice.docx"
    _word_template(template, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    assert "unsafe" in refused("doc", "render", str(case), "warning_notice")
    _word_template(template, "Dear {{ addressee.nickname }}")
    message = refused("doc", "render", str(case), "warning_notice")
    assert "warning_notice.docx" in message and "nickname" in message


def test_check_templates_passes_the_shipped_ones_and_names_what_an_la_got_wrong(la: Scc, refused, config: Path) -> None:
    checks = json.loads(la("doc", "check-templates", "--json").stdout)
    by_kind = {c["kind"]: c for c in checks}
    assert all(not c["unknown"] for c in checks)
    assert "notice.compliance_end_in_words" in by_kind["warning_notice"]["variables"]
    assert "action.timescale_days" in by_kind["concern_letter"]["variables"]
    assert "termly_report" in by_kind
    (config / "templates" / "exit_letter.xml.j2").write_text(
        '{% import "_word.xml.j2" as w %}{{ w.para(school.head_teacher_salary ~ action.exit_reason ~ governors) }}')
    message = refused("doc", "check-templates")
    assert "exit_letter.xml.j2 uses" in message
    assert "school.head_teacher_salary" in message and "action.exit_reason" in message and "governors" in message


def test_an_las_template_that_runs_away_is_stopped(la: Scc, refused, config: Path) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    folder = config / "templates"
    (folder / "warning_notice.xml.j2").write_text("{% for i in range(10**7) %}x{% endfor %}")
    assert "was stopped" in refused("doc", "render", str(case), "warning_notice", "--as", "lead@riverford.example.gov.uk")
    (folder / "warning_notice.xml.j2").write_text("{% for i in range(90000) %}{% for j in range(90000) %}xx{% endfor %}{% endfor %}")
    message = refused("doc", "render", str(case), "warning_notice", "--as", "lead@riverford.example.gov.uk")
    assert "produced more than 5,000,000 characters" in message
    (folder / "warning_notice.xml.j2").write_text("{% for i in range(90000) %}{% for j in range(90000) %}{% endfor %}{% endfor %}")
    message = refused("doc", "render", str(case), "warning_notice", "--as", "lead@riverford.example.gov.uk")
    assert "was stopped: it ran for more than 5 seconds" in message
    assert [d["version"] for d in la.json("doc", "list", str(case))] == [1]  # nothing stored
