"""Letters and documents: Jinja2 templates of WordprocessingML on the LA's letterhead.

Each document is a Jinja2 template of the body of a Word document (``templates/KIND.xml.j2``;
an LA may override any of them in ``<config>/templates``). The letterhead package — styles,
header with the authority's name and address — is built once with python-docx and kept in
memory; a letter is that package with the rendered body put in. This keeps a letter to a few
milliseconds, and data can never break the file: the environment escapes every value for
XML, refuses undefined variables (a blank in a statutory letter is worse than no letter) and
is sandboxed, so a template edited by an LA cannot run code.

Generated documents are stored under ``SCC_DOCUMENTS_DIR`` (default ``./var/documents``),
one file per version; regenerating adds a version and keeps the earlier ones, and each
generation is an audit event.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import audit
from models.case import Case, Document, WarningNotice
from models.configuration import pinned_playbook
from models.errors import ConfigError, DocumentError, InvalidInput, NotFound
from models.settings import SHIPPED_CONFIG, config_dir

__all__ = ["Letterhead", "available_kinds", "documents_dir", "generate", "produce_for_action", "render"]

SHIPPED_TEMPLATES = SHIPPED_CONFIG.parent / "templates"
ROLE_TITLES = {
    "head": "Head Teacher",
    "foundation_appointer": "appointer of the foundation governors",
    "diocese": "diocesan authority",
    "regional_director": "Regional Director, for the Secretary of State",
    "welsh_ministers": "Welsh Ministers",
}


def documents_dir() -> Path:
    return Path(os.environ.get("SCC_DOCUMENTS_DIR") or Path("var") / "documents")


@lru_cache(maxsize=4096)
def in_words(day: date) -> str:
    """A date as a letter writes it: Friday 18 December 2026."""
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True)
class Letterhead:
    authority: str
    department: str
    address: tuple[str, ...]
    telephone: str
    email: str
    signatory_name: str
    signatory_title: str


def letterhead() -> Letterhead:
    path = config_dir() / "letterhead.toml"
    if not path.exists():
        path = SHIPPED_CONFIG / "letterhead.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Letterhead(
            authority=data["authority"], department=data.get("department", ""), address=tuple(data.get("address", [])),
            telephone=data.get("telephone", ""), email=data.get("email", ""),
            signatory_name=data["signatory_name"], signatory_title=data["signatory_title"],
        )
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"not valid TOML: {exc}") from None
    except KeyError as exc:
        raise ConfigError(path, None, f"missing {exc}: a letterhead needs authority, signatory_name and signatory_title") from None


@lru_cache(maxsize=8)
def _base_package(head: Letterhead) -> tuple[tuple[tuple[zipfile.ZipInfo, bytes], ...], str]:
    """The letterhead's .docx parts, built once with python-docx, and its document.xml."""
    import docx

    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].text = head.authority
    header.paragraphs[0].runs[0].bold = True
    for line in (head.department, ", ".join(head.address), " · ".join(p for p in (head.telephone, head.email) if p)):
        if line:
            header.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        parts = tuple((info, package.read(info)) for info in package.infolist() if info.filename != "word/document.xml")
        body = package.read("word/document.xml").decode()
    return parts, body


def _environment(override: Path) -> SandboxedEnvironment:
    """One compiled environment per state of the LA's override folder, so an override added
    later is used at once instead of the shipped template cached before it."""
    present = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in override.glob("*.j2"))) if override.exists() else ()
    return _compiled(override, present)


@lru_cache(maxsize=8)
def _compiled(override: Path, present: tuple[tuple[str, int], ...]) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(override)), jinja2.FileSystemLoader(str(SHIPPED_TEMPLATES))]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def available_kinds() -> list[str]:
    names = {p.name for folder in (config_dir() / "templates", SHIPPED_TEMPLATES) if folder.exists()
             for p in folder.glob("*.xml.j2") if not p.name.startswith("_")}
    return sorted(n.removesuffix(".xml.j2") for n in names)


