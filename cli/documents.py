"""``scc doc …`` and ``scc report …``: letters and documents of a case, the termly report.

Use cases are imported inside the commands that run them here (start-up time: ``cli.client``).
"""

from __future__ import annotations

import shutil
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Optional

import typer

from cli.client import answer
from cli.common import AS_OPTION, parse_date, parse_sets, read_file
from cli.output import CSV_OPTION, JSON_OPTION, XLSX_OPTION, console, emit, export, table

app = typer.Typer(no_args_is_help=True)
reports = typer.Typer(no_args_is_help=True)

PDF_OPTION = typer.Option(False, "--pdf", help="Also convert to PDF with LibreOffice (when installed)")


def _kept(document: dict[str, Any], output: Path | None, pdf: bool) -> dict[str, Any]:
    """The document as made (stored in the data folder), with a copy at ``output`` when asked
    (then shown as its path) and its PDF when asked."""
    data = dict(document)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data["path"], output)
        data["stored"], data["path"] = data["path"], str(output.resolve())
    if pdf:
        from models.adapters.docx.pdf import to_pdf

        data["pdf"] = str(to_pdf(Path(data["path"])))
    return data


def _check_pdf(pdf: bool) -> None:
    """Refuse --pdf before anything is written when LibreOffice is missing."""
    if pdf:
        from models.adapters.docx.pdf import office

        office()


def _show(d: dict[str, Any]) -> None:
    console.print(f"{d['kind']} v{d['version']}: {d['path']}" + (f" (PDF: {d['pdf']})" if d.get("pdf") else ""))


