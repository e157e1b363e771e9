"""Where the case files are kept: letters, reports and evidence.

By default in the data folder (``models.db.installation``), which every process of one
machine shares. Past one machine, ``SCC_STORAGE_URL=s3://bucket/prefix`` keeps them in
S3-compatible object storage (AWS S3, MinIO, Ceph …) through boto3, so web replicas and
workers on other machines need no shared mount; ``SCC_STORAGE_ENDPOINT`` names a server other
than AWS's, and boto3's own settings (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION``) give the credentials. The data folder still holds the session key and
the audit log's seal.

A file is named by its key, the path the database stores (``documents/case-3/warning_notice-v1.docx``),
the same under either store, so a record never says where its bytes live; every reader checks
the bytes against the sha256 the record keeps, wherever they came from. A path a user chose
(``scc doc render --output``) is absolute and is always a local file.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from models.db.installation import claim_data_root, data_root, file_at, write_private
from models.errors import ConfigError

__all__ = ["FileStore", "FolderStore", "ObjectStore", "file_store"]


class FileStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes:
        """The bytes kept under ``key``; ``OSError`` when there are none."""
        ...

    def delete(self, key: str) -> None: ...

    def where(self, key: str) -> str:
        """Where a person finds the file: its path, or its object's address."""
        ...

    def keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix`` (``documents/``): what ``scc doc verify`` compares with the records."""
        ...


class FolderStore:
    """The data folder: each file readable by this account only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, key: str, data: bytes) -> None:
        write_private(file_at(self.root, key), data)

    def get(self, key: str) -> bytes:
        return file_at(self.root, key).read_bytes()

    def delete(self, key: str) -> None:
        file_at(self.root, key).unlink(missing_ok=True)

    def where(self, key: str) -> str:
        return str(file_at(self.root, key))

    def keys(self, prefix: str) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in (self.root / prefix).glob("**/*") if p.is_file())


class ObjectStore:
    """A bucket of S3-compatible object storage, the keys under ``prefix``."""

    def __init__(self, bucket: str, prefix: str, client: Any) -> None:
        self.bucket, self.prefix, self.client = bucket, prefix.strip("/"), client

    def _object(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        if Path(key).is_absolute():
            write_private(Path(key), data)
            return
        self.client.put_object(Bucket=self.bucket, Key=self._object(key), Body=data)

    def get(self, key: str) -> bytes:
        if Path(key).is_absolute():
            return Path(key).read_bytes()
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._object(key))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None
        return bytes(answer["Body"].read())

    def delete(self, key: str) -> None:
        if Path(key).is_absolute():
            Path(key).unlink(missing_ok=True)
            return
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))

    def where(self, key: str) -> str:
        return key if Path(key).is_absolute() else f"s3://{self.bucket}/{self._object(key)}"

    def keys(self, prefix: str) -> list[str]:
        found = []
        start = len(self._object(""))
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._object(prefix)):
            found += [item["Key"][start:] for item in page.get("Contents", [])]
        return sorted(found)


@cache
def _object_store(url: str, endpoint: str | None) -> ObjectStore:
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ConfigError("SCC_STORAGE_URL", None, f"'{url}' is not an object storage address: give s3://BUCKET or s3://BUCKET/PREFIX")
    import boto3  # only an installation that keeps its files in object storage pays for importing it

    return ObjectStore(parts.netloc, parts.path, boto3.client("s3", endpoint_url=endpoint or None))


def file_store(session: Session, writing: bool = False) -> FileStore:
    """Where this installation keeps its case files. ``writing``: the data folder is claimed
    for this database first (as before any file is written into it)."""
    url = os.environ.get("SCC_STORAGE_URL", "").strip()
    if url:
        return _object_store(url, os.environ.get("SCC_STORAGE_ENDPOINT", "").strip() or None)
    return FolderStore(claim_data_root(session) if writing else data_root(session))
