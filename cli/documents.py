"""``scc doc …``: letters and documents of a case."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from sqlalchemy import select

from cli.output import JSON_OPTION, console, emit, table
from models.database import transaction

app = typer.Typer(no_args_is_help=True)


def _doc(d: Any) -> dict[str, Any]:
    return {"kind": d.kind, "version": d.version, "path": d.path, "sha256": d.sha256,
            "recipients": d.recipients, "generated_at": d.generated_at}


@app.command("render")
def render(
    case_id: int = typer.Argument(..., metavar="CASE"),
    kind: str = typer.Argument(..., help="warning_notice, …: see the templates/ folder"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the .docx here (it is also stored as a version)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate a document of the case and store it as its next version."""
    from models.documents import generate

    with transaction() as session:
        data = _doc(generate(session, case_id, kind, "local-user", output))
    emit(data, as_json, lambda d: console.print(f"{d['kind']} v{d['version']}: {d['path']}"))


@app.command("list")
def list_(case_id: int = typer.Argument(..., metavar="CASE"), as_json: bool = JSON_OPTION) -> None:
    """Every document generated for the case, every version."""
    from models.case import Document
    from models.casework import get_case

    with transaction() as session:
        get_case(session, case_id)
        data = [_doc(d) for d in session.execute(
            select(Document).where(Document.case_id == case_id).order_by(Document.kind, Document.version)).scalars()]
    emit(data, as_json, lambda rows: table(f"{len(rows)} documents", ["kind", "version", "generated", "path"],
                                           [[r["kind"], r["version"], r["generated_at"], r["path"]] for r in rows]))
