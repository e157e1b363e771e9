"""Case files past one machine: with ``SCC_STORAGE_URL=s3://…`` letters and evidence are kept
in S3-compatible object storage (here moto's server, started by the test) and nothing in the
data folder; they read back checked by their sha256, and ``scc doc verify`` finds an object
changed behind the product's back or one no record names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from models.db.session import transaction
from models.services import reading
from models.services.access import terminal_viewer
from tests.cli.support import LEAD, NOTICE, advance, open_case
from tests.cli.test_case_file import PDF
from tests.conftest import Scc, free_port

BUCKET, PREFIX = "scc-riverford", "casework"


@pytest.fixture
def bucket(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "eu-west-2",
                        "SCC_STORAGE_URL": f"s3://{BUCKET}/{PREFIX}", "SCC_STORAGE_ENDPOINT": endpoint}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield client
    server.stop()


def _keys(client: object) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/")  # type: ignore[attr-defined]
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_letters_and_evidence_are_kept_in_the_bucket_and_checked_on_the_way_back(
        la: Scc, bucket: object, tmp_path: Path, refused) -> None:  # type: ignore[no-untyped-def]
    case = open_case(la)
    shown = advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    (letter,) = shown["applied"]["documents"]
    assert letter["path"] == f"s3://{BUCKET}/{PREFIX}/documents/case-{case}/warning_notice-v1.docx"
    report = tmp_path / "inspection report.pdf"
    report.write_bytes(PDF)
    la("case", "attach", str(case), str(report), "--as", LEAD)
    keys = _keys(bucket)
    assert f"{PREFIX}/documents/case-{case}/warning_notice-v1.docx" in keys
    assert any(k.startswith(f"{PREFIX}/evidence/case-{case}/") and k.endswith("inspection_report.pdf") for k in keys)
    from models.db.installation import data_root
    with transaction() as session:
        root = data_root(session)
    assert not (root / "documents").exists() and not (root / "evidence").exists()  # nothing on this machine

    (listed,) = la.json("doc", "list", str(case))
    data, _ = reading.document_file(terminal_viewer(LEAD), listed["id"])
    assert hashlib.sha256(data).hexdigest() == listed["sha256"]
    assert "documents verified: 1, each as it was made" in la("doc", "verify", "--as", LEAD).stdout

    bucket.put_object(Bucket=BUCKET, Key=f"{PREFIX}/documents/case-{case}/warning_notice-v1.docx", Body=b"changed")  # type: ignore[attr-defined]
    bucket.put_object(Bucket=BUCKET, Key=f"{PREFIX}/documents/case-{case}/stray.docx", Body=b"never issued")  # type: ignore[attr-defined]
    said = refused("doc", "verify", "--as", LEAD)
    assert "warning_notice v1" in said and "was changed after it was made" in said
    assert f"documents/case-{case}/stray.docx has no record" in said
