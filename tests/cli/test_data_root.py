"""Where files live: one data folder per database, recorded at `scc init`, so any working
folder finds the same letters; private files; and `scc doc verify`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.cli.support import LEAD, NOTICE, advance, made, open_case
from tests.conftest import ON_URL, Scc


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def elsewhere(db_url: str, prefect_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Scc, Path]:
    """An LA set up from folder a/ with the default data folder (./var there)."""
    monkeypatch.delenv("SCC_DATA_DIR")
    (tmp_path / "a").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    scc = Scc()
    assert scc.json("init")["data"] == str(tmp_path / "a" / "var")
    scc("person", "add", "--name", "Dana Lead", "--email", LEAD, "--role", "lead")
    scc("school", "add", "--urn", "100001", "--name", "Oak Primary", "--type", "community", "--phase", "Primary", "--la", "Riverford")
    return scc, tmp_path / "a" / "var"


def test_documents_are_found_from_another_working_folder(elsewhere: tuple[Scc, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    scc, root = elsewhere
    letter = Path(made(advance(scc, open_case(scc), "issue_warning_notice", "2026-10-05", *NOTICE), "warning_notice"))
    assert letter.is_relative_to(root / "documents") and letter.exists()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "b")
    (listed,) = scc.json("doc", "list", "1")
    assert Path(listed["path"]) == letter
    assert scc.json("doc", "verify") == {"documents": 1, "ok": True}
    assert not (tmp_path / "b" / "var").exists()


def test_the_data_folder_and_its_files_are_private(elsewhere: tuple[Scc, Path], db_url: str) -> None:
    scc, root = elsewhere
    letter = Path(made(advance(scc, open_case(scc), "issue_warning_notice", "2026-10-05", *NOTICE), "warning_notice"))
    assert _mode(root) == 0o700 and _mode(letter.parent) == 0o700
    assert _mode(letter) == 0o600 and _mode(root / "audit.key") == 0o600
    if not ON_URL:
        assert _mode(Path(str(make_url(db_url).database))) == 0o600


def test_a_second_database_cannot_take_a_data_folder_in_use(elsewhere: tuple[Scc, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    scc, root = elsewhere
    monkeypatch.setenv("SCC_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    monkeypatch.setenv("SCC_DATA_DIR", str(root))
    result = scc("init", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: SCC_DATA_DIR: the data folder {root} holds another database's documents: "
                                     "set SCC_DATA_DIR to a folder of this database's own")


def test_doc_verify_names_a_changed_and_a_missing_letter(la: Scc) -> None:
    case = open_case(la)
    letter = Path(made(advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE), "warning_notice"))
    again = Path(la.json("doc", "render", str(case), "warning_notice", "--as", LEAD)["path"])
    letter.write_bytes(letter.read_bytes() + b"\0")
    again.unlink()
    result = la("doc", "verify", ok=False)
    line = result.stderr.strip()
    assert result.exit_code == 1 and len(line.splitlines()) == 1
    assert "2 of 2 documents do not verify" in line
    # named within the data folder, whose own place on the server is not said
    assert f"case {case} warning_notice v1: documents/case-{case}/{letter.name} was changed after it was made" in line
    assert f"case {case} warning_notice v2: documents/case-{case}/{again.name} cannot be read" in line
