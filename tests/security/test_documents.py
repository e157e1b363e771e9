"""Letters and their files: a letter is made again only by a role of the action that makes it,
a kind that is not a document is refused, a download is the letter issued (its sha256 checked,
a changed file refused with 409 and audited), and ``scc doc verify`` names a file no record
holds (what a command killed between writing and committing leaves)."""

from __future__ import annotations

import httpx

from models.db.installation import data_root
from models.db.session import transaction
from tests.cli.support import IP, LEAD, NOTICE, open_case
from tests.conftest import Scc, bearer, dump
from tests.security.support import signed_in

NOTICE_FIELDS = dict(pair.split("=", 1) for pair in NOTICE)


def test_an_ip_cannot_remake_a_letter_of_an_action_they_may_not_take_nor_a_kind_that_is_not_a_document(
        server: str, staff: dict[str, str], la: Scc, db_url: str) -> None:
    mine = open_case(la)  # Oak Primary: its IP is IP
    lead = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[LEAD]), timeout=60)
    assert lead.post(f"/cases/{mine}/actions/issue_warning_notice", json={"fields": NOTICE_FIELDS, "on": "2026-10-05"}).status_code == 200
    ip = httpx.Client(base_url=server + "/api/v1", headers=bearer(staff[IP]), timeout=60)
    before = dump(db_url)
    refused = ip.post(f"/cases/{mine}/documents/warning_notice")
    assert refused.status_code == 403 and refused.json()["detail"].startswith("an IP cannot make the warning notice: it is made by a lead")
    assert lead.post(f"/cases/{mine}/documents/_word").status_code == 404
    assert dump(db_url) == before
    assert ip.post(f"/cases/{mine}/documents/tig_agenda").status_code == 201  # an agenda no action makes: anyone on the case


def test_a_letter_changed_on_disk_is_not_handed_out_and_the_attempt_is_audited(server: str, staff: dict[str, str],
                                                                               la: Scc, db_url: str) -> None:
    case = open_case(la)
    made = httpx.post(f"{server}/api/v1/cases/{case}/documents/tig_agenda", headers=bearer(staff[LEAD]))
    assert made.status_code == 201
    document = made.json()
    browser = signed_in(server, LEAD)
    assert browser.get(f"/documents/{document['id']}").content[:2] == b"PK"
    with transaction() as session:
        root = data_root(session)
    (root / document["path"]).write_bytes(b"PK a letter someone edited")
    for answer in (browser.get(f"/documents/{document['id']}", headers={"accept": "text/html"}),
                   httpx.get(f"{server}/api/v1/documents/{document['id']}", headers=bearer(staff[LEAD]))):
        assert answer.status_code == 409 and "was changed after it was made" in answer.text
        assert "PK a letter" not in answer.text and str(root) not in answer.text
    altered = [row for row in dump(db_url)["audit_event"] if "document_altered" in row]
    assert len(altered) == 2


def test_verify_names_a_letter_file_that_no_record_holds(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    la("doc", "render", str(case), "tig_agenda", "--as", LEAD)
    la("doc", "verify", "--as", LEAD)  # every file recorded, every record's file as made
    with transaction() as session:
        root = data_root(session)
    (root / "documents" / f"case-{case}" / "warning_notice-v1.docx").write_bytes(b"PK never recorded")
    error = refused("doc", "verify", "--as", LEAD)
    assert f"documents/case-{case}/warning_notice-v1.docx has no record" in error and str(root) not in error
