"""PDF copies of documents, by LibreOffice when it is installed (it is optional)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from models.errors import DocumentError

__all__ = ["office", "to_pdf"]


def office() -> str:
    """The LibreOffice program; refused with how to install it when it is missing, so a
    command asking for a PDF is refused before it writes anything."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise DocumentError("a PDF needs LibreOffice, which is not installed: install it "
                            "(apt-get install libreoffice-writer-nogui) or ask for the .docx only")
    return found


def to_pdf(path: Path) -> Path:
    """The document converted to PDF beside it."""
    done = subprocess.run([office(), "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                          capture_output=True, text=True, timeout=180)
    pdf = path.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise DocumentError(f"LibreOffice could not convert {path}: {(done.stderr or done.stdout).strip()[:300]}")
    return pdf
