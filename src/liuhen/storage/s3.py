"""Blob storage in an S3-compatible bucket with Object Lock (WORM).

Objects are keyed ``[prefix]sha256/ab/cd/<hex>`` and, when the caller passes ``retain_until``, put
under COMPLIANCE-mode retention: nobody, not even the bucket owner, can delete or overwrite that
object version before the date. Large files go up as multipart uploads (boto3 ``upload_file``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from liuhen.storage.base import (
    CHUNK_SIZE,
    BlobIntegrityError,
    BlobNotFound,
    BlobRef,
    BlobRetained,
    StorageError,
    blob_key,
    check_hex,
    check_range,
    sha256_file,
)

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _is_missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING


class S3BlobStore:
    """Write-once, SHA-256-addressed objects in an Object-Lock-enabled bucket."""

    backend = "s3"

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None = None,
        *,
        prefix: str = "",
        client: Any = None,
        multipart_threshold: int = 64 * 1024 * 1024,
        multipart_chunksize: int = 16 * 1024 * 1024,
        **client_kwargs: Any,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.client = client or boto3.client("s3", endpoint_url=endpoint_url, **client_kwargs)
        self.transfer = TransferConfig(
            multipart_threshold=multipart_threshold, multipart_chunksize=multipart_chunksize
        )

    def key_for(self, sha256: str) -> str:
        return self.prefix + blob_key(sha256)

    def ensure_bucket(self) -> None:
        """Create the bucket with Object Lock enabled if it does not exist (development/tests)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if not _is_missing(exc):
                raise
            self.client.create_bucket(Bucket=self.bucket, ObjectLockEnabledForBucket=True)

    def object_lock_enabled(self) -> bool:
        """Whether the bucket has Object Lock switched on (it can only be set at creation)."""
        try:
            conf = self.client.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError:
            return False
        return conf.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"

    def put_file(
        self, path: Path | str, *, sha256_hex: str | None = None, retain_until: datetime | None = None
    ) -> BlobRef:
        """Upload the file at ``path`` (hashed first, to find its key); duplicates are stored once.

        If the blob already exists and ``retain_until`` is later than its current retention, the
        retention is extended (COMPLIANCE retention can be lengthened, never shortened).
        """
        digest, size = sha256_file(path)
        if sha256_hex is not None and check_hex(sha256_hex) != digest:
            raise BlobIntegrityError(f"{path}: declared {sha256_hex}, content hashes to {digest}")
        key = self.key_for(digest)
        if self.exists(digest):
            if retain_until is not None:
                self._extend_retention(key, retain_until)
            return BlobRef(digest, size, self.backend, key)
        extra: dict[str, Any] = {"Metadata": {"sha256": digest}, "ChecksumAlgorithm": "SHA256"}
        if retain_until is not None:
            extra |= {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": retain_until}
        self.client.upload_file(str(path), self.bucket, key, ExtraArgs=extra, Config=self.transfer)
        return BlobRef(digest, size, self.backend, key)

    def retention(self, sha256: str) -> tuple[str, datetime] | None:
        """``(mode, retain_until)`` of the stored object, or ``None`` if it has no retention.

        Read from HEAD (``x-amz-object-lock-*`` headers), which S3 and moto both answer.
        """
        head = self._head(sha256)
        if "ObjectLockMode" not in head:
            return None
        return head["ObjectLockMode"], head["ObjectLockRetainUntilDate"]

    def retained_until(self, sha256: str) -> datetime | None:
        """The COMPLIANCE retain-until date of the stored object, or ``None`` if it has none."""
        current = self.retention(sha256)
        return current[1] if current is not None else None

    def delete(self, sha256: str, *, now: datetime) -> None:
        """Delete every version of the object (an approved disposal). Refused with
        :class:`BlobRetained` while its lock runs: S3 itself refuses it then, whatever ``now`` says."""
        key = self.key_for(check_hex(sha256))
        until = self.retained_until(sha256) if self.exists(sha256) else None
        if until is not None and until > now:
            raise BlobRetained(sha256, until)
        listed = self.client.list_object_versions(Bucket=self.bucket, Prefix=key)
        for version in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]:
            if version["Key"] != key:
                continue
            try:
                self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=version["VersionId"])
            except ClientError as exc:
                if str(exc.response.get("Error", {}).get("Code")) == "AccessDenied":
                    raise BlobRetained(sha256, until) from exc
                raise StorageError(f"S3 delete_object failed for {sha256}: {exc}") from exc

    def extend_retention(self, sha256: str, retain_until: datetime) -> None:
        """Lengthen the COMPLIANCE retention of a stored blob to ``retain_until`` (never shortens)."""
        self._extend_retention(self.key_for(check_hex(sha256)), retain_until)

    def _extend_retention(self, key: str, retain_until: datetime) -> None:
        current = self.retention(key.rsplit("/", 1)[-1])
        if current is not None and current[1] >= retain_until:
            return
        self.client.put_object_retention(
            Bucket=self.bucket,
            Key=key,
            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": retain_until},
        )

    def open_range(self, sha256: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Yield the bytes of the half-open range ``[start, end)`` via one ranged GET."""
        first, stop = check_range(start, end, self.size(sha256))
        return self._ranged_get(sha256, first, stop)

    def _ranged_get(self, sha256: str, first: int, stop: int) -> Iterator[bytes]:
        if stop <= first:
            return
        got = self.client.get_object(
            Bucket=self.bucket, Key=self.key_for(sha256), Range=f"bytes={first}-{stop - 1}"
        )
        body = got["Body"]
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()

    def size(self, sha256: str) -> int:
        return int(self._head(sha256)["ContentLength"])

    def exists(self, sha256: str) -> bool:
        try:
            self._head(sha256)
        except BlobNotFound:
            return False
        return True

    def verify(self, sha256: str) -> bool:
        """Download and re-hash the object; ``False`` if it changed or is missing."""
        if not self.exists(sha256):
            return False
        digest = hashlib.sha256()
        for chunk in self._ranged_get(sha256, 0, self.size(sha256)):
            digest.update(chunk)
        return digest.hexdigest() == sha256

    def iter_all(self) -> Iterator[BlobRef]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + "sha256/"):
            for obj in page.get("Contents", []):
                digest = obj["Key"].rsplit("/", 1)[-1]
                yield BlobRef(check_hex(digest), int(obj["Size"]), self.backend, obj["Key"])

    def _head(self, sha256: str) -> dict[str, Any]:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except ClientError as exc:
            if _is_missing(exc):
                raise BlobNotFound(sha256) from exc
            raise StorageError(f"S3 head_object failed for {sha256}: {exc}") from exc
