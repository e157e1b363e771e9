"""A case's notes and evidence: what the case team knows beside what the actions record.

A note is dated and attributed; an evidence file (an inspection report, governors' minutes,
a photo of pupils' work) is kept in the data folder under its sha256. When ``SCC_CLAMD`` names
a clamd, every file is scanned first; a file with a virus, or a scanner that does not answer,
stores nothing. A file's type is then read
from its first bytes, not its name: a PDF, a Word, Excel or PowerPoint file (current or
legacy), a PNG, JPEG or GIF image, at most ``EVIDENCE_LIMIT`` bytes, and its name must say
the same type. Notes and files are in the audit log and the case's timeline.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.adapters.clamav import scan
from models.db import audit
from models.db.cases import Case, CaseNote, Evidence
from models.db.queries import by_id
from models.db.storage import file_store
from models.errors import DocumentAltered, InvalidInput, NotFound
from models.messages import N_, Words
from models.rules.text import LONG_TEXT, checked_text
from models.settings.environment import environment

__all__ = ["EVIDENCE_LIMIT", "KINDS", "add_evidence", "add_note", "evidence_bytes", "kept_evidence", "kind_of", "notes_and_evidence"]

EVIDENCE_LIMIT = 5_000_000  # the web's upload limit (server.edge): a scan of a report, a set of minutes

# The kinds of file kept, each with the names (suffixes) it may carry.
KINDS = {"pdf": (".pdf",), "word": (".docx", ".doc"), "excel": (".xlsx", ".xls"), "powerpoint": (".pptx", ".ppt"),
         "png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",)}
_OFFICE_PARTS = {"word/": "word", "xl/": "excel", "ppt/": "powerpoint"}
_LEGACY = {".doc": "word", ".xls": "excel", ".ppt": "powerpoint"}


def kind_of(name: str, data: bytes) -> str:
    """The file's kind, read from its content and checked against its name; refused otherwise."""
    suffix = Path(name).suffix.lower()
    found: str | None = None
    if data.startswith(b"%PDF-"):
        found = "pdf"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        found = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        found = "jpeg"
    elif data.startswith((b"GIF87a", b"GIF89a")):
        found = "gif"
    elif data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "[Content_Types].xml" in names:
            found = next((kind for part, kind in _OFFICE_PARTS.items() if any(n.startswith(part) for n in names)), None)
    elif data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # the compound file of Office 97-2003
        found = _LEGACY.get(suffix)
    allowed = ", ".join(s for suffixes in KINDS.values() for s in suffixes)
    if found is None:
        raise InvalidInput(N_("%(name)s is not a PDF, Word, Excel, PowerPoint or image file by its content: keep one of %(allowed)s"),
                           name=name, allowed=allowed)
    if suffix not in KINDS[found]:
        raise InvalidInput(N_("%(name)s is a %(kind)s file by its content but its name says otherwise: name it %(suffix)s"), name=name,
                           kind=found, suffix=KINDS[found][0])
    return found


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip()
    if not base:
        raise InvalidInput(N_("the file has no name: upload a named file"))
    return checked_text(base, Words(N_("the file's name")))


def add_note(session: Session, case: Case, text: str, author: str, on: date) -> CaseNote:
    """A note on the case, dated and attributed."""
    if not text.strip():
        raise InvalidInput(N_("the note is empty: write what happened"))
    note = CaseNote(case_id=case.id, written_on=on, author=author,
                    text=checked_text(text.strip(), Words(N_("the note")), limit=LONG_TEXT, lines=True), at=datetime.now(UTC))
    session.add(note)
    session.flush()
    audit.record(session, author, "note_added", case_id=case.id, effective_on=on, after={"note": note.id})
    return note


def add_evidence(session: Session, case: Case, name: str, data: bytes, uploaded_by: str, description: str | None,
                 on: date) -> Evidence:
    """A file kept with the case: checked, scanned (when a scanner is set), then stored."""
    name = _safe_name(name)
    if not data:
        raise InvalidInput(N_("%(name)s is empty: upload the file itself"), name=name)
    if len(data) > EVIDENCE_LIMIT:
        raise InvalidInput(N_("%(name)s is larger than %(limit)s MB: upload a smaller copy"), name=name, limit=EVIDENCE_LIMIT // 1_000_000)
    about = (checked_text(description.strip(), Words(N_("the description")), limit=LONG_TEXT, lines=True)
             if description and description.strip() else None)
    clamd = environment().clamd
    if clamd:  # scanned before anything reads its content (a zip's directory included)
        scan(clamd, data, name)
    kind = kind_of(name, data)
    digest = hashlib.sha256(data).hexdigest()
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80]
    key = f"evidence/case-{case.id}/{digest[:16]}-{stem}"
    file_store(session, writing=True).put(key, data)
    kept = Evidence(case_id=case.id, name=name, kind=kind, size=len(data), sha256=digest, path=key,
                    description=about, uploaded_by=uploaded_by, uploaded_at=datetime.now(UTC), scanned=bool(clamd))
    session.add(kept)
    session.flush()
    audit.record(session, uploaded_by, "evidence_added", case_id=case.id, effective_on=on,
                 after={"evidence": kept.id, "name": name, "kind": kind, "sha256": digest, "scanned": bool(clamd)})
    return kept


def kept_evidence(session: Session, evidence_id: int) -> Evidence:
    kept = by_id(session, Evidence, evidence_id)
    if kept is None:
        raise NotFound(N_("no evidence %(evidence)s"), evidence=evidence_id)
    return kept


def evidence_bytes(session: Session, kept: Evidence) -> bytes:
    """A kept file's bytes, checked against its sha256 (the caller has checked who may see its case)."""
    data = file_store(session).get(kept.path)
    if hashlib.sha256(data).hexdigest() != kept.sha256:
        raise DocumentAltered(N_("%(name)s has changed since it was kept: it is not handed out"), name=kept.name)
    return data


def notes_and_evidence(session: Session, case_id: int) -> tuple[list[CaseNote], list[Evidence]]:
    notes = list(session.execute(select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.written_on.desc(),
                                                                                               CaseNote.id.desc())).scalars())
    kept = list(session.execute(select(Evidence).where(Evidence.case_id == case_id).order_by(Evidence.id.desc())).scalars())
    return notes, kept
