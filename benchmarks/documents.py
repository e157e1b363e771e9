"""Warning-notice letters per second, beside a naive docxtpl loop, in one run.

    .venv/bin/python benchmarks/documents.py [--quick] [--letters 1000]

1. The product: ``scc doc render-all warning_notice --stage warning_notice`` over N cases
   (models.services.documents.generate_many: each letter's data read from its case, rendered into the
   letterhead, written to disk, recorded as a versioned document with its audit event).
2. The same letters rendered only (models.services.documents.render: data and bytes, nothing stored).
3. A naive loop: for each letter, open a docxtpl Word template of the same letter, render it
   with the letter's data (prepared beforehand, so the loop does less than the product) and
   save it.
Targets: the product at least 4x the naive loop's rate, and under 5 ms per letter.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import sizes  # benchmarks/sizes.py, beside this script


def _naive_template(path: Path) -> None:
    """The warning notice as an LA would write it in Word for docxtpl."""
    import docx

    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].text = "{{ authority }}"
    header.add_paragraph("{{ address }}")
    for line in [
        "{{ date }}",
        "To: the Governing Body of {{ school }}, for the attention of {{ chair }}, Chair of Governors",
        "Warning notice under section {{ section }} of the {{ act }}",
        "The {{ authority }} gives this warning notice to the governing body of {{ school }} (URN {{ urn }}).",
        "Grounds",
        "{% for g in grounds %}• {{ g }} {% endfor %}",
        "Reasons", "{{ reasons }}", "Action the governing body must take", "{{ required_action }}",
        "Compliance period",
        "The governing body must take this action within {{ days }} working days, that is by {{ compliance_end }}.",
        "If the governing body does not comply",
        "the authority is minded to {{ minded_to }}.",
        "Regime: {{ regime }}", "Yours faithfully", "{{ signatory }}", "{{ signatory_title }}",
        "Copies sent to: {% for c in copies %}{{ c }}; {% endfor %}",
    ]:
        document.add_paragraph(line)
    document.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=1000)
    args = sizes.parse(parser, {"letters": 20})
    workdir = Path(tempfile.mkdtemp(prefix="scc-bench-docs-"))
    os.environ["SCC_DATABASE_URL"] = f"sqlite:///{workdir / 'documents.db'}"
    os.environ["SCC_DATA_DIR"] = str(workdir / "data")

    from docxtpl import DocxTemplate
    from sqlalchemy import select, true

    from models.db.cases import Case
    from models.db.session import transaction, upgrade
    from models.rules.text import in_words
    from models.services.cases import ActionRequest, Actor, apply_action, open_case
    from models.services.directory import SchoolDetails, add_person, add_school
    from models.services.documents import generate_many, render
    from models.vocab import Role, SchoolType

    upgrade()
    on = date(2026, 10, 5)
    actor = Actor("bench@example.org", Role.LEAD)
    with transaction() as session:
        add_person(session, "Bench Lead", actor.email, "lead", "bench")
        for i in range(args.letters):
            add_school(session, SchoolDetails(str(600000 + i), f"St Mary & St John's <School {i}>", SchoolType.VOLUNTARY_AIDED,
                                              "Primary", "Bench", diocese="Diocese of Riverford",
                                              religious_character="Church of England"), "bench")
        for i in range(args.letters):
            case = open_case(session, str(600000 + i), "bench", on=on, actor=actor)
            apply_action(session, ActionRequest(case.id, "issue_warning_notice", {
                "grounds": "low_standards,safety", "reasons": "Standards are unacceptably low",
                "required_action": "Implement the plan", "compliance_days": "15", "minded_to": "appoint additional governors"},
                on, actor.email))

    started = time.perf_counter()
    with transaction() as session:
        made = generate_many(session, "warning_notice", "warning_notice", "bench", true())  # every case: one authority
    product_seconds = time.perf_counter() - started
    assert len(made) == args.letters

    with transaction() as session:
        cases = session.execute(select(Case).order_by(Case.id)).scalars().all()
        started = time.perf_counter()
        for case in cases:
            render(session, case, "warning_notice")
        render_seconds = time.perf_counter() - started

    template = workdir / "naive.docx"
    _naive_template(template)
    letters = [{"authority": "Riverford Council", "address": "Civic Centre, Riverford", "date": in_words(on),
                "school": f"St Mary & St John's <School {i}>", "chair": "The Chair of Governors", "section": "60",
                "act": "Education and Inspections Act 2006", "urn": str(600000 + i),
                "grounds": ["standards unacceptably low", "safety threatened"], "reasons": "Standards are unacceptably low",
                "required_action": "Implement the plan", "days": 15, "compliance_end": "Monday 26 October 2026",
                "minded_to": "appoint additional governors", "regime": "since 18 April 2016", "signatory": "Jo Marlow",
                "signatory_title": "Director", "copies": ["The Head Teacher", "Diocese of Riverford", "Regional Director"]}
               for i in range(args.letters)]
    out = workdir / "naive"
    out.mkdir()
    started = time.perf_counter()
    for number, data in enumerate(letters):
        letter = DocxTemplate(str(template))
        letter.render(data, autoescape=True)
        buffer = io.BytesIO()
        letter.save(buffer)
        (out / f"letter-{number}.docx").write_bytes(buffer.getvalue())
    naive_seconds = time.perf_counter() - started

    n = args.letters
    print(f"SCC Casework documents benchmark ({n} warning-notice letters, SQLite at {workdir})")
    print(f"  product, render-all (read, render, store, audit)  {n / product_seconds:8.0f} letters/s  "
          f"({product_seconds * 1000 / n:.2f} ms each; target < 5 ms)")
    print(f"  product, render only                              {n / render_seconds:8.0f} letters/s  "
          f"({render_seconds * 1000 / n:.2f} ms each)")
    print(f"  naive docxtpl loop (open, render, save)           {n / naive_seconds:8.0f} letters/s  "
          f"({naive_seconds * 1000 / n:.2f} ms each)")
    print(f"  product / naive                                   {naive_seconds / product_seconds:8.1f}x  (target: >= 4x)")


if __name__ == "__main__":
    main()