@app.command("render")
def render(
    case_id: int = typer.Argument(..., metavar="CASE"),
    kind: str = typer.Argument(..., help="warning_notice, concern_letter, statement_of_action, tig_minutes, … (scc doc kinds)"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Also write a copy of the .docx here (it is stored as a version)"),
    pdf: bool = PDF_OPTION,
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate a document of the case and store it as its next version (for a warning
    notice: the case's current notice)."""
    _check_pdf(pdf)

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.generate_document(viewer, case_id, kind)

    data = answer(here, "POST", f"/cases/{case_id}/documents/{kind}", as_)
    emit(_kept(data, output, pdf), as_json, _show)


@app.command("render-all")
def render_all(
    kind: str = typer.Argument(...),
    stage: str = typer.Option(..., "--stage", help="Every case at this stage"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate one kind of document for every case at a stage, in one go (all or none)."""
    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.generate_documents(viewer, kind, stage)

    with console.status(f"{kind} for every case at '{stage}'…") if not as_json else nullcontext():
        made = answer(here, "POST", f"/documents/{kind}", as_, params={"stage": stage})
    emit(made, as_json, lambda rows: console.print(f"{len(rows)} × {kind}: " + ", ".join(r["path"] for r in rows)))


def _letter_text(html: str) -> str:
    """The letter's HTML as lines of text for a terminal."""
    import html as markup
    import re

    return markup.unescape(re.sub(r"<[^>]+>", "", re.sub(r"</(p|h\d|li|tr)>", "\n", html))).strip()


def _show_letter(d: dict[str, Any]) -> None:
    doc = d["document"]
    state = f"issued on {doc['issued_on']}, reference {doc['reference']}" if doc["status"] == "issued" else doc["status"]
    console.print(f"[bold]{d['title']}[/bold], version {doc['version']} (letter {doc['id']}, case {d['case_id']}): {state}")
    if d["uploaded_by"]:
        console.print(f"replaced by a version edited in Word, uploaded by {d['uploaded_by']}")
    console.print("\n" + _letter_text(d["html"]) + "\n")
    for text in d["free_text"]:
        console.print(f"free text [bold]{text['name']}[/bold] (scc doc edit {doc['id']} --text {text['name']}=…)")
    if d["deliveries"]:
        table("sent", ["to", "how", "on", "email"], [[r["name"], r["method"], r["sent_on"], r.get("email_status") or ""]
                                                    for r in d["deliveries"]])
    elif doc["status"] == "draft":
        console.print("to: " + "; ".join(f"{r['name']} (--send {r['role']}=…{', email on record' if r.get('email') else ''})"
                                         for r in doc["recipients"]))


@app.command("show")
def show(document_id: int = typer.Argument(..., metavar="LETTER"), as_: Optional[str] = AS_OPTION,
         as_json: bool = JSON_OPTION) -> None:
    """A letter's text, its free text (a draft's may be edited), who it goes to and how each was sent it."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.letter(viewer, document_id)

    emit(answer(here, "GET", f"/letters/{document_id}", as_), as_json, _show_letter)


@app.command("edit")
def edit(
    document_id: int = typer.Argument(..., metavar="LETTER"),
    text: list[str] = typer.Option([], "--text", help="FIELD=TEXT: free text of the draft (see scc doc show), repeatable"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Edit a draft letter's free text; the draft is made again."""
    changes = parse_sets(text)

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.edit_letter(viewer, document_id, changes)

    emit(answer(here, "PATCH", f"/letters/{document_id}", as_, json={"text": changes}), as_json,
         lambda d: console.print(f"letter {document_id}: draft edited ({', '.join(changes)})"))


@app.command("upload")
def upload(
    document_id: int = typer.Argument(..., metavar="LETTER"),
    path: Path = typer.Argument(..., help="The letter as edited in Word (.docx)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Replace a draft letter with the version edited in Word; it is issued as it is."""
    data = read_file(path)

    def here(viewer: Any) -> Any:
        from models.services import case_changes

        return case_changes.upload_letter(viewer.email, document_id, path.name, data)

    emit(answer(here, "PUT", f"/letters/{document_id}/file", as_, files={"file": (path.name, data)}), as_json,
         lambda d: console.print(f"letter {document_id}: replaced by {path.name}"))


def _sendings(pairs: list[str]) -> dict[str, tuple[str, str | None]]:
    """``--send head=email --send regional_director=post:2026-11-10`` into method and day by role."""
    found: dict[str, tuple[str, str | None]] = {}
    for role, how in parse_sets(pairs).items():
        method, _, day = how.partition(":")
        found[role] = (method, day or None)
    return found


@app.command("issue")
def issue(
    document_id: int = typer.Argument(..., metavar="LETTER"),
    send: list[str] = typer.Option([], "--send", help="ROLE=email, ROLE=post[:DATE] or ROLE=hand[:DATE]: every recipient, repeatable"),
    on: Optional[str] = typer.Option(None, "--on", help="The day it is issued and dated (default today)"),
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Issue a draft letter: its date, reference and content fixed; how each recipient was sent
    it recorded (an emailed copy goes through the outbox with the letter attached)."""
    day = parse_date(on)
    asked = {role: (method, parse_date(when, f"--send {role}") if when else None) for role, (method, when) in _sendings(send).items()}

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.issue_letter(viewer, document_id, day, asked)

    body = {"on": day.isoformat(), "send": {role: {"method": m, "on": w.isoformat() if w else None} for role, (m, w) in asked.items()}}
    emit(answer(here, "POST", f"/letters/{document_id}/issue", as_, json=body), as_json,
         lambda d: console.print(f"letter {document_id} issued on {d['document']['issued_on']}, reference "
                                 f"{d['document']['reference']}: " + "; ".join(f"{r['name']} by {r['method']} on {r['sent_on']}"
                                                                              for r in d["deliveries"])))


@app.command("kinds")
def kinds(as_json: bool = JSON_OPTION) -> None:
    """The kinds of document with a template."""
    from models.services.documents import available_kinds

    emit(available_kinds(), as_json, lambda names: console.print("\n".join(names)))


@app.command("list")
def list_(case_id: int = typer.Argument(..., metavar="CASE"), as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Every document generated for the case, every version."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.documents(viewer, case_id)

    data = answer(here, "GET", f"/cases/{case_id}/documents", as_)
    emit(data, as_json, lambda rows: table(f"{len(rows)} documents", ["kind", "version", "status", "generated", "to", "path"],
                                           [[r["kind"], r["version"], r["status"], r["generated_at"],
                                             ", ".join(p["name"] for p in r["recipients"]), r["path"]] for r in rows]))


@app.command("verify")
def verify(as_: Optional[str] = AS_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Check every stored document against the sha256 taken when it was made; exit 1 naming
    each one missing or changed."""

    def here(viewer: Any) -> Any:
        from models.services import reading

        return reading.verify_documents(viewer)

    emit(answer(here, "GET", "/documents/verify", as_), as_json,
         lambda d: console.print(f"documents verified: {d['documents']}, each as it was made"))


@app.command("check-templates")
def check_templates(as_json: bool = JSON_OPTION) -> None:
    """Every template's variables; exit 1 naming any the data model cannot supply."""
    from models.errors import DocumentError
    from models.services.documents import check_templates as check
    from models.settings.environment import config_dir
    from models.settings.files import playbook_named

    fields = frozenset(f.name for path in (config_dir() / "playbooks").glob("*.toml")
                       for action in playbook_named(str(path)).actions.values() for f in action.fields)
    checks = check(fields)
    data = [{"kind": c.kind, "template": c.source, "variables": list(c.variables), "unknown": list(c.unknown)} for c in checks]

    def show(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            state = "ok" if not row["unknown"] else "UNKNOWN: " + ", ".join(row["unknown"])
            console.print(f"[bold]{row['kind']}[/bold] ({row['template']}): {state}\n    uses {', '.join(row['variables'])}")
    emit(data, as_json, show)
    bad = [c for c in checks if c.unknown]
    if bad:
        raise DocumentError("; ".join(f"{c.source} uses {', '.join(c.unknown)}, which the data model does not supply"
                                      for c in bad) + ": fix the template (see `scc doc check-templates`)")


@reports.command("termly")
def termly(
    term: Optional[str] = typer.Option(None, "--term", help='e.g. "Autumn 2026" (default: the term under way)'),
    authority: Optional[str] = typer.Option(None, "--authority", help="One authority's cases, by its code (default: all of yours)"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Also write a copy of the .docx here (it is stored)"),
    pdf: bool = PDF_OPTION,
    as_: Optional[str] = AS_OPTION,
    as_json: bool = JSON_OPTION,
    csv_path: Optional[Path] = CSV_OPTION,
    xlsx_path: Optional[Path] = XLSX_OPTION,
) -> None:
    """The termly report on all schools causing concern, for senior managers and scrutiny
    (--csv/--xlsx: its figures as a spreadsheet instead of the letter)."""
    params = {k: v for k, v in (("term", term), ("authority", authority)) if v}
    if csv_path or xlsx_path:
        def table(viewer: Any) -> Any:
            from models.services import reading

            title, headings, rows = reading.termly_picture(viewer, term, authority)
            return {"title": title, "headings": headings, "rows": rows}

        found = answer(table, "GET", "/reports/termly/table", as_, params=params)
        export((found["title"], found["headings"], found["rows"]), csv_path, xlsx_path)
        return
    _check_pdf(pdf)

    def here(viewer: Any) -> Any:
        from flows import case_flows

        return case_flows.termly_report(viewer, term, authority)

    data = answer(here, "POST", "/reports/termly", as_, params=params)
    emit(_kept(data, output, pdf), as_json, _show)
