"""A case's notes and evidence files: dated and attributed, each file's type read from its
content, scanned by a ClamAV daemon the test starts on a signature file of its own, stored
with its sha256, and seen only by those who see the case."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.support import IP, LEAD, open_case
from tests.conftest import Scc

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A clamd of the test's own: one signature (an .hdb line for the EICAR test string), its
    own socket; no signature download."""
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "eicar.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n")
    socket = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(f"LocalSocket {socket}\nDatabaseDirectory {folder / 'db'}\nForeground yes\n"
                                       f"LogFile {folder / 'clamd.log'}\n")
    daemon = subprocess.Popen([CLAMD, "-c", str(folder / "clamd.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    end = time.monotonic() + 60
    while not socket.exists():
        assert daemon.poll() is None and time.monotonic() < end, "clamd did not start: " + (folder / "clamd.log").read_text()
        time.sleep(0.2)
    yield str(socket)
    daemon.terminate()
    daemon.wait(timeout=30)


def test_a_note_is_dated_signed_and_in_the_timeline(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    la("case", "note", str(case), "--text", "Head rang: the chair has resigned", "--on", "2026-09-20", "--as", IP)
    shown = la.json("case", "show", str(case))
    assert [(n["written_on"], n["author"], n["text"]) for n in shown["notes"]] == [("2026-09-20", IP, "Head rang: the chair has resigned")]
    assert shown["events"][-1]["action"] == "note_added"
    assert "the note is empty" in refused("case", "note", str(case), "--text", "  ", "--as", LEAD)


def test_a_file_is_kept_by_its_content_and_refused_otherwise(la: Scc, refused, tmp_path: Path, db_url: str) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    report = tmp_path / "inspection report.pdf"
    report.write_bytes(PDF)
    la("case", "attach", str(case), str(report), "--description", "Section 5 report", "--as", LEAD)
    (kept,) = la.json("case", "show", str(case))["evidence"]
    assert (kept["name"], kept["kind"], kept["sha256"], kept["scanned"]) == ("inspection report.pdf", "pdf", hashlib.sha256(PDF).hexdigest(), False)
    for name, data, expected in [
        ("minutes.pdf", b"MZ\x90\x00 not a pdf", "is not a PDF, Word, Excel, PowerPoint or image file by its content"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "is a png file by its content but its name says otherwise"),
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", b"%PDF-" + b"0" * 5_000_000, "larger than 5 MB"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        assert expected in refused("case", "attach", str(case), str(path), "--as", LEAD), name
    other = open_case(la, "100004")  # not Ian Partner's
    assert f"no case {other}" in refused("case", "attach", str(other), str(report), "--as", IP)


def test_a_file_with_a_virus_is_refused_and_a_silent_scanner_lets_nothing_through(
        la: Scc, refused, tmp_path: Path, clamd: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    monkeypatch.setenv("SCC_CLAMD", clamd)
    infected, clean = tmp_path / "eicar.pdf", tmp_path / "report.pdf"
    infected.write_bytes(EICAR)
    clean.write_bytes(PDF)
    assert "eicar.pdf carries a virus (Eicar-Test-Signature" in refused("case", "attach", str(case), str(infected), "--as", LEAD)
    la("case", "attach", str(case), str(clean), "--as", LEAD)
    assert [e["scanned"] for e in la.json("case", "show", str(case))["evidence"]] == [True]
    monkeypatch.setenv("SCC_CLAMD", str(tmp_path / "no-clamd.sock"))  # configured, but down
    assert "the virus scanner is not answering" in refused("case", "attach", str(case), str(clean), "--as", LEAD)


def test_a_kept_file_changed_behind_the_product_s_back_is_not_handed_out_and_the_refusal_is_audited(
        la: Scc, tmp_path: Path) -> None:
    from models.db.installation import data_root
    from models.db.session import transaction
    from models.errors import DocumentAltered
    from models.services import reading
    from models.services.access import terminal_viewer

    case = open_case(la)
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    la("case", "attach", str(case), str(report), "--as", LEAD)
    (kept,) = la.json("case", "show", str(case))["evidence"]
    assert reading.evidence_file(terminal_viewer(LEAD), kept["id"])[0] == PDF
    with transaction() as session:
        (stored,) = (data_root(session) / "evidence" / f"case-{case}").iterdir()
    stored.write_bytes(PDF + b"% appended")
    with pytest.raises(DocumentAltered, match="has changed since it was kept"):
        reading.evidence_file(terminal_viewer(LEAD), kept["id"])
    event = la.json("case", "show", str(case))["events"][-1]
    assert event["action"] == "evidence_altered" and event["after"]["name"] == "report.pdf"