def render_body(kind: str, context: dict[str, Any]) -> str:
    """The template's WordprocessingML, or a DocumentError naming the template and the problem."""
    name = f"{kind}.xml.j2"
    try:
        return _environment(config_dir() / "templates").get_template(name).render(**context)
    except jinja2.TemplateNotFound:
        raise InvalidInput(f"no template for document '{kind}': available: {', '.join(available_kinds())}") from None
    except jinja2.UndefinedError as exc:
        raise DocumentError(f"template {name}: {exc.message}: fix the template or the case's data") from None
    except SecurityError as exc:
        raise DocumentError(f"template {name} tried something unsafe and was stopped: {exc}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise DocumentError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from None


def package(body: str, head: Letterhead) -> bytes:
    """A .docx: the letterhead's parts with the rendered body before the section properties."""
    parts, document = _base_package(head)
    at = document.index("<w:sectPr")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("word/document.xml", document[:at] + body + document[at:])
        for info, data in parts:
            out.writestr(info, data)
    return buffer.getvalue()


def _context(session: Session, case: Case, kind: str, head: Letterhead, today: date) -> dict[str, Any]:
    school = case.school
    context: dict[str, Any] = {
        "letterhead": head,
        "letter": {"date": today, "date_in_words": in_words(today)},
        "case": {"id": case.id, "stage": case.stage, "jurisdiction": case.jurisdiction, "reason": case.reason},
        "school": {"name": school.name, "urn": school.urn, "type": school.type, "address": school.address or ""},
        "addressee": {"name": school.chair.name if school.chair else "The Chair of Governors"},
        "head": {"name": school.head.name if school.head else "The Head Teacher"},
    }
    # The fields of the latest action that called for this kind of document (concerns,
    # timescale, exit conditions…), from its audit event.
    event = session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.case_id == case.id).order_by(audit.AuditEvent.seq.desc())
    ).scalars()
    context["action"] = next(
        ({**e.after.get("fields", {}), "on_in_words": in_words(e.effective_on) if e.effective_on else ""}
         for e in event if kind in e.after.get("documents_due", [])),
        {},
    )
    notice = session.execute(
        select(WarningNotice).where(WarningNotice.case_id == case.id).order_by(WarningNotice.id.desc())
        .options(selectinload(WarningNotice.copies)).limit(1)
    ).scalar()
    if notice is not None:
        grounds = pinned_playbook(session, case.playbook, case.playbook_version).notice
        wording = grounds.grounds if grounds else {}
        context["notice"] = {
            "act": notice.act, "section": notice.section, "section_number": re.sub(r"^s", "", notice.section),
            "regime": notice.regime, "grounds": [wording.get(g, g) for g in notice.grounds], "reasons": notice.reasons,
            "required_action": notice.required_action, "compliance_days": notice.compliance_days,
            "compliance_end_in_words": in_words(notice.compliance_end), "minded_to": notice.minded_to,
            "given_on_in_words": in_words(notice.given_on), "outcome": notice.outcome,
        }
        context["copies"] = [
            {"role": c.role, "role_title": ROLE_TITLES.get(c.role, c.role), "name": c.name, "email": c.email,
             "sent_on": c.sent_on} for c in notice.copies
        ]
    return context


def render(session: Session, case: Case, kind: str, today: date | None = None) -> tuple[bytes, list[dict[str, Any]]]:
    """The document's bytes and its recipients (addressee first, then copies)."""
    head = letterhead()
    context = _context(session, case, kind, head, today or date.today())
    if kind.startswith("warning_notice") and "notice" not in context:
        raise NotFound(f"case {case.id} has no warning notice: issue one with `scc case advance {case.id} issue_warning_notice`")
    recipients = [{"role": "chair", "name": context["addressee"]["name"]}]
    recipients += [{"role": c["role"], "name": c["name"], "email": c["email"]} for c in context.get("copies", [])]
    return package(render_body(kind, context), head), recipients


def generate(session: Session, case_id: int, kind: str, actor: str, output: Path | None = None) -> Document:
    """Render, store as the next version, record it on the case and in the audit log."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}: see `scc case list`")
    data, recipients = render(session, case, kind)
    version = (session.execute(
        select(func.max(Document.version)).where(Document.case_id == case_id, Document.kind == kind)
    ).scalar() or 0) + 1
    path = output or documents_dir() / f"case-{case_id}" / f"{kind}-v{version}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    document = Document(case_id=case_id, kind=kind, version=version, path=str(path), sha256=digest,
                        recipients=recipients, generated_at=datetime.now(UTC))
    session.add(document)
    audit.record(session, actor, "document_generated", case_id=case_id,
                 after={"kind": kind, "version": version, "sha256": digest, "path": str(path)})
    return document


def produce_for_action(session: Session, case_id: int, kinds: list[str] | tuple[str, ...], actor: str) -> tuple[list[Document], list[str]]:
    """The documents an action's playbook marks: generated where a template exists.

    Returns the documents made and the kinds that still have no template (listed to the
    user as due, so nothing is silently skipped).
    """
    known = set(available_kinds())
    made = [generate(session, case_id, kind, actor) for kind in kinds if kind in known]
    return made, [kind for kind in kinds if kind not in known]
